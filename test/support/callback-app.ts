/**
 * An application server on 127.0.0.1 that receives upload callbacks as docs/callbacks.md says: the raw
 * body verified with verifyOssCallback before anything reads it, then a JSON reply with Content-Length.
 * `reply` makes it misbehave the ways OSS counts as a failed callback.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OssSignError, type VerifyOssCallbackOptions, verifyOssCallback } from '../../src/index.js';

export type Reply = 'json' | 'text' | 'status500' | 'chunked' | 'bom' | 'slow';

export interface ReceivedCallback {
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** What verifyOssCallback gave, or the code it refused with. */
  params?: unknown;
  refused?: string;
}

export interface CallbackApp {
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  received: ReceivedCallback[];
  /** How the next callbacks are answered; default 'json'. */
  reply: Reply;
  close(): Promise<void>;
}

/** The JSON the application answers a verified callback with: what it verified, echoed. */
export function appReply(params: unknown): string {
  return JSON.stringify({ ok: true, params });
}

export async function startCallbackApp(verify: VerifyOssCallbackOptions): Promise<CallbackApp> {
  const received: ReceivedCallback[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const entry: ReceivedCallback = { url: req.url ?? '', headers: req.headers, body };
    received.push(entry);
    try {
      entry.params = (await verifyOssCallback({ url: entry.url, headers: req.headers, body }, verify)).params;
    } catch (error) {
      if (!(error instanceof OssSignError)) throw error;
      entry.refused = error.code;
      const refusal = JSON.stringify({ error: error.code });
      res.writeHead(401, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(refusal),
      });
      return res.end(refusal);
    }
    const json = appReply(entry.params);
    const length = { 'content-length': String(Buffer.byteLength(json)) };
    switch (app.reply) {
      case 'json':
        return res.writeHead(200, { 'content-type': 'application/json', ...length }).end(json);
      case 'text':
        return res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' }).end('OK');
      case 'status500':
        return res.writeHead(500, { 'content-type': 'application/json', ...length }).end(json);
      case 'chunked':
        // Written in two pieces, so Node sends it chunked, without Content-Length.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(json.slice(0, 3));
        return res.end(json.slice(3));
      case 'bom': {
        const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]);
        return res
          .writeHead(200, { 'content-type': 'application/json', 'content-length': String(withBom.length) })
          .end(withBom);
      }
      case 'slow':
        setTimeout(() => res.writeHead(200, length).end(json), 6000).unref();
        return;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const app: CallbackApp = {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    reply: 'json',
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return app;
}
