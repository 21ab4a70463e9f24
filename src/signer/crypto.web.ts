import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { base64FromBytes } from '../oss/base64.js';

/**
 * crypto.ts for runtimes without node:crypto (workerd, the Vercel Edge runtime, browsers): the web build
 * takes this file in its place (tsup.web.config.ts). Web Crypto is asynchronous and the signing API is
 * not, so the hashing is @noble/hashes (audited, no dependencies), bundled into that build only.
 */

export { base64FromUtf8 as base64Utf8 } from '../oss/base64.js';

/** What this file uses of a @noble/hashes HMAC state. */
interface Mac {
  update(data: Uint8Array): Mac;
  digest(): Uint8Array;
  clone(): Mac;
}

const utf8 = new TextEncoder();

/**
 * A secret prepared for HMAC: the state after absorbing the key, made once per hash and cloned per
 * signature (as a node:crypto KeyObject spares part of the setup of each HMAC). Exported as a type only,
 * as crypto.ts exports its HmacKey.
 */
class HmacKey {
  readonly #secret: Uint8Array;
  #sha1: Mac | undefined;
  #sha256: Mac | undefined;

  constructor(secret: Uint8Array) {
    this.#secret = secret;
  }

  sha1(): Mac {
    this.#sha1 ??= hmac.create(sha1, this.#secret);
    return this.#sha1.clone();
  }

  sha256(): Mac {
    this.#sha256 ??= hmac.create(sha256, this.#secret);
    return this.#sha256.clone();
  }
}

export type { HmacKey };

export function hmacKey(secret: string): HmacKey {
  return new HmacKey(utf8.encode(secret));
}

export function hmacSha1Base64(key: HmacKey | string, data: string): string {
  const mac = typeof key === 'string' ? hmac.create(sha1, utf8.encode(key)) : key.sha1();
  return base64FromBytes(mac.update(utf8.encode(data)).digest());
}

export function hmacSha256Hex(key: HmacKey, data: string): string {
  return bytesToHex(key.sha256().update(utf8.encode(data)).digest());
}

/** One step of a V4 key derivation: the HMAC-SHA256 of `data`, as the key of the next step. */
export function deriveSha256Key(key: HmacKey | string, data: string): HmacKey {
  const mac = typeof key === 'string' ? hmac.create(sha256, utf8.encode(key)) : key.sha256();
  return new HmacKey(mac.update(utf8.encode(data)).digest());
}

export function sha256Hex(data: string): string {
  return bytesToHex(sha256(utf8.encode(data)));
}
