// Upload callbacks from Chromium, end to end: an application server signs uploads with a callback to itself
// (createPostPolicy, presignUrl, presignMultipart), receives the local endpoint's callbacks on a real route
// that verifies them with verifyOssCallback, and the page gets the application's JSON reply.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as Client from '../../src/client/index.js';
import {
  type CallbackOptions,
  createPostPolicy,
  type OssSignError,
  presignMultipart,
  presignUrl,
  verifyOssCallback,
} from '../../src/index.js';
import { createLocalOss, type LocalOss } from '../../src/testing/index.js';
import { launchChromium } from './chromium.js';
import { BUCKET, buildClient, close, listen } from './client-app.js';

const PAGE = `<!doctype html><meta charset="utf-8"><title>callbacks</title>
<script type="module">
import * as client from '/client.js';
window.client = client;
window.sign = async (fn, options) => {
  const response = await fetch('/sign', { method: 'POST', body: JSON.stringify({ fn, options }) });
  const body = await response.json();
  if (!response.ok) throw Object.assign(new Error(body.message), { code: body.code });
  return body;
};
// A real image encoded by the browser, so the endpoint's image sizes are checked on bytes it did not make.
window.makeImage = (width, height, type) => {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  context.fillStyle = '#3a7';
  context.fillRect(0, 0, width, height);
  return new Promise((resolve) => canvas.toBlob(resolve, type, 0.9));
};
document.body.dataset.ready = 'true';
</script>`;

/** What the page defines. */
interface PageGlobals {
  client: typeof Client;
  sign(fn: 'createPostPolicy' | 'presignUrl' | 'presignMultipart', options: object): Promise<never>;
  makeImage(width: number, height: number, type: string): Promise<Blob>;
}

interface Received {
  url: string;
  params: unknown;
}

let browser: Browser | undefined;
let removeBuild: (() => Promise<void>) | undefined;
let oss: LocalOss;
let page: Page;
let origin: string;
const server = createServer();
const received: Received[] = [];

/**
 * The callback the application attaches to every upload it signs: the user id is its own (the page never
 * chooses it), and `reply=text` in the URL makes its callback route answer what OSS counts as a failure.
 */
