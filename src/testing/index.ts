import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OssCredentials } from '../types.js';
import { createCallbackKey, PUBLIC_KEY_FILE } from './callback/key.js';
import { handleHttp, refuseConnect, refuseUnparsable } from './http.js';
import { createState, type LocalOssOptions } from './options.js';
import type { StoredObject } from './state.js';

export type { LocalOssOptions };

export interface LocalOss {
  /** `'http://127.0.0.1:PORT'`; path-style object URLs are `url/bucket/key`. */
  url: string;
  /** `'http://127.0.0.1:PORT'`, when `roleArn` was given: the `endpoint` for `createStsCredentialProvider`. */
  stsEndpoint?: string | undefined;
  /** The first long-term key pair it accepts. */
  credentials: OssCredentials;
  region: string;
  /**
   * PEM of the RSA public key upload callbacks are signed with (`verifyOssCallback({ publicKey })`); the
   * endpoint also serves it at the URL its callbacks name in `x-oss-pub-key-url`.
   */
  callbackPublicKey: string;
  /** A copy of a stored object, or `undefined`. */
  getObject(bucket: string, key: string): { body: Uint8Array; headers: Record<string, string> } | undefined;
  /** Stops the server, dropping kept-alive connections. */
  close(): Promise<void>;
}

/**
 * Starts an in-memory, OSS-compatible endpoint for tests, demos and offline development. It accepts
 * what OSS accepts (V1/V4 header and URL signatures, PostObject policies, STS tokens it issued itself)
 * and refuses the rest with OSS's XML errors.
 */
export async function createLocalOss(options: LocalOssOptions = {}): Promise<LocalOss> {
  const callbackKey = await createCallbackKey();
  const state = createState(options, callbackKey);
  const handle = (req: IncomingMessage, res: ServerResponse, continueExpected = false) => {
    // Only the endpoint's own failure (a clock() that throws, say) gets here.
    handleHttp(state, req, res, continueExpected).catch(() => {
      if (res.headersSent) res.destroy();
      else res.writeHead(500).end();
    });
  };
  const server = createServer(handle);
  server.on('clientError', refuseUnparsable);
  server.on('connect', refuseConnect);
  // `100 Continue` only for a body the operation may take; an Expect OSS does not know is ignored, as OSS
  // does (Node would answer 417 itself).
  server.on('checkContinue', (req, res) => handle(req, res, true));
  server.on('checkExpectation', handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(state.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  callbackKey.url = `${url}/${PUBLIC_KEY_FILE}`;
  const [first] = state.keys.values();
  return {
    url,
    ...(state.roleArn !== undefined && { stsEndpoint: url }),
    credentials: { accessKeyId: first?.accessKeyId ?? '', accessKeySecret: first?.accessKeySecret ?? '' },
    region: state.region,
    callbackPublicKey: callbackKey.publicKey,
    getObject(bucket, key) {
      const object: StoredObject | undefined = state.buckets.get(bucket)?.get(key);
      return object && { body: new Uint8Array(object.body), headers: { ...object.headers } };
    },
    close() {
      return new Promise((resolve, reject) => {
        callbackKey.closing.abort();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}
