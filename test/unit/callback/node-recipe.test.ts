// The plain Node recipe of docs/callbacks.md, over real HTTP on 127.0.0.1: the raw body reaches
// verifyOssCallback byte for byte, and the reply is what OSS needs (200, JSON, Content-Length).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OssSignError, verifyOssCallback } from '../../../src/index.js';
import { rsaKey, signCallback } from '../../support/callback.js';

const key = rsaKey();
const received: unknown[] = [];
let server: Server;
let origin: string;

beforeAll(async () => {
  // As in the docs, with the test key pinned in place of OSS's.
  server = createServer(async (req, res) => {
    if (req.method !== 'POST' || !req.url?.startsWith('/oss-callback')) return res.writeHead(404).end();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += chunk.length;
      if (size > 65_536) return res.writeHead(413).end();
      chunks.push(chunk);
    }
    try {
      const { params } = await verifyOssCallback(
        { url: req.url, headers: req.headers, body: Buffer.concat(chunks) },
        { publicKey: key.publicKey },
      );
      received.push(params);
      const reply = JSON.stringify({ ok: true });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(reply) });
      res.end(reply);
    } catch (error) {
      res.writeHead(error instanceof OssSignError ? 401 : 500).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** POSTs as OSS does: the body as bytes, signed over the path as sent. */
function post(target: string, body: string, authorization = signCallback(key.privateKey, target, body)) {
  return fetch(`${origin}${target}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
    body,
  });
}

describe('the plain Node recipe', () => {
  it('a signed callback: 200 JSON with Content-Length, params parsed', async () => {
    const body = 'object=photos%2F%E4%B8%AD.jpg&size=5&uid=42&emoji=%F0%9F%98%80';
    const response = await post('/oss-callback/%E4%B8%AD?upload=7f3c9a&exp=1767225600', body);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('11');
    expect(await response.json()).toEqual({ ok: true });
    expect(received.at(-1)).toEqual({ object: 'photos/中.jpg', size: '5', uid: '42', emoji: '😀' });
  });

  it('a forged or altered callback: 401', async () => {
    const body = 'object=a.jpg';
    const other = rsaKey();
    expect(
      (await post('/oss-callback', body, signCallback(other.privateKey, '/oss-callback', body))).status,
    ).toBe(401);
    const signature = signCallback(key.privateKey, '/oss-callback?upload=1', body);
    expect((await post('/oss-callback?upload=2', body, signature)).status).toBe(401);
  });

  it('a body over the limit: 413', async () => {
    expect((await post('/oss-callback', 'a'.repeat(70_000))).status).toBe(413);
  });
});
