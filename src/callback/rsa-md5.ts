// RSA PKCS#1 v1.5 signatures over MD5: what OSS signs callbacks with, and what Web Crypto refuses.
// node:crypto has it (Node, Deno, Bun, Cloudflare Workers with nodejs_compat). It is loaded on first
// use (node-crypto.ts), so that a runtime without it gets UNSUPPORTED_RUNTIME rather than a package that
// fails to load.
import type { KeyObject } from 'node:crypto';
import { OssSignError } from '../errors.js';
import { importNodeCrypto, type NodeCrypto } from './node-crypto.js';

/** A parsed RSA public key, opaque outside this module. */
export type RsaPublicKey = KeyObject;

let nodeCrypto: Promise<NodeCrypto> | undefined;

function loadNodeCrypto(): Promise<NodeCrypto> {
  nodeCrypto ??= importNodeCrypto().catch((cause: unknown) => {
    nodeCrypto = undefined;
    throw unsupported(cause);
  });
  return nodeCrypto;
}

/** The RSA public key in a PEM text (SPKI or PKCS#1); `undefined` for anything else, private keys included. */
export async function importRsaPublicKey(pem: string): Promise<RsaPublicKey | undefined> {
  const { createPublicKey } = await loadNodeCrypto();
  if (pem.includes('PRIVATE KEY')) return undefined;
  try {
    const key = createPublicKey({ key: pem, format: 'pem' });
    return key.asymmetricKeyType === 'rsa' ? key : undefined;
  } catch {
    return undefined;
  }
}

export async function verifyRsaMd5(
  key: RsaPublicKey,
  data: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  const { verify } = await loadNodeCrypto();
  try {
    return verify('md5', data, key, signature);
  } catch (cause) {
    // With a parsed key and byte arrays, the one failure left is a crypto library without MD5.
    throw unsupported(cause);
  }
}

function unsupported(cause: unknown): OssSignError {
  return new OssSignError(
    'UNSUPPORTED_RUNTIME',
    'verifyOssCallback needs RSA signatures with MD5 from node:crypto (Node, Deno, Bun, Cloudflare Workers with the nodejs_compat flag); this runtime does not provide them, and Web Crypto has no MD5: verify callbacks in a Node function',
    { cause },
  );
}
