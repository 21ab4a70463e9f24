import type { SigningCredentials } from '../lib/validate.js';
import { computeSignatureV1 } from '../signer/v1.js';
import { ALGORITHM_V4, type SigningScopeV4, signatureV4 } from '../signer/v4.js';

/** The signed policy: base64 of its exact text, and the form fields of that signature version. */
export interface SignedPostPolicy {
  /** The policy as the form sends it: base64 of its UTF-8 bytes. */
  policy: string;
  /** The form fields for that signature version, `policy` included. */
  fields: Record<string, string>;
}

/** The fields a V4 form sends besides policy and signature, which its policy must pin exactly. */
export function v4PolicyFields(credentials: SigningCredentials, v4: SigningScopeV4): Record<string, string> {
  const fields: Record<string, string> = {
    'x-oss-signature-version': ALGORITHM_V4,
    'x-oss-credential': v4.credential,
    'x-oss-date': v4.datetime,
  };
  if (credentials.securityToken) fields['x-oss-security-token'] = credentials.securityToken;
  return fields;
}

export function signPolicyV1(text: string, credentials: SigningCredentials): SignedPostPolicy {
  const policy = toBase64(text);
  const fields: Record<string, string> = {
    OSSAccessKeyId: credentials.accessKeyId,
    policy,
    Signature: computeSignatureV1(policy, credentials.accessKeySecret),
  };
  if (credentials.securityToken) fields['x-oss-security-token'] = credentials.securityToken;
  return { policy, fields };
}

/** V4 signs the base64 policy itself as the string to sign. */
export function signPolicyV4(
  text: string,
  credentials: SigningCredentials,
  v4: SigningScopeV4,
): SignedPostPolicy {
  const policy = toBase64(text);
  const fields = v4PolicyFields(credentials, v4);
  fields.policy = policy;
  fields['x-oss-signature'] = signatureV4(policy, credentials.accessKeySecret, v4);
  return { policy, fields };
}

function toBase64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
