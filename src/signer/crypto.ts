import * as crypto from 'node:crypto';

/**
 * The hashing a signature needs, on node:crypto. Everything the signer hashes goes through this file, so
 * a build for a runtime without node:crypto replaces this one file.
 */

/** A secret prepared for HMAC: a KeyObject skips part of the per-call setup of `createHmac`. */
export type HmacKey = crypto.KeyObject;

export function hmacKey(secret: string): HmacKey {
  return crypto.createSecretKey(Buffer.from(secret, 'utf8'));
}

export function hmacSha1Base64(key: HmacKey | string, data: string): string {
  return crypto.createHmac('sha1', key).update(data).digest('base64');
}

export function hmacSha256Hex(key: HmacKey, data: string): string {
  return crypto.createHmac('sha256', key).update(data).digest('hex');
}

/** One step of a V4 key derivation: the HMAC-SHA256 of `data`, as the key of the next step. */
export function deriveSha256Key(key: HmacKey | string, data: string): HmacKey {
  return crypto.createSecretKey(crypto.createHmac('sha256', key).update(data).digest());
}

// crypto.hash (Node >= 20.12) skips the Hash object: about half the cost of createHash for short input.
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: string) => string }).hash;

export function sha256Hex(data: string): string {
  return oneShotHash
    ? oneShotHash('sha256', data, 'hex')
    : crypto.createHash('sha256').update(data).digest('hex');
}

/** Base64 of the UTF-8 bytes of `text`: how a POST policy travels. */
export function base64Utf8(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
