import { OssSignError } from '../errors.js';
import type { OssCredentials, SignatureVersion } from '../types.js';

const BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
/** Regions, CloudBox ids and signing products. */
const LOWER_DASHED = /^[a-z0-9-]+$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MAX_KEY_BYTES = 1023;
/** OSS caps V4 presigned URLs (`x-oss-expires`) at seven days. */
export const MAX_EXPIRES_V4 = 604_800;
/** V1 has no cap; a century keeps `Expires` and the expiry date meaningful. */
const MAX_EXPIRES_V1 = 100 * 365 * 24 * 3600;

/** Shows a caller's (never secret) value in a message without flooding it. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function hasLoneSurrogate(value: string): boolean {
  return LONE_SURROGATE.test(value);
}

/** OSS's bucket naming rule. */
export function isBucketName(name: unknown): name is string {
  return typeof name === 'string' && BUCKET.test(name);
}

export function validateBucket(bucket: unknown, name = 'bucket'): string {
  if (!isBucketName(bucket)) {
    throw new OssSignError(
      'INVALID_BUCKET',
      `${name} must be 3-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit (got ${quote(bucket)})`,
    );
  }
  return bucket;
}

export function validateKey(key: unknown): string {
  if (typeof key !== 'string' || key.length === 0) {
    throw new OssSignError('INVALID_KEY', `key must be a non-empty string (got ${quote(key)})`);
  }
  checkKeyText(key, 'key');
  return key;
}

/** The rules every key and key prefix obeys; a prefix may be empty. */
export function checkKeyText(key: string, name: string): void {
  if (key.startsWith('/') || key.startsWith('\\')) {
    throw new OssSignError('INVALID_KEY', `${name} must not start with '/' or '\\' (got ${quote(key)})`);
  }
  if (hasLoneSurrogate(key)) {
    throw new OssSignError('INVALID_KEY', `${name} must be valid Unicode: it has a lone surrogate`);
  }
  if (key.length * 3 > MAX_KEY_BYTES && Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw new OssSignError(
      'INVALID_KEY',
      `${name} must be at most ${MAX_KEY_BYTES} UTF-8 bytes (got ${Buffer.byteLength(key)})`,
    );
  }
}

/** `'oss-cn-hangzhou'` and `'cn-hangzhou'` both give `'cn-hangzhou'`. */
export function normalizeRegion(region: unknown): string {
  const normalized = typeof region === 'string' && region.startsWith('oss-') ? region.slice(4) : region;
  if (typeof normalized !== 'string' || !LOWER_DASHED.test(normalized)) {
    throw new OssSignError(
      'INVALID_REGION',
      `region must be a non-empty string of a-z, 0-9 and '-', like "cn-hangzhou" (got ${quote(region)})`,
    );
  }
  return normalized;
}

/** The V4 signing product: `'oss'` unless given, `'oss-cloudbox'` for CloudBox. */
export function validateProduct(product: unknown): string {
  if (product === undefined) return 'oss';
  if (typeof product !== 'string' || !LOWER_DASHED.test(product)) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      `product must be a string of a-z, 0-9 and '-', like "oss-cloudbox" (got ${quote(product)})`,
    );
  }
  return product;
}

/** The primitives' own inputs, checked so that misuse fails as an OssSignError, not deep in node:crypto. */
export function checkSigningInput(stringToSign: unknown, accessKeySecret: unknown): void {
  if (typeof stringToSign !== 'string') {
    throw new OssSignError('INVALID_ARGUMENT', 'stringToSign must be a string');
  }
  if (typeof accessKeySecret !== 'string' || accessKeySecret === '') {
    throw new OssSignError('MISSING_CREDENTIALS', 'accessKeySecret must be a non-empty string');
  }
}

/** Options must be an object: a clear error rather than a TypeError from deep inside. */
export function checkOptions(options: unknown, fn: string): void {
  if (typeof options !== 'object' || options === null) {
    throw new OssSignError('INVALID_ARGUMENT', `${fn} takes an options object (got ${quote(options)})`);
  }
}