function callbackFor(reply: string | undefined): CallbackOptions {
  return {
    url: `${origin}/oss-callback${reply ? `?reply=${reply}` : ''}`,
    body: 'object=${object}&size=${size}&etag=${etag}&w=${imageInfo.width}&h=${imageInfo.height}&format=${imageInfo.format}&operation=${operation}&uid=${x:uid}',
    vars: { uid: 'user-42' },
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The application: the page, the signing route, and the callback route. */
async function handle(req: IncomingMessage, res: ServerResponse, clientCode: string): Promise<void> {
  if (req.method === 'GET' && (req.url === '/' || req.url === '/client.js')) {
    const isPage = req.url === '/';
    res.writeHead(200, { 'content-type': isPage ? 'text/html; charset=utf-8' : 'text/javascript' });
    return void res.end(isPage ? PAGE : clientCode);
  }
  if (req.method === 'POST' && req.url?.startsWith('/oss-callback')) {
    // The raw body, verified before anything parses it.
    const body = await readBody(req);
    try {
      const { params } = await verifyOssCallback(
        { url: req.url, headers: req.headers, body },
        { publicKey: oss.callbackPublicKey },
      );
      received.push({ url: req.url, params });
      if (req.url.includes('reply=text')) return void res.writeHead(200, { 'content-length': '2' }).end('OK');
      return json(res, 200, { confirmed: true, ...(params as object) });
    } catch (error) {
      return json(res, 401, { error: (error as OssSignError).code });
    }
  }
  if (req.method === 'POST' && req.url === '/sign') {
    const { fn, options } = JSON.parse((await readBody(req)).toString()) as {
      fn: string;
      options: { reply?: string; step?: string } & Record<string, unknown>;
    };
    const { reply, ...rest } = options;
    const location = { bucket: BUCKET, region: oss.region, endpoint: oss.url, credentials: oss.credentials };
    const callback = callbackFor(reply);
    try {
      if (fn === 'createPostPolicy') {
        return json(
          res,
          200,
          createPostPolicy({ ...location, ...rest, contentLengthRange: [0, 10_000_000], callback }),
        );
      }
      if (fn === 'presignUrl') {
        const put = { ...location, ...rest, method: 'PUT', callback } as Parameters<typeof presignUrl>[0];
        return json(res, 200, presignUrl(put));
      }
      const step = { ...location, ...rest } as Parameters<typeof presignMultipart>[0];
      return json(res, 200, presignMultipart(rest.step === 'complete' ? { ...step, callback } : step));
    } catch (error) {
      return json(res, 400, { code: (error as OssSignError).code, message: (error as Error).message });
    }
  }
  res.writeHead(404).end();
}

beforeAll(async () => {
  const [built, launched] = await Promise.all([buildClient(), launchChromium()]);
  removeBuild = built.remove;
  browser = launched;
  origin = await listen(server);
  oss = await createLocalOss({ buckets: [BUCKET], corsOrigins: [origin] });
  server.on('request', (req, res) => {
    handle(req, res, built.code).catch(() => res.destroy());
  });
  page = await browser.newPage();
  await page.goto(`${origin}/`);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await close(server);
  await oss?.close();
  await removeBuild?.();
}, 30_000);

beforeEach(() => {
  received.length = 0;
});

const etagOf = (key: string) => oss.getObject(BUCKET, key)?.headers.etag;

describe('upload callbacks from the browser', () => {
  it('PostObject: a JPEG the browser encoded, and the application JSON as the upload result', async () => {
    const key = 'cb/photo.jpg';
    const outcome = await page.evaluate(async (key) => {
      const { sign, makeImage } = window as unknown as PageGlobals;
      const image = await makeImage(123, 45, 'image/jpeg');
      const policy = await sign('createPostPolicy', { key });
      const form = new FormData();
      for (const [name, value] of Object.entries((policy as { fields: Record<string, string> }).fields)) {
        form.append(name, value);
      }
      form.append('file', image, 'photo.jpg');
      const response = await fetch((policy as { url: string }).url, { method: 'POST', body: form });
      return {
        status: response.status,
        etag: response.headers.get('etag'),
        body: await response.text(),
        size: image.size,
      };
    }, key);
    expect([outcome.status, outcome.body]).toEqual([200, expect.any(String)]);
    expect(outcome.etag).toBe(etagOf(key));
    const expected = {
      object: key,
      size: String(outcome.size),
      etag: etagOf(key)?.replaceAll('"', ''),
      w: '123',
      h: '45',
      format: 'jpg',
      operation: 'PostObject',
      uid: 'user-42',
    };
    expect(received).toEqual([{ url: '/oss-callback', params: expected }]);
    expect(JSON.parse(outcome.body)).toEqual({ confirmed: true, ...expected });
  });

  it('PostObject: a form whose callback field was swapped is refused by the policy', async () => {
    const outcome = await page.evaluate(async () => {
      const { client, sign } = window as unknown as PageGlobals;
      const policy = (await sign('createPostPolicy', { key: 'cb/swapped.bin' })) as {
        url: string;
        fields: Record<string, string>;
      };
      const evil = btoa(JSON.stringify({ callbackUrl: 'http://127.0.0.1:9/', callbackBody: 'uid=${x:uid}' }));
      const fields = { ...policy.fields, callback: evil };
      return client
        .uploadFile(new Blob(['swap']), { url: policy.url, fields })
        .catch((error) => `${error.code}: ${error.message}`);
    });
    expect(outcome).toMatch(
      /^AccessDenied: Invalid according to Policy: Policy Condition failed: \["eq","\$callback"/,
    );
    expect(oss.getObject(BUCKET, 'cb/swapped.bin')).toBeUndefined();
    expect(received).toEqual([]);
  });

  it('presigned PUT with the client: a PNG, and the application JSON as the result body', async () => {
    const key = 'cb/drawing.png';
    const outcome = await page.evaluate(async (key) => {
      const { client, sign, makeImage } = window as unknown as PageGlobals;
      const image = await makeImage(64, 32, 'image/png');
      const result = await client.uploadFile(
        image,
        await sign('presignUrl', { key, contentType: 'image/png' }),
      );
      return { ...result, size: image.size };
    }, key);
    const expected = {
      object: key,
      size: String(outcome.size),
      etag: etagOf(key)?.replaceAll('"', ''),
      w: '64',
      h: '32',
      format: 'png',
      operation: 'PutObject',
      uid: 'user-42',
    };
    expect(received).toEqual([{ url: '/oss-callback', params: expected }]);
    expect(outcome).toMatchObject({ status: 200, etag: etagOf(key) });
    expect(outcome.callbackFailed).toBeUndefined();
    expect(JSON.parse(outcome.body)).toEqual({ confirmed: true, ...expected });
  });

  it('presigned PUT whose callback gets a reply that is not JSON: callbackFailed, the object stored', async () => {
    const key = 'cb/unconfirmed.bin';
    const outcome = await page.evaluate(async (key) => {
      const { client, sign } = window as unknown as PageGlobals;
      return client.uploadFile(new Blob(['unconfirmed']), await sign('presignUrl', { key, reply: 'text' }));
    }, key);
    expect(outcome).toMatchObject({ status: 203, callbackFailed: true, etag: etagOf(key) });
    expect(outcome.body).toContain('<Code>CallbackFailed</Code>');
    expect(outcome.body).toContain('Response body is not valid json format.');
    expect(oss.getObject(BUCKET, key)?.body).toEqual(new TextEncoder().encode('unconfirmed'));
    expect(received).toHaveLength(1);
  });

  it('multipart with presignMultipart and the client: the callback on complete', async () => {
    const key = 'cb/video.bin';
    const size = 6 * 1024 * 1024 + 123;
    const outcome = await page.evaluate(
      async ({ key, size }) => {
        const { client, sign } = window as unknown as PageGlobals;
        const file = new Blob([new Uint8Array(size).fill(7)]);
        return client.uploadMultipart(file, { sign: (step) => sign('presignMultipart', { ...step, key }) });
      },
      { key, size },
    );
    const expected = {
      object: key,
      size: String(size),
      etag: etagOf(key)?.replaceAll('"', ''),
      w: '',
      h: '',
      format: '',
      operation: 'CompleteMultipartUpload',
      uid: 'user-42',
    };
    expect(outcome).toMatchObject({ status: 200, etag: etagOf(key) });
    expect(etagOf(key)).toMatch(/-2"$/);
    expect(JSON.parse(outcome.body)).toEqual({ confirmed: true, ...expected });
  });
});
