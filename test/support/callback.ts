// Signs callbacks the way OSS does, independently of the library: the OSS API reference's formula
// `rsa_sign(private_key, url_decode(path) + query_string + '\n' + body, md5)`, with node:crypto.
import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestKey {
  publicKey: string;
  privateKey: string;
}

export function rsaKey(): TestKey {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  return {
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** base64 RSA/MD5 signature of `decodeURIComponent(path) + query + "\n" + body`; `target` is `/path?query`. */
export function signCallback(privateKey: string, target: string, body: string | Uint8Array): string {
  const question = target.indexOf('?');
  const path = question === -1 ? target : target.slice(0, question);
  const query = question === -1 ? '' : target.slice(question);
  const signed = Buffer.concat([Buffer.from(`${decodeURIComponent(path)}${query}\n`), Buffer.from(body)]);
  return sign('RSA-MD5', signed, privateKey).toString('base64');
}

export const base64 = (text: string): string => Buffer.from(text).toString('base64');

/** A server on 127.0.0.1 that counts every request it gets. */
export interface CountingServer {
  origin: string;
  hits: string[];
  close(): Promise<void>;
}

export async function countingServer(
  handle: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<CountingServer> {
  const hits: string[] = [];
  const server: Server = createServer((request, response) => {
    hits.push(request.url ?? '');
    handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
