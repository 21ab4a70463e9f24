// The smoke test every framework example passes: its routes, called over HTTP (or as route handlers), and
// the uploads they sign sent from Node to a local endpoint (fetch for PUT, the POST form and presigned
// multipart; ali-oss with the STS credentials), the stored bytes compared with what was sent. The three
// signed methods carry an upload callback: the local endpoint calls the example's callback route, which
// verifies it with the endpoint's key, and relays the route's JSON reply to the uploader.
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OssTarget } from '../../examples/shared/env.mjs';
import { aliOssOptions } from '../../examples/shared/page/ali-oss-options.js';
import { LOCAL_BUCKET, LOCAL_ROLE_ARN } from '../../examples/shared/target.mjs';
import type { ConfirmedUpload, StsUploadGrant, UploadsOptions } from '../../examples/shared/uploads.js';
import { createLocalOss, type LocalOss } from '../../src/testing/index.js';
import { rsaKey, signCallback } from '../support/callback.js';

/**
 * An example under test: `call` sends one request to the route at `path` (`/api/...`). The example serves
 * its callback route at a URL the local endpoint reaches, and the target's callback without a URL calls it.
 */
export interface ExampleUnderTest {
  call(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export type OpenExample = (target: OssTarget, uploads: UploadsOptions) => Promise<ExampleUnderTest>;

interface AliOssClient {
  put(name: string, body: Buffer): Promise<unknown>;
}
const AliOss = createRequire(import.meta.url)('ali-oss') as new (options: object) => AliOssClient;

/** What the stand-in signed-in user may write under (examples/shared/user.ts). */
const USER = 'user-42';
const PREFIX = `uploads/${USER}/`;
const SECRET_MARK = 'never-in-a-log';

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest();
/** OSS's ETag of an object stored whole: the MD5 of its bytes, upper-case hex. */
const etagOf = (bytes: Uint8Array) => md5(bytes).toString('hex').toUpperCase();
/** OSS's ETag of a multipart object: the MD5 of the parts' MD5s, then "-" and the number of parts. */
const multipartEtagOf = (parts: Uint8Array[]) =>
  `${md5(Buffer.concat(parts.map(md5)))
    .toString('hex')
    .toUpperCase()}-${parts.length}`;

export function describeExample(name: string, open: OpenExample, { servesPage = true } = {}): void {
  describe(`the ${name} example`, () => {
    let local: LocalOss;
    let target: OssTarget;
    let example: ExampleUnderTest;
    /** What the example's callback route recorded (its `onUpload`). */
    const confirmed: ConfirmedUpload[] = [];

    beforeAll(async () => {
      local = await createLocalOss({ buckets: [LOCAL_BUCKET], roleArn: LOCAL_ROLE_ARN });
      target = {
        bucket: LOCAL_BUCKET,
        region: local.region,
        endpoint: local.url,
        credentials: local.credentials,
        sts: { roleArn: LOCAL_ROLE_ARN, endpoint: local.stsEndpoint },
        callback: { publicKey: local.callbackPublicKey },
      };
      example = await open(target, { onUpload: (upload) => void confirmed.push(upload) });
    });

    afterAll(async () => {
      await example?.close();
      await local?.close();
    });

    const postJson = (path: string, body: unknown = {}) =>
      example.call(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    /** The route's JSON answer, which must be a 200 that no cache keeps. */
    const signed = async <T>(path: string, body: unknown = {}): Promise<T> => {
      const response = await postJson(path, body);
      const value = await response.json();
      expect({ status: response.status, value }).toMatchObject({ status: 200 });
      expect(response.headers.get('cache-control')).toBe('no-store');
      return value as T;
    };
    const stored = (key: string) => Buffer.from(local.getObject(LOCAL_BUCKET, key)?.body ?? []);
    /**
     * The upload's callback reached the example's callback route, which recorded this upload once, and the
     * uploader got the route's JSON reply (relayed by the endpoint) with the object's ETag.
     */
    const expectConfirmed = async (
      response: Response,
      expected: { object: string; bytes: Uint8Array; etag: string; mimeType: string },
    ) => {
      const upload: ConfirmedUpload = {
        bucket: LOCAL_BUCKET,
        object: expected.object,
        etag: expected.etag,
        size: expected.bytes.length,
        mimeType: expected.mimeType,
        user: USER,
      };
      expect(confirmed.splice(0)).toEqual([upload]);
      expect({ status: response.status, body: await response.json() }).toEqual({
        status: 200,
        body: { received: true, upload },
      });
      expect(response.headers.get('etag')).toBe(`"${expected.etag}"`);
    };

    if (servesPage) {
      it('serves the page and its script', async () => {
        const page = await example.call('/');
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toMatch(/^text\/html/);
        expect(await page.text()).toContain('src="/page.js"');
        const script = await example.call('/page.js');
        expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
        // The bundle holds the upload client and ali-oss's browser build.
        expect(await script.text()).toMatch(/x-oss-complete-all[\s\S]*refreshSTSToken/);
      });
    }

    it('presigned PUT: the URL stores the bytes sent, with the type given, under the user prefix; the callback confirms it', async () => {
      const { key, url, method, headers } = await signed<{
        key: string;
        url: string;
        method: string;
        headers: Record<string, string>;
      }>('/api/presigned-url', { name: 'a b ü.txt', type: 'text/plain' });
      expect(key).toBe(`${PREFIX}a b ü.txt`);
      const bytes = randomBytes(3000);
      const response = await fetch(url, { method, headers, body: bytes });
      expect(stored(key)).toEqual(bytes);
      expect(local.getObject(LOCAL_BUCKET, key)?.headers['content-type']).toBe('text/plain');
      await expectConfirmed(response, { object: key, bytes, etag: etagOf(bytes), mimeType: 'text/plain' });
    });

    it('POST policy: the form stores the file under the user prefix with its own name; the callback confirms it', async () => {
      const { url, fields } = await signed<{ url: string; fields: Record<string, string> }>(
        '/api/post-policy',
      );
      const bytes = randomBytes(5000);
      const form = new FormData();
      for (const [field, value] of Object.entries(fields)) form.append(field, value);
      form.append('file', new Blob([bytes], { type: 'image/x-test' }), 'form.bin');
      const response = await fetch(url, { method: 'POST', body: form });
      expect(stored(`${PREFIX}form.bin`)).toEqual(bytes);
      // The callback's reply replaces OSS's 201 answer.
      await expectConfirmed(response, {
        object: `${PREFIX}form.bin`,
        bytes,
        etag: etagOf(bytes),
        mimeType: 'image/x-test',
      });
    });

    it('STS: ali-oss writes under the prefix with the credentials, and nowhere else', async () => {
      const grant = await signed<StsUploadGrant>('/api/sts-credentials');
      expect(grant).toMatchObject({
        bucket: LOCAL_BUCKET,
        region: local.region,
        endpoint: local.url,
        prefix: PREFIX,
      });
      // The route asks for credentials that outlive the page's 10-minute refresh interval.
      expect(Date.parse(grant.expiration)).toBeGreaterThanOrEqual(Date.now() + 900_000 - 5_000);
      // The page's options, but for ali-oss on Node, which addresses an IP endpoint through the Host header
      // (and mis-signs a path-style request).
      const client = new AliOss({ ...aliOssOptions(grant), sldEnable: false });
      const bytes = randomBytes(4000);
      await client.put(`${PREFIX}sts.bin`, bytes);
      expect(stored(`${PREFIX}sts.bin`)).toEqual(bytes);
      await expect(client.put('uploads/someone-else/sts.bin', bytes)).rejects.toMatchObject({
        status: 403,
        code: 'AccessDenied',
      });
      // The SDK writes its own requests: no callback the server chose.
      expect(confirmed).toEqual([]);
    });

    it('presigned multipart: initiate, three parts, complete; the object is the parts in order; the callback confirms it', async () => {
      const bytes = randomBytes(2 * 100 * 1024 + 777);
      const partSize = 100 * 1024;
      const step = (request: object) =>
        signed<{ key: string; url: string; method: string; headers: Record<string, string> }>(
          '/api/multipart',
          {
            name: 'big.bin',
            type: 'application/x-test',
            ...request,
          },
        );
      const send = (
        request: { url: string; method: string; headers: Record<string, string> },
        body?: BodyInit,
      ) => fetch(request.url, { method: request.method, headers: request.headers, body });
      const initiate = await step({ step: 'initiate' });
      expect(initiate.key).toBe(`${PREFIX}big.bin`);
      const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(await (await send(initiate)).text())?.[1];
      expect(uploadId).toBeTruthy();
      const parts: Uint8Array<ArrayBuffer>[] = [];
      for (let part = 0; part * partSize < bytes.length; part++) {
        const chunk = new Uint8Array(bytes.subarray(part * partSize, (part + 1) * partSize));
        parts.push(chunk);
        const sent = await send(await step({ step: 'part', uploadId, partNumber: part + 1 }), chunk);
        expect(sent.status).toBe(200);
      }
      expect(parts).toHaveLength(3);
      expect(confirmed).toEqual([]);
      const completed = await send(await step({ step: 'complete', uploadId }));
      expect(stored(`${PREFIX}big.bin`)).toEqual(bytes);
      expect(local.getObject(LOCAL_BUCKET, `${PREFIX}big.bin`)?.headers['content-type']).toBe(
        'application/x-test',
      );
      // The callback's reply replaces CompleteMultipartUpload's XML.
      await expectConfirmed(completed, {
        object: `${PREFIX}big.bin`,
        bytes,
        etag: multipartEtagOf(parts),
        mimeType: 'application/x-test',
      });
    });

    it.each([
      ['a body that is not JSON', '/api/presigned-url', 'name=a.txt', 'InvalidBody'],
      ['a JSON array', '/api/presigned-url', '[]', 'InvalidBody'],
      ['no name', '/api/presigned-url', '{"type":"text/plain"}', 'InvalidBody'],
      ['a path for a name', '/api/presigned-url', '{"name":"../../etc/passwd"}', 'InvalidName'],
      [
        'a content type with a line break',
        '/api/presigned-url',
        '{"name":"a","type":"text/plain\\r\\nx: y"}',
        'INVALID_HEADER',
      ],
      ['an unknown step', '/api/multipart', '{"name":"a","step":"delete-everything"}', 'INVALID_ARGUMENT'],
      [
        'part number 0',
        '/api/multipart',
        '{"name":"a","step":"part","uploadId":"U","partNumber":0}',
        'INVALID_PART_NUMBER',
      ],
      [
        'a part number as text',
        '/api/multipart',
        '{"name":"a","step":"part","uploadId":"U","partNumber":"1"}',
        'InvalidBody',
      ],
    ])('answers 400 JSON to %s', async (_, path, body, code) => {
      const response = await example.call(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code, message: expect.any(String) });
    });

    it("answers 413 JSON to a body over the JSON routes' limit", async () => {
      const response = await postJson('/api/presigned-url', { name: 'a.txt', padding: 'x'.repeat(20_000) });
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ code: 'BodyTooLarge' });
    });

    describe('the callback route', () => {
      // Callbacks signed here, with a test key: for them, the example opened again trusting that key.
      const testKey = rsaKey();
      let trusting: ExampleUnderTest;
      const recorded: ConfirmedUpload[] = [];

      beforeAll(async () => {
        trusting = await open(
          { ...target, callback: { publicKey: testKey.publicKey } },
          { onUpload: (upload) => void recorded.push(upload) },
        );
      });

      afterAll(() => trusting?.close());
      beforeEach(() => {
        recorded.length = 0;
      });

      // The query is signed too: each framework must hand the route the path and query OSS called.
      const path = '/api/oss-callback?upload=7f3c9a&exp=1767225600';
      const upload: ConfirmedUpload = {
        bucket: LOCAL_BUCKET,
        object: `${PREFIX}a b+ü.txt`,
        etag: '900150983CD24FB0D6963F7D28E17F72',
        size: 3,
        mimeType: 'text/plain',
        user: USER,
      };
      /** A form body of the fields that are not undefined. */
      const formOf = (fields: object) =>
        new URLSearchParams(
          Object.entries(fields).flatMap(([name, value]) =>
            value === undefined ? [] : [[name, String(value)]],
          ),
        ).toString();
      const post = (to: ExampleUnderTest, type: string, body: string, privateKey: string) =>
        to.call(path, {
          method: 'POST',
          headers: { 'content-type': type, authorization: signCallback(privateKey, path, body) },
          body,
        });

      it.each([
        ['application/x-www-form-urlencoded', formOf(upload)],
        // A JSON body must reach the route unparsed too: the signature covers its bytes.
        ['application/json', JSON.stringify({ ...upload, size: String(upload.size) })],
      ])('records a %s callback signed with the key it trusts, and answers JSON', async (type, body) => {
        const response = await post(trusting, type, body, testKey.privateKey);
        expect({ status: response.status, body: await response.json() }).toEqual({
          status: 200,
          body: { received: true, upload },
        });
        expect(response.headers.get('content-type')).toMatch(/^application\/json/);
        expect(recorded.splice(0)).toEqual([upload]);
      });

      it("answers 401 JSON to a callback signed with another key than the endpoint's, recording nothing", async () => {
        const response = await post(
          example,
          'application/x-www-form-urlencoded',
          formOf(upload),
          testKey.privateKey,
        );
        expect(response.status).toBe(401);
        expect(await response.json()).toMatchObject({ code: 'CALLBACK_SIGNATURE_INVALID' });
        expect(confirmed).toEqual([]);
      });

      // Signed, but not an upload this server signed: OSS calls any URL a bucket owner names.
      it.each([
        ['to another bucket', { bucket: 'someone-elses-bucket' }],
        ['naming a user the object is not under', { user: 'user-7' }],
        ['outside the uploads prefix', { object: 'public/a.txt' }],
      ])('answers 403 JSON to a signed callback for an upload %s, recording nothing', async (_, change) => {
        const body = formOf({ ...upload, ...change });
        const response = await post(trusting, 'application/x-www-form-urlencoded', body, testKey.privateKey);
        expect(response.status).toBe(403);
        expect(await response.json()).toMatchObject({ code: 'UnexpectedUpload' });
        expect(recorded).toEqual([]);
      });

      const FORM = 'application/x-www-form-urlencoded';
      it.each([
        ['without the user', FORM, formOf({ ...upload, user: undefined })],
        ['with a size that is not a number', FORM, formOf({ ...upload, size: '3 bytes' })],
        ['that is neither a form nor JSON', 'text/plain', formOf(upload)],
      ])('answers 400 JSON to a signed callback body %s', async (_, type, body) => {
        const response = await post(trusting, type, body, testKey.privateKey);
        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({ code: 'InvalidBody' });
        expect(recorded).toEqual([]);
      });
    });

    it('answers 503 JSON while STS is down, logs no secret, and keeps serving', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise((resolve) => closed.close(resolve));
      const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
      const warned = vi.spyOn(console, 'warn').mockImplementation(() => {});
      const down = await open(
        {
          ...target,
          credentials: {
            ...target.credentials,
            accessKeySecret: `${target.credentials.accessKeySecret}${SECRET_MARK}`,
          },
          sts: { ...target.sts, endpoint: `http://127.0.0.1:${port}` },
        },
        { sts: { maxAttempts: 1, timeoutMs: 2000 } },
      );
      try {
        const failed = await down.call('/api/sts-credentials', { method: 'POST' });
        expect(failed.status).toBe(503);
        expect(await failed.json()).toMatchObject({ code: 'STS_FAILED' });
        // The process is alive and the other methods still work.
        const after = await down.call('/api/post-policy', { method: 'POST' });
        expect(after.status).toBe(200);
        expect(logged).toHaveBeenCalledTimes(1);
        const lines = [...logged.mock.calls, ...warned.mock.calls]
          .flat()
          .map((item) => (item instanceof Error ? `${item.name} ${item.message}` : String(item)))
          .join('\n');
        expect(lines).toContain('STS_FAILED');
        expect(lines).not.toContain(SECRET_MARK);
      } finally {
        logged.mockRestore();
        warned.mockRestore();
        await down.close();
      }
    });
  });
}

/** `open` for an example with a `start` (a server on 127.0.0.1, port 0): requests go over HTTP. */
export function overHttp(
  start: (options: { target: OssTarget; uploads: UploadsOptions; port: number; host: string }) => Promise<{
    url: string;
    close(): Promise<void>;
  }>,
): OpenExample {
  return async (target, uploads) => {
    const running = await start({ target, uploads, port: 0, host: '127.0.0.1' });
    return { call: (path, init) => fetch(`${running.url}${path}`, init), close: running.close };
  };
}
