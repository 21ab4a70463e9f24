// oss-direct-upload/client in Chromium, built as published, against the local endpoint behind a proxy that
// injects faults: multipart (progress, abort, retries, resume after a reload) and single-request uploads.
import { createHash } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as Client from '../../src/client/index.js';
import { presignMultipart } from '../../src/index.js';
import { send } from '../support/clients.js';
import { launchChromium } from './chromium.js';
import { BUCKET, buildClient, type ClientApp, startClientApp } from './client-app.js';

/** What the page defines (see PAGE in client-app.ts). */
interface PageGlobals {
  client: typeof Client;
  makeFile(size: number, seed?: number, name?: string, type?: string): File;
  sha256(blob: Blob): Promise<string>;
  sign(fn: 'presignMultipart' | 'presignUrl' | 'createPostPolicy', options: object): Promise<never>;
}

const MiB = 1024 * 1024;
let browser: Browser | undefined;
let app: ClientApp | undefined;
let removeBuild: (() => Promise<void>) | undefined;
let page: Page;

beforeAll(async () => {
  const [built, launched] = await Promise.all([buildClient(), launchChromium()]);
  removeBuild = built.remove;
  browser = launched;
  app = await startClientApp(built.code);
  page = await browser.newPage();
  await page.goto(`${app.url}/`);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await removeBuild?.();
}, 30_000);

beforeEach(() => {
  app?.proxy.reset();
  app?.proxy.answered.splice(0);
  if (app) app.listMaxParts = undefined;
});

function local() {
  if (!app) throw new Error('the app did not start');
  return app;
}

function stored(key: string) {
  const object = local().local.getObject(BUCKET, key);
  return (
    object && { sha256: createHash('sha256').update(object.body).digest('hex'), headers: object.headers }
  );
}

/** Proxy log lines for one object: 'PUT 2 200' for a part, 'POST uploads 200', 'DELETE 204'… */
function log(key: string): string[] {
  return local()
    .proxy.answered.filter((r) => r.url.split('?')[0]?.endsWith(`/${encodeURI(key)}`))
    .map(({ method, url, status }) => {
      const query = new URLSearchParams(url.split('?')[1]);
      const what =
        query.get('partNumber') ?? (query.has('uploads') ? 'uploads' : query.has('uploadId') ? 'id' : '');
      return `${method} ${what} ${status}`.replace('  ', ' ');
    });
}

/** Chrome reports upload progress every 50 ms: a fast local upload may give one event only. */
function expectProgress(events: Client.UploadProgress[], size: number, atLeast = 1): void {
  expect(events.length).toBeGreaterThanOrEqual(atLeast);
  for (const [index, event] of events.entries()) {
    expect(event.total).toBe(size);
    if (index > 0) expect(event.loaded).toBeGreaterThan(events[index - 1]?.loaded ?? Number.NaN);
  }
  expect(events.at(-1)?.loaded).toBe(size);
}

async function listParts(key: string, uploadId: string) {
  const { url, method } = presignMultipart({
    bucket: BUCKET,
    region: local().local.region,
    endpoint: local().local.url,
    credentials: local().local.credentials,
    key,
    step: 'list',
    uploadId,
  });
  return send(url, { method });
}

