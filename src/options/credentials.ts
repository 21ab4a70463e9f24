import { OssSignError, quote } from '../errors.js';
import { parseIsoUtc, timeOf } from '../oss/time.js';
import { SigningCredentials } from '../signer/keys.js';

/**
 * Checked credentials by the caller's credentials object, so that a server that passes the same object
 * on every call checks it once and keeps its derived keys; the entry goes when the object goes.
 */
const resolved = new WeakMap<object, { expiration: unknown; credentials: SigningCredentials }>();

/** Printable ASCII without spaces: what an AccessKey ID is. */
const KEY_ID = /^[\x21-\x7e]+$/;
/** Printable ASCII, not starting or ending with a space: what a token may hold and travel in a header. */
const TOKEN = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

function invalid(rule: string): OssSignError {
  return new OssSignError('INVALID_CREDENTIALS', `credentials.${rule}`);
}

/** `credentials` as signed; the same object with the same values gives the same result, checked once. */
export function resolveCredentials(value: unknown): SigningCredentials {
  if (typeof value !== 'object' || value === null) {
    throw new OssSignError(
      'MISSING_CREDENTIALS',
      `credentials must be an object with accessKeyId and accessKeySecret (got ${quote(value)})`,
    );
  }
  const given = value as Record<string, unknown>;
  const entry = resolved.get(value);
  if (
    entry !== undefined &&
    entry.credentials.accessKeyId === given.accessKeyId &&
    entry.credentials.accessKeySecret === given.accessKeySecret &&
    entry.credentials.securityToken === (given.securityToken || undefined) &&
    entry.expiration === given.expiration &&
    !(typeof given.expiration === 'object' && timeOf(given.expiration) !== entry.credentials.expiresAt)
  ) {
    return entry.credentials;
  }
  const own = (name: string): unknown => (Object.hasOwn(value, name) ? given[name] : undefined);
  const expiration = own('expiration');
  const credentials = checkCredentials(
    own('accessKeyId'),
    own('accessKeySecret'),
    own('securityToken'),
    expiration,
    own('stsToken'),
  );
  resolved.set(value, { expiration, credentials });
  return credentials;
}

function checkCredentials(
  accessKeyId: unknown,
  accessKeySecret: unknown,
  securityToken: unknown,
  expiration: unknown,
  stsToken: unknown,
): SigningCredentials {
  if (
    typeof accessKeyId !== 'string' ||
    accessKeyId === '' ||
    typeof accessKeySecret !== 'string' ||
    accessKeySecret === ''
  ) {
    throw new OssSignError(
      'MISSING_CREDENTIALS',
      'credentials must have a non-empty accessKeyId and accessKeySecret',
    );
  }
  // An ID with '/' or ',' would make the V4 `Credential=` value ambiguous; whitespace (a .env line break,
  // say) signs fine here and fails with 403 at OSS.
  if (!KEY_ID.test(accessKeyId) || accessKeyId.includes('/') || accessKeyId.includes(',')) {
    throw invalid(
      "accessKeyId must be printable ASCII without spaces, '/' or ',': check for a stray line break or quote",
    );
  }
  if (accessKeySecret.trim() !== accessKeySecret) {
    throw invalid('accessKeySecret has leading or trailing whitespace: check for a stray line break');
  }
  if (securityToken !== undefined && typeof securityToken !== 'string') {
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
  let expiresAt: number | undefined;
  if (expiration !== undefined) {
    expiresAt = timeOf(expiration) ?? parseIsoUtc(expiration);
    if (expiresAt === undefined || Number.isNaN(expiresAt)) {
      throw new OssSignError(
        'INVALID_ARGUMENT',
        `credentials.expiration must be a valid Date or an ISO 8601 UTC string like "2030-01-01T00:00:00Z" (got ${quote(expiration)})`,
      );
    }
  }
  return new SigningCredentials(
    accessKeyId,
    accessKeySecret,
    (securityToken as string | undefined) || undefined,
    expiresAt,
  );
}