/** `additionalHeaders` / `subResources`: a list of names, never a lone string iterated by character. */
function validateNames(names: unknown, name: string): readonly string[] | undefined {
  if (names === undefined) return undefined;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string' && n !== '')) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      `${name} must be an array of non-empty names (got ${quote(names)})`,
    );
  }
  return names;
}

/**
 * The extra names to sign: `additionalHeaders` with V4 only (V1 signs no other header, and silently
 * leaving one unsigned would be a trap), `subResources` with either (V4 signs every parameter anyway).
 */
export function signedNames(
  options: { additionalHeaders?: unknown; subResources?: unknown },
  version: SignatureVersion,
): { additionalHeaders: readonly string[] | undefined; subResources: readonly string[] | undefined } {
  const additionalHeaders = validateNames(options.additionalHeaders, 'additionalHeaders');
  if (version === 'v1' && additionalHeaders && additionalHeaders.length > 0) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      'additionalHeaders needs signature V4: V1 signs only Content-Type, Content-MD5 and x-oss-* headers',
    );
  }
  return { additionalHeaders, subResources: validateNames(options.subResources, 'subResources') };
}

export function validateExpiresIn(expiresIn: unknown, version: SignatureVersion): number {
  const max = version === 'v4' ? MAX_EXPIRES_V4 : MAX_EXPIRES_V1;
  if (typeof expiresIn !== 'number' || !Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > max) {
    const range =
      version === 'v4'
        ? `1..${MAX_EXPIRES_V4} (7 days) with signature V4`
        : `1..${MAX_EXPIRES_V1} (100 years) with V1`;
    throw new OssSignError(
      'INVALID_EXPIRES',
      `expiresIn must be a whole number of seconds, ${range} (got ${quote(expiresIn)})`,
    );
  }
  return expiresIn;
}

export function validateSignatureVersion(version: unknown): SignatureVersion {
  if (version === undefined) return 'v4';
  if (version !== 'v4' && version !== 'v1') {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      `signatureVersion must be 'v4' or 'v1' (got ${quote(version)})`,
    );
  }
  return version;
}

export function resolveNow(now: unknown): Date {
  if (now === undefined) return new Date();
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new OssSignError('INVALID_ARGUMENT', `now must be a valid Date (got ${quote(now)})`);
  }
  return now;
}

/** Credentials as signed: an empty security token counts as none. */
export interface SigningCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  expiration?: Date;
}

export function validateCredentials(credentials: unknown): SigningCredentials {
  const { accessKeyId, accessKeySecret, securityToken, expiration } = (credentials ??
    {}) as Partial<OssCredentials>;
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
  if (securityToken !== undefined && typeof securityToken !== 'string') {
    throw new OssSignError('INVALID_ARGUMENT', 'credentials.securityToken must be a string when given');
  }
  const result: SigningCredentials = { accessKeyId, accessKeySecret };
  if (securityToken) result.securityToken = securityToken;
  if (expiration !== undefined) {
    const date = expiration instanceof Date ? expiration : new Date(expiration);
    if (Number.isNaN(date.getTime())) {
      throw new OssSignError(
        'INVALID_ARGUMENT',
        `credentials.expiration must be a Date or an ISO 8601 string (got ${quote(expiration)})`,
      );
    }
    result.expiration = date;
  }
  return result;
}

/** Temporary credentials must outlive what is signed with them, or uploads fail midway. */
export function assertWithinCredentials(
  credentials: SigningCredentials,
  expiresAt: Date,
  name: string,
): void {
  if (credentials.expiration && expiresAt.getTime() > credentials.expiration.getTime()) {
    throw new OssSignError(
      'EXPIRES_AFTER_CREDENTIALS',
      `${name} would make this valid until ${expiresAt.toISOString()}, after the credentials expire at ${credentials.expiration.toISOString()}: shorten ${name} or fetch fresher credentials`,
    );
  }
}