describe('uploadMultipart', () => {
  it('uploads 24 MB in parallel parts, byte for byte, with progress that only grows to the size', async () => {
    const key = 'big/movie 1.mp4';
    const size = 24 * MiB;
    const outcome = await page.evaluate(
      async ({ key, size }) => {
        const { client, makeFile, sign, sha256 } = window as unknown as PageGlobals;
        const file = makeFile(size, undefined, 'movie.mp4', 'video/mp4');
        const events: Client.UploadProgress[] = [];
        const result = await client.uploadMultipart(file, {
          sign: (step) =>
            sign('presignMultipart', {
              ...step,
              key,
              ...(step.step === 'initiate' && { contentType: file.type }),
            }),
          onProgress: (event) => events.push(event),
        });
        return { result, events, sha256: await sha256(file) };
      },
      { key, size },
    );

    expect(stored(key)?.sha256).toBe(outcome.sha256);
    expect(stored(key)?.headers['content-type']).toBe('video/mp4');
    expect(outcome.result).toMatchObject({ status: 200, etag: stored(key)?.headers.etag });
    expect(outcome.result.uploadId).toMatch(/^[0-9A-F]{32}$/);
    expectProgress(outcome.events, size, 6);
    // 5 MiB parts by default, at most 4 at a time, then the XML part list.
    expect(log(key).sort()).toEqual([
      'POST id 200',
      'POST uploads 200',
      ...[1, 2, 3, 4, 5].map((n) => `PUT ${n} 200`),
    ]);
    expect(local().proxy.maxInFlight).toBeGreaterThan(1);
    expect(local().proxy.maxInFlight).toBeLessThanOrEqual(4);
  });

  it('abort midway: rejects with AbortError, cancels the parts in flight, aborts the upload, stores nothing', async () => {
    const key = 'big/aborted.bin';
    const outcome = await page.evaluate(async (key) => {
      const { client, makeFile, sign } = window as unknown as PageGlobals;
      const file = makeFile(12 * 1024 * 1024);
      const controller = new AbortController();
      let uploadId: string | undefined;
      const error = await client
        .uploadMultipart(file, {
          sign: (step) => sign('presignMultipart', { ...step, key }),
          signal: controller.signal,
          onUploadId: (id) => {
            uploadId = id;
          },
          onProgress: ({ loaded, total }) => {
            if (loaded > total / 3) controller.abort();
          },
        })
        .catch((error: Error) => error);
      return { name: (error as Error).name, uploadId };
    }, key);

    expect(outcome.name).toBe('AbortError');
    expect(stored(key)).toBeUndefined();
    expect(await listParts(key, outcome.uploadId ?? '')).toMatchObject({ status: 404, code: 'NoSuchUpload' });
    // A cancelled part whose bytes had all left the browser may still reach the endpoint after the abort:
    // it is refused, the upload being gone.
    const lines = log(key);
    const aborted = lines.indexOf('DELETE id 204');
    expect(aborted).toBeGreaterThan(0);
    expect(lines.slice(aborted + 1).every((line) => line.endsWith(' 404'))).toBe(true);
    expect(lines.filter((line) => line.startsWith('POST id'))).toEqual([]);
  });

  it('retries a part cut off midway and a part answered 500, each with a fresh URL (V1, completeAll)', async () => {
    const key = 'retry/file.bin';
    const proxy = local().proxy;
    proxy.inject('cut', (method, url) => method === 'PUT' && url.includes('partNumber=2&'));
    proxy.inject('fail', (method, url) => method === 'PUT' && url.includes('partNumber=3&'));
    const outcome = await page.evaluate(async (key) => {
      const { client, makeFile, sign, sha256 } = window as unknown as PageGlobals;
      const file = makeFile(4 * 256 * 1024 - 999, 9);
      const events: Client.UploadProgress[] = [];
      const signed: string[] = [];
      const result = await client.uploadMultipart(file, {
        sign: (step) => {
          signed.push(`${step.step} ${step.partNumber ?? ''}`.trim());
          return sign('presignMultipart', {
            ...step,
            key,
            signatureVersion: 'v1',
            completeAll: step.step === 'complete' || undefined,
          });
        },
        partSize: 256 * 1024,
        onProgress: (event) => events.push(event),
      });
      return { result, events, signed, size: file.size, sha256: await sha256(file) };
    }, key);

    expect(stored(key)?.sha256).toBe(outcome.sha256);
    expectProgress(outcome.events, outcome.size);
    const lines = log(key);
    expect(lines.filter((line) => line.startsWith('PUT 2'))).toEqual(['PUT 2 0', 'PUT 2 200']);
    expect(lines.filter((line) => line.startsWith('PUT 3'))).toEqual(['PUT 3 500', 'PUT 3 200']);
    expect(outcome.signed.sort()).toEqual([
      'complete',
      'initiate',
      'part 1',
      'part 2',
      'part 2',
      'part 3',
      'part 3',
      'part 4',
    ]);
  });

  it('a part failing more often than `retries` allows: rejects with OSS code and the uploadId, which resumes', async () => {
    const key = 'retry/resumed.bin';
    local().proxy.inject('fail', (method, url) => method === 'PUT' && url.includes('partNumber=2&'), 2);
    const outcome = await page.evaluate(async (key) => {
      const { client, makeFile, sign, sha256 } = window as unknown as PageGlobals;
      const file = makeFile(3 * 256 * 1024, 10);
      const options = {
        sign: (step: object) => sign('presignMultipart', { ...step, key }),
        partSize: 256 * 1024,
      };
      const error = (await client
        .uploadMultipart(file, { ...options, retries: 1 })
        .catch((e) => e)) as Client.UploadError;
      const failure = {
        name: error.name,
        code: error.code,
        status: error.status,
        message: error.message,
        uploadId: error.uploadId,
      };
      const result = await client.uploadMultipart(file, {
        ...options,
        resume: { uploadId: error.uploadId ?? '' },
      });
      return { failure, result, sha256: await sha256(file) };
    }, key);

    expect(outcome.failure).toMatchObject({
      name: 'UploadError',
      code: 'InternalError',
      status: 500,
      message: 'We encountered an internal error.',
    });
    expect(outcome.result.uploadId).toBe(outcome.failure.uploadId);
    expect(stored(key)?.sha256).toBe(outcome.sha256);
    // Parts 1 and 3 were stored by the first call: the second sent part 2 alone.
    expect(
      log(key)
        .filter((line) => line.startsWith('PUT'))
        .sort(),
    ).toEqual(['PUT 1 200', 'PUT 2 200', 'PUT 2 500', 'PUT 2 500', 'PUT 3 200']);
  });

  it('resumes after a page reload: lists the stored parts (paged) and sends only the missing ones', async () => {
    const key = 'resume/after-reload.bin';
    const app = local();
    app.listMaxParts = 1;
    // Parts 3 and later never get an answer before the reload.
    app.proxy.inject('stall', (method, url) => method === 'PUT' && !/partNumber=[12]&/.test(url), 100);
    const start = (resume: boolean) =>
      page.evaluate(
        async ({ key, resume }) => {
          const { client, makeFile, sign, sha256 } = window as unknown as PageGlobals;
          const file = makeFile(6 * 256 * 1024 - 1000, 11);
          const events: Client.UploadProgress[] = [];
          const saved = localStorage.getItem(key);
          const upload = client.uploadMultipart(file, {
            sign: (step) => sign('presignMultipart', { ...step, key, signatureVersion: 'v1' }),
            partSize: 256 * 1024,
            onUploadId: (uploadId) => localStorage.setItem(key, uploadId),
            onProgress: (event) => events.push(event),
            ...(resume && saved && { resume: { uploadId: saved } }),
          });
          if (!resume) return undefined;
          return { result: await upload, events, size: file.size, sha256: await sha256(file) };
        },
        { key, resume },
      );

    await start(false);
    await expect
      .poll(() => log(key).filter((line) => line.endsWith(' 200') && line.startsWith('PUT')), {
        timeout: 10_000,
      })
      .toHaveLength(2);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    app.proxy.reset();
    const before = app.proxy.answered.length;
    const outcome = await start(true);

    expect(stored(key)?.sha256).toBe(outcome?.sha256);
    expect(log(key).sort()).toEqual(
      [
        'GET id 200',
        'GET id 200',
        'POST id 200',
        'POST uploads 200',
        ...[1, 2, 3, 4, 5, 6].map((n) => `PUT ${n} 200`),
      ].sort(),
    );
    // One part per ListParts page: the second page starts after part 1.
    const pages = app.proxy.answered.slice(before).filter((r) => r.method === 'GET');
    expect(pages.map((r) => new URLSearchParams(r.url.split('?')[1]).get('part-number-marker'))).toEqual([
      null,
      '1',
    ]);
    expect(outcome?.events[0]?.loaded).toBe(2 * 256 * 1024);
    expectProgress(outcome?.events ?? [], outcome?.size ?? 0);
  });
});

