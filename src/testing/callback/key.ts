import { generateKeyPair, type KeyObject, sign } from 'node:crypto';

/** Served by the endpoint at its root, like OSS's `callback_pub_key_v1.pem`; not a bucket name (it has a '.'). */
export const PUBLIC_KEY_FILE = 'callback-public-key.pem';

/** The RSA key the endpoint signs callbacks with, as OSS signs its own. */
export interface CallbackKey {
  /** PEM (SPKI): what `verifyOssCallback({ publicKey })` pins. */
  publicKey: string;
  privateKey: KeyObject;
  /** Where the endpoint serves `publicKey`, named in `x-oss-pub-key-url`; set once the server listens. */
  url: string;
  /** Aborted when the endpoint closes, ending the callbacks in flight. */
  closing: AbortController;
}

/** A fresh key per endpoint. 1024 bits: OSS's own key has 512, and a larger one only slows every start. */
export async function createCallbackKey(): Promise<CallbackKey> {
  const { publicKey, privateKey } = await new Promise<{ publicKey: KeyObject; privateKey: KeyObject }>(
    (resolve, reject) =>
      generateKeyPair('rsa', { modulusLength: 1024 }, (error, publicKey, privateKey) =>
        error ? reject(error) : resolve({ publicKey, privateKey }),
      ),
  );
  return {
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKey,
    url: '',
    closing: new AbortController(),
  };
}

/** The `authorization` header of a callback request: base64 RSA signature over MD5 of what OSS signs. */
export function signCallback(key: CallbackKey, stringToSign: Uint8Array): string {
  return sign('md5', stringToSign, key.privateKey).toString('base64');
}
