import { OssSignError } from './errors.js';
import {
  assertWithinCredentials,
  checkOptions,
  normalizeRegion,
  quote,
  resolveNow,
  validateCredentials,
  validateProduct,
  validateSignatureVersion,
} from './lib/validate.js';
import { ISO_UTC } from './oss/time.js';
import { pinnedFields } from './post-policy/conditions.js';
import { type SignedPostPolicy, signPolicyV1, signPolicyV4, v4PolicyFields } from './post-policy/sign.js';
import type { PostPolicyDocument } from './post-policy/types.js';
import { signingScopeV4 } from './signer/v4.js';
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
  checkOptions(options, 'signPostPolicy');
  const version = validateSignatureVersion(options.signatureVersion);
  const credentials = validateCredentials(options.credentials);
  const text = typeof policy === 'string' ? policy : JSON.stringify(policy);
  const document = parsePolicy(text);
  assertWithinCredentials(credentials, new Date(document.expiration), 'the policy expiration');
  if (version === 'v1') return signPolicyV1(text, credentials);
  if (options.region === undefined)
    throw new OssSignError('INVALID_REGION', 'region is required to sign a V4 policy');
  const v4 = signingScopeV4(
    resolveNow(options.now),
    normalizeRegion(options.region),
    validateProduct(options.product),
    credentials.accessKeyId,
  );
  const pinned = pinnedFields(document.conditions);
  for (const [field, value] of Object.entries(v4PolicyFields(credentials, v4))) {
    if (pinned.get(field) !== value) {
      throw new OssSignError(
        'INVALID_POLICY',
        `policy must pin "${field}" to ${quote(value)} for these credentials and now (it has ${quote(pinned.get(field))}): OSS refuses V4 forms whose policy does not`,
      );
    }
  }
  return signPolicyV4(text, credentials, v4);
}

function parsePolicy(text: string): PostPolicyDocument {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new OssSignError(
      'INVALID_POLICY',
      'policy must be a JSON document with "expiration" and "conditions"',
    );
  }
  const { expiration, conditions } = (document ?? {}) as Partial<PostPolicyDocument>;
  if (typeof expiration !== 'string' || !ISO_UTC.test(expiration) || !Array.isArray(conditions)) {
    throw new OssSignError(
      'INVALID_POLICY',
      'policy must have an "expiration" in ISO 8601 UTC (like "2030-01-01T00:00:00.000Z") and a "conditions" array',
    );
  }
  return { expiration, conditions };
}