describe('uploadFile', () => {
  const upload = (
    fn: 'presignUrl' | 'createPostPolicy',
    signOptions: object,
    file: { size: number; name: string; type: string },
    options: { key?: string; abortAfterMs?: number } = {},
  ) =>
    page.evaluate(
      async ({ fn, signOptions, file: f, options }) => {
        const { client, makeFile, sign, sha256 } = window as unknown as PageGlobals;
        const file = makeFile(f.size, undefined, f.name, f.type);
        const events: Client.UploadProgress[] = [];
        const controller = new AbortController();
        if (options.abortAfterMs !== undefined) setTimeout(() => controller.abort(), options.abortAfterMs);
        try {
          const result = await client.uploadFile(file, await sign(fn, signOptions), {
            onProgress: (event) => events.push(event),
            signal: controller.signal,
            ...(options.key !== undefined && { key: options.key }),
          });
          return { result, events, sha256: await sha256(file) };
        } catch (e) {
          const { name, code, status, message, requestId } = e as Client.UploadError;
          return { error: { name, code, status, message, requestId } };
        }
      },
      { fn, signOptions, file, options },
    );

  it('PUT to a presigned URL with its headers: progress, ETag, bytes', async () => {
    const key = 'put/notes.txt';
    const outcome = await upload(
      'presignUrl',
      { method: 'PUT', key, contentType: 'text/plain' },
      { size: 3 * MiB, name: 'notes.txt', type: 'text/plain' },
    );
    expect(stored(key)?.sha256).toBe(outcome.sha256);
    expect(stored(key)?.headers['content-type']).toBe('text/plain');
    expect(outcome.result).toEqual({ status: 200, etag: stored(key)?.headers.etag, body: '' });
    expectProgress(outcome.events ?? [], 3 * MiB);
  });

  it("PUT with no signed type does not send the file's own type (which would break the signature)", async () => {
    const key = 'put/untyped.png';
    const outcome = await upload(
      'presignUrl',
      { method: 'PUT', key },
      { size: 1000, name: 'a.png', type: 'image/png' },
    );
    expect(outcome.result?.status).toBe(200);
    expect(stored(key)?.sha256).toBe(outcome.sha256);
  });

  it("rejects with OSS's code, message, status and request id; without CORS, with NetworkError", async () => {
    const file = { size: 1000, name: 'x.bin', type: '' };
    const expired = {
      method: 'PUT',
      key: 'put/late.bin',
      now: new Date(Date.now() - 3_600_000),
      expiresIn: 60,
    };
    expect((await upload('presignUrl', expired, file)).error).toMatchObject({
      name: 'UploadError',
      code: 'AccessDenied',
      status: 403,
      message: expect.stringMatching(/expired/i),
      requestId: expect.stringMatching(/^[0-9A-F]{24}$/),
    });
    // A bucket that does not exist has no CORS rule: the browser hides the answer.
    const noBucket = { method: 'PUT', key: 'put/x.bin', bucket: 'no-such-bucket' };
    expect((await upload('presignUrl', noBucket, file)).error).toMatchObject({
      code: 'NetworkError',
      status: 0,
    });
    expect(stored('put/late.bin')).toBeUndefined();
  });

  it('abort: rejects with AbortError and nothing is stored', async () => {
    const key = 'put/aborted.bin';
    local().proxy.inject('stall', (method, url) => method === 'PUT' && url.includes('/aborted.bin'));
    const outcome = await upload(
      'presignUrl',
      { method: 'PUT', key },
      { size: 1000, name: 'a.bin', type: '' },
      { abortAfterMs: 100 },
    );
    expect(outcome.error?.name).toBe('AbortError');
    expect(stored(key)).toBeUndefined();
  });

  it('POST form of a policy: fields in order, a chosen key, the file last; ETag and XML body', async () => {
    const key = 'forms/chosen name.bin';
    const outcome = await upload(
      'createPostPolicy',
      { keyPrefix: 'forms/', contentLengthRange: [0, 2 * MiB], successActionStatus: 201 },
      { size: MiB, name: 'original.bin', type: 'application/octet-stream' },
      { key },
    );
    expect(stored(key)?.sha256).toBe(outcome.sha256);
    expect(outcome.result).toMatchObject({ status: 201, etag: stored(key)?.headers.etag });
    expect(outcome.result?.body).toContain(`<Key>${key}</Key>`);
    expectProgress(outcome.events ?? [], MiB);
  });

  it("POST form without a chosen key: the policy's ${filename} key", async () => {
    const outcome = await upload(
      'createPostPolicy',
      { keyPrefix: 'forms/', contentLengthRange: [0, MiB] },
      { size: 5000, name: 'photo 1.jpg', type: 'image/jpeg' },
    );
    expect(outcome.result).toMatchObject({ status: 204, body: '' });
    expect(stored('forms/photo 1.jpg')?.sha256).toBe(outcome.sha256);
  });

  it("POST over the policy's size: OSS's EntityTooLarge", async () => {
    const outcome = await upload(
      'createPostPolicy',
      { keyPrefix: 'forms/', contentLengthRange: [0, 1000] },
      { size: 1001, name: 'large.bin', type: '' },
    );
    expect(outcome.error).toMatchObject({ name: 'UploadError', code: 'EntityTooLarge', status: 400 });
    expect(stored('forms/large.bin')).toBeUndefined();
  });

  it('a 203 from OSS (stored, callback failed) resolves with callbackFailed, not an error', async () => {
    const key = 'put/callback.bin';
    local().proxy.inject(
      'callbackFailed',
      (method, url) => method === 'PUT' && url.includes('/callback.bin'),
    );
    const outcome = await upload(
      'presignUrl',
      { method: 'PUT', key },
      { size: 2000, name: 'c.bin', type: '' },
    );
    expect(outcome.result).toMatchObject({
      status: 203,
      callbackFailed: true,
      etag: stored(key)?.headers.etag,
    });
    expect(outcome.result?.body).toContain('<Code>CallbackFailed</Code>');
    expect(stored(key)?.sha256).toBe(outcome.sha256);
  });
});
