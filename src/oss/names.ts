import { OssSignError } from '../errors.js';
import { quote } from '../quote.js';

/**
 * What OSS accepts as bucket names, object keys, regions, signing products and header or form field
 * names and values: checked by the signer's options and by the local endpoint alike.
 */

const BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
/** Regions, CloudBox ids and signing products. */
const LOWER_DASHED = /^[a-z0-9-]+$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Printable ASCII: such a key needs neither the surrogate nor the UTF-8 length check. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** HTTP clients send header values as Latin-1 bytes while signatures hash UTF-8: only ASCII is safe. */
const NOT_PRINTABLE_ASCII = /[^\t\x20-\x7e]/;
export const MAX_KEY_BYTES = 1023;

export function hasLoneSurrogate(value: string): boolean {
  return LONE_SURROGATE.test(value);
}

/** The UTF-8 length of valid Unicode text, without Buffer (which not every runtime has). */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 2; // with its low surrogate: 4 bytes for 2 UTF-16 units
      i++;
    } else if (code >= 0x800) bytes += 2;
    else if (code >= 0x80) bytes += 1;
  }
  return bytes;
}

/** OSS's bucket naming rule. */
export function isBucketName(name: unknown): name is string {
  return typeof name === 'string' && BUCKET.test(name);
}

export function checkBucket(bucket: unknown, name = 'bucket'): string {
  if (!isBucketName(bucket)) {
    throw new OssSignError(
      'INVALID_BUCKET',
      `${name} must be 3-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit (got ${quote(bucket)})`,
    );
  }
  return bucket;
}

/** An object key: 1-1023 UTF-8 bytes of valid Unicode, not starting with '/' or '\'. */
export function checkKey(key: unknown, name = 'key'): string {
  if (typeof key !== 'string' || key.length === 0) {
    throw new OssSignError('INVALID_KEY', `${name} must be a non-empty string (got ${quote(key)})`);
  }
  return checkKeyText(key, name);
}

/** The rules every key and key prefix obeys; a prefix may be empty. */
export function checkKeyText(key: string, name: string): string {
  const first = key.charCodeAt(0);
  if (first === 0x2f || first === 0x5c) {
    throw new OssSignError('INVALID_KEY', `${name} must not start with '/' or '\\' (got ${quote(key)})`);
  }
  if (key.length <= MAX_KEY_BYTES && PRINTABLE_ASCII.test(key)) return key;
  if (hasLoneSurrogate(key)) {
    throw new OssSignError('INVALID_KEY', `${name} must be valid Unicode: it has a lone surrogate`);
  }
  const bytes = utf8Length(key);
  if (bytes > MAX_KEY_BYTES) {
    throw new OssSignError(
      'INVALID_KEY',
      `${name} must be at most ${MAX_KEY_BYTES} UTF-8 bytes (got ${bytes})`,
    );
  }
  return key;
}

/** `'oss-cn-hangzhou'` and `'cn-hangzhou'` both give `'cn-hangzhou'`. */
export function normalizeRegion(region: unknown, name = 'region'): string {
  const normalized = typeof region === 'string' && region.startsWith('oss-') ? region.slice(4) : region;
  if (typeof normalized !== 'string' || !LOWER_DASHED.test(normalized)) {
    throw new OssSignError(
      'INVALID_REGION',
      `${name} must be a non-empty string of a-z, 0-9 and '-', like "cn-hangzhou" (got ${quote(region)})`,
    );
  }
  return normalized;
}

/** The V4 signing product: `'oss'` unless given, `'oss-cloudbox'` for CloudBox. */
export function checkProduct(product: unknown): string {
  if (product === undefined) return 'oss';
  if (typeof product !== 'string' || !LOWER_DASHED.test(product)) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      `product must be a string of a-z, 0-9 and '-', like "oss-cloudbox" (got ${quote(product)})`,
    );
  }
  return product;
}

/** A header or form field name: an RFC 9110 token. */
export function isHttpToken(name: string): boolean {
  return TOKEN.test(name);
}

/** A header value a client can send byte for byte as it was signed. */
export function isPrintableAscii(value: string): boolean {
  return !NOT_PRINTABLE_ASCII.test(value);
}
