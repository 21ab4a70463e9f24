import { OssSignError } from '../lib/errors.js';
import { toIsoBasic } from '../lib/time.js';
import {
  assertWithinCredentials,
  checkOptions,
  normalizeRegion,
  quote,
  resolveNow,
  type SigningCredentials,
  validateCredentials,
  validateProduct,
  validateSignatureVersion,
} from '../lib/validate.js';
import { computeSignatureV1 } from '../signer/v1.js';
import { ALGORITHM_V4, computeSignatureV4, scopeV4 } from '../signer/v4.js';
import type { OssCredentials, SignatureVersion } from '../types.js';
import type { PostPolicyDocument } from './types.js';

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

export interface SignedPostPolicy {
  /** The policy as the form sends it: base64 of its UTF-8 bytes. */
  policy: string;
  /** The form fields for that signature version, `policy` included. */
  fields: Record<string, string>;
}

/** The V4 values a form sends and its policy must pin. */
export interface V4FormScope {
  datetime: string;
  credential: string;
  region: string;
  product: string;
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
  if (version === 'v1') return signPolicyText(text, credentials);
  if (options.region === undefined)
    throw new OssSignError('INVALID_REGION', 'region is required to sign a V4 policy');
  const scope = v4FormScope(
    credentials,
    resolveNow(options.now),
    normalizeRegion(options.region),
    validateProduct(options.product),
  );
  const pinned = pinnedFields(document);
  for (const [field, value] of Object.entries(v4PolicyFields(credentials, scope))) {
    if (pinned.get(field) !== value) {
      throw new OssSignError(
        'INVALID_POLICY',
        `policy must pin "${field}" to ${quote(value)} for these credentials and now (it has ${quote(pinned.get(field))}): OSS refuses V4 forms whose policy does not`,
      );
    }
  }
  return signPolicyText(text, credentials, scope);
}

export function v4FormScope(
  credentials: SigningCredentials,
  now: Date,
  region: string,
  product: string,
): V4FormScope {
  const datetime = toIsoBasic(now);
  const credential = `${credentials.accessKeyId}/${scopeV4(datetime.slice(0, 8), region, product)}`;
  return { datetime, credential, region, product };
}

/** The fields (and exact conditions) a V4 policy carries besides the signature. */
export function v4PolicyFields(credentials: SigningCredentials, scope: V4FormScope): Record<string, string> {
  const fields: Record<string, string> = {
    'x-oss-signature-version': ALGORITHM_V4,
    'x-oss-credential': scope.credential,
    'x-oss-date': scope.datetime,
  };
  if (credentials.securityToken) fields['x-oss-security-token'] = credentials.securityToken;
  return fields;
}

/** Signs the policy's exact text: V1 with `scope` absent, V4 with it. */
export function signPolicyText(
  text: string,
  credentials: SigningCredentials,
  scope?: V4FormScope,
): SignedPostPolicy {
  const policy = Buffer.from(text, 'utf8').toString('base64');
  if (!scope) {
    const fields: Record<string, string> = {
      OSSAccessKeyId: credentials.accessKeyId,
      policy,
      Signature: computeSignatureV1(policy, credentials.accessKeySecret),
    };
    if (credentials.securityToken) fields['x-oss-security-token'] = credentials.securityToken;
    return { policy, fields };
  }
  const signature = computeSignatureV4(policy, {
    accessKeySecret: credentials.accessKeySecret,
    date: scope.datetime.slice(0, 8),
    region: scope.region,
    product: scope.product,
  });
  const fields = v4PolicyFields(credentials, scope);
  fields.policy = policy;
  fields['x-oss-signature'] = signature;
  return { policy, fields };
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
  if (typeof expiration !== 'string' || Number.isNaN(Date.parse(expiration)) || !Array.isArray(conditions)) {
    throw new OssSignError(
      'INVALID_POLICY',
      'policy must have an ISO 8601 "expiration" and a "conditions" array',
    );
  }
  return { expiration, conditions };
}

/** Field (lower-case, without `$`) to value for every exact condition: `{ field: value }` or `['eq', '$field', value]`. */
function pinnedFields(document: PostPolicyDocument): Map<string, string> {
  const pinned = new Map<string, string>();
  for (const condition of document.conditions) {
    if (Array.isArray(condition)) {
      const [operator, field, value] = condition;
      if (operator === 'eq' && typeof field === 'string' && typeof value === 'string') {
        pinned.set(field.replace(/^\$/, '').toLowerCase(), value);
      }
    } else if (condition && typeof condition === 'object') {
      for (const [field, value] of Object.entries(condition)) {
        if (typeof value === 'string') pinned.set(field.toLowerCase(), value);
      }
    }
  }
  return pinned;
}
