import { OssSignError } from '../errors.js';
import { checkKeyPair } from '../oss/credentials.js';
import { parseIsoUtc, timeOf } from '../oss/time.js';
import { quote } from '../quote.js';
import { SigningCredentials } from '../signer/keys.js';

/**
 * Checked credentials by the caller's credentials object, so that a server that passes the same object
 * on every call checks it once and keeps its derived keys; the entry goes when the object goes.
 */
const resolved = new WeakMap<object, { expiration: unknown; credentials: SigningCredentials }>();

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
  const keys = checkKeyPair({ accessKeyId, accessKeySecret, securityToken, stsToken }, 'credentials');
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
  return new SigningCredentials(keys.accessKeyId, keys.accessKeySecret, keys.securityToken, expiresAt);
}
