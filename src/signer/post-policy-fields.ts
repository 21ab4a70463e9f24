import { base64Utf8 } from './crypto.js';
import type { ScopeV4, SigningCredentials } from './keys.js';
import { signatureV1 } from './v1.js';
import { ALGORITHM_V4, signatureV4 } from './v4.js';

/** A signed POST policy: base64 of its exact text, and the form fields of that signature version. */
export interface SignedPostPolicy {
  /** The policy as the form sends it: base64 of its UTF-8 bytes. */
  policy: string;
  /** The form fields for that signature version, `policy` included. */
  fields: Record<string, string>;
}

/** The fields a V4 form sends besides policy and signature; its policy must pin each of them exactly. */
export function v4PolicyFields(
  credentials: SigningCredentials,
  datetime: string,
  scope: ScopeV4,
): Record<string, string> {
  const fields: Record<string, string> = {
    'x-oss-signature-version': ALGORITHM_V4,
    'x-oss-credential': scope.credential,
    'x-oss-date': datetime,
  };
  if (credentials.securityToken !== undefined) fields['x-oss-security-token'] = credentials.securityToken;
  return fields;
}

/** V4 signs the base64 policy itself as the string to sign. */
export function signPolicyV4(
  text: string,
  credentials: SigningCredentials,
  datetime: string,
  scope: ScopeV4,
): SignedPostPolicy {
  const policy = base64Utf8(text);
  const fields = v4PolicyFields(credentials, datetime, scope);
  fields.policy = policy;
  fields['x-oss-signature'] = signatureV4(policy, scope.signingKey);
  return { policy, fields };
}

/** V1 signs the base64 policy with HMAC-SHA1. */
export function signPolicyV1(text: string, credentials: SigningCredentials): SignedPostPolicy {
  const policy = base64Utf8(text);
  const fields: Record<string, string> = {
    OSSAccessKeyId: credentials.accessKeyId,
    policy,
    Signature: signatureV1(policy, credentials.v1Key),
  };
  if (credentials.securityToken !== undefined) fields['x-oss-security-token'] = credentials.securityToken;
  return { policy, fields };
}
