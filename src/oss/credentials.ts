import { OssSignError } from '../errors.js';

/** Printable ASCII without spaces: what an AccessKey ID is. */
const KEY_ID = /^[\x21-\x7e]+$/;
/** Printable ASCII, not starting or ending with a space: what a token may hold and travel in a header. */
const TOKEN = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/** A key pair and, for temporary credentials, its token, as OSS and STS take them. */
export interface KeyPair {
  accessKeyId: string;
  accessKeySecret: string;
  /** Always set, `undefined` when there is none: an absent property would be read from the prototype. */
  securityToken: string | undefined;
}

/**
 * The shape rules of credentials, for signing and for calling STS alike: what would sign here and then
 * fail at OSS (a stray line break, an ID that makes `Credential=` ambiguous, a temporary key without its
 * token) is refused now. Messages name `name` and the field, never a value: each of them may be secret.
 */
export function checkKeyPair(
  fields: { accessKeyId: unknown; accessKeySecret: unknown; securityToken: unknown; stsToken: unknown },
  name: string,
): KeyPair {
  const { accessKeyId, accessKeySecret, securityToken, stsToken } = fields;
  const invalid = (rule: string) => new OssSignError('INVALID_CREDENTIALS', `${name}.${rule}`);
  const missing = [missingField('accessKeyId', accessKeyId), missingField('accessKeySecret', accessKeySecret)]
    .filter((field) => field !== undefined)
    .map((field) => `${name}.${field}`);
  if (missing.length > 0 || typeof accessKeyId !== 'string' || typeof accessKeySecret !== 'string') {
    throw new OssSignError(
      'MISSING_CREDENTIALS',
      `${missing.join(' and ')} must be ${missing.length > 1 ? 'non-empty strings' : 'a non-empty string'}: the AccessKey pair signs every request (an unset environment variable gives undefined)`,
    );
  }
  if (!KEY_ID.test(accessKeyId) || accessKeyId.includes('/') || accessKeyId.includes(',')) {
    throw invalid(
      "accessKeyId must be printable ASCII without spaces, '/' or ',': check for a stray line break or quote",
    );
  }
  if (accessKeySecret.trim() !== accessKeySecret) {
    throw invalid('accessKeySecret has leading or trailing whitespace: check for a stray line break');
  }
  if (securityToken !== undefined && securityToken !== null && typeof securityToken !== 'string') {
    throw invalid('securityToken must be a string when given');
  }
  if (securityToken && !TOKEN.test(securityToken)) {
    throw invalid(
      'securityToken must be printable ASCII without leading or trailing spaces: check for a stray line break',
    );
  }
  if (!securityToken && stsToken !== undefined) {
    throw invalid("stsToken is ali-oss's name for the STS token: pass it as securityToken");
  }
  if (!securityToken && accessKeyId.startsWith('STS.')) {
    throw invalid(
      "accessKeyId starts with 'STS.', so these are temporary credentials: pass their security token as securityToken (OSS answers InvalidAccessKeyId without it)",
    );
  }
  return { accessKeyId, accessKeySecret, securityToken: (securityToken as string | undefined) || undefined };
}

/** `'name (got undefined)'` when a key field is absent or empty; its kind only, since it may be a secret. */
function missingField(field: string, value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return undefined;
  const got =
    value === undefined || value === null || value === ''
      ? (JSON.stringify(value) ?? 'undefined')
      : `${typeof value === 'object' ? 'an' : 'a'} ${typeof value}`;
  return `${field} (got ${got})`;
}
