import { OssSignError } from './errors.js';
import { resolveCredentials } from './options/credentials.js';
import { ACCEPTED, readOptions } from './options/read.js';
import { resolveSignatureVersion } from './options/signed-names.js';
import { checkWithinCredentials, resolveNow } from './options/timing.js';
import { checkProduct, normalizeRegion } from './oss/names.js';
import { parsePolicy, pinnedFields } from './oss/post-policy/parse.js';
import type { PostPolicyDocument } from './oss/post-policy/types.js';
import { toIsoBasic } from './oss/time.js';
import { quote } from './quote.js';
import {
  type SignedPostPolicy,
  signPolicyV1,
  signPolicyV4,
  v4PolicyFields,
} from './signer/post-policy-fields.js';
import type { OssCredentials, SignatureVersion } from './types.js';

export type { SignedPostPolicy };

export interface SignPostPolicyOptions {
  credentials: OssCredentials;
  signatureVersion?: SignatureVersion | undefined;
  /** Required for V4. */
  region?: string | undefined;
  /** V4 signing product, default `'oss'`. */
  product?: string | undefined;
  /** V4: the time the policy's `x-oss-date` condition names, default the current time. */
  now?: Date | undefined;
}

/**
 * Signs a POST policy. A string is signed exactly as given (its bytes decide the signature); a document is
 * serialised with `JSON.stringify`. A V4 policy must already pin `x-oss-signature-version`, `x-oss-credential`
 * and `x-oss-date` (and `x-oss-security-token` with STS) to these credentials and `now`, or OSS refuses the form.
 */
export function signPostPolicy(
  policy: string | PostPolicyDocument,
  options: SignPostPolicyOptions,
): SignedPostPolicy {
  const raw = readOptions(options, 'signPostPolicy', ACCEPTED.signPostPolicy);
  const version = resolveSignatureVersion(raw.signatureVersion);
  const credentials = resolveCredentials(raw.credentials);
  let text: string | undefined;
  let cause: unknown;
  try {
    text = typeof policy === 'string' ? policy : JSON.stringify(policy);
  } catch (error) {
    // A circular or BigInt-holding document, or the caller's own toJSON or getter failing: refused below
    // like any other non-document, with what failed as the cause.
    cause = error;
  }
  if (typeof text !== 'string') {
    throw new OssSignError(
      'INVALID_POLICY',
      `policy must be a JSON document or its text (got ${quote(policy)})`,
      cause === undefined ? undefined : { cause },
    );
  }
  const document = parsePolicy(text);
  checkWithinCredentials(credentials, document.expiresAt, 'the policy expiration');
  if (version === 'v1') return signPolicyV1(text, credentials);
  if (raw.region === undefined)
    throw new OssSignError('INVALID_REGION', 'region is required to sign a V4 policy');
  const datetime = toIsoBasic(resolveNow(raw.now));
  const scope = credentials.scopeV4(
    datetime.slice(0, 8),
    normalizeRegion(raw.region),
    checkProduct(raw.product),
  );
  const pinned = pinnedFields(document);
  for (const [field, value] of Object.entries(v4PolicyFields(credentials, datetime, scope))) {
    if (pinned.get(field) !== value) {
      throw new OssSignError(
        'INVALID_POLICY',
        `policy must pin "${field}" to ${field === 'x-oss-security-token' ? 'the security token' : quote(value)} for these credentials and now (it ${pinned.has(field) ? 'pins another value' : 'does not'}): OSS refuses V4 forms whose policy does not`,
      );
    }
  }
  return signPolicyV4(text, credentials, datetime, scope);
}
