/**
 * The endpoint's own behaviour, seen over raw HTTP: how it routes, how its errors look, CORS, its options
 * and its shutdown.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { OssSignError } from '../../../src/errors.js';
import { createLocalOss, type LocalOss, type LocalOssOptions } from '../../../src/testing/index.js';
import { aliOss, BUCKET, rejection, send } from '../../support/clients.js';

const APP_ORIGIN = 'http://app.localhost:3000';
let oss: LocalOss;
let port: string;

beforeAll(async () => {
  oss = await createLocalOss({ buckets: [BUCKET, 'second-bucket'], corsOrigins: [APP_ORIGIN] });
  port = new URL(oss.url).port;
});

afterAll(() => oss.close());

describe('errors', () => {
  test('are XML with Code, Message, RequestId (also in x-oss-request-id) and HostId', async () => {
    const response = await send(`${oss.url}/${BUCKET}/private.txt`);
    expect(response.status).toBe(403);
    expect(response.headers['content-type']).toBe('application/xml');
    const body = response.body.toString();
    expect(body).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>AccessDenied<\/Code><Message>[^<]+<\/Message>/,
    );
    expect(body).toContain(`<RequestId>${response.headers['x-oss-request-id']}</RequestId>`);
    expect(body).toContain(`<HostId>127.0.0.1:${port}</HostId>`);
  });

  test('reach ali-oss with their code, request id and host id', async () => {
    const error = await rejection(aliOss(oss.credentials, { endpoint: oss.url }).get('missing.txt'));
    expect([error.status, error.code]).toEqual([404, 'NoSuchKey']);
    expect(error.requestId).toMatch(/^[0-9A-F]{24}$/);
  });

  test('stay well-formed XML when what they echo is not (a key with a control character)', async () => {
    const response = await send(`${oss.url}/${BUCKET}/%5C%01x`);
    expect([response.status, response.code]).toEqual([400, 'InvalidObjectName']);
    const body = response.body.toString();
    expect(body).toContain('<Key>\\\uFFFDx</Key>');
    expect(body).not.toContain('\u0001');
  });

  test('a HEAD error has its status and request id but no body', async () => {
    const response = await send(`${oss.url}/${BUCKET}/private.txt`, { method: 'HEAD' });
    expect(response.status).toBe(403);
    expect(response.headers['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/);
    expect(response.body.length).toBe(0);
  });
});

describe('routing', () => {
  test.each([
    { style: 'path-style on the IP', url: () => `${oss.url}/no-such-bucket/x.txt` },
    { style: 'path-style on localhost', url: () => `http://localhost:${port}/no-such-bucket/x.txt` },
    { style: 'virtual-host on *.localhost', url: () => `http://no-such-bucket.localhost:${port}/x.txt` },
    {
      style: 'virtual-host with an OSS host name',
      url: () => `${oss.url}/x.txt`,
      host: 'no-such-bucket.oss-cn-hangzhou.aliyuncs.com',
    },
  ])('$style names the bucket that way', async ({ url, host }) => {
    const missing = await send(url(), host === undefined ? {} : { headers: { host } });
    expect([missing.status, missing.code]).toEqual([404, 'NoSuchBucket']);
    expect(missing.body.toString()).toContain('<BucketName>no-such-bucket</BucketName>');
    // The same address with an existing bucket gets past routing (to the private bucket's AccessDenied).
    const existing = await send(
      url().replace('no-such-bucket', 'second-bucket'),
      host === undefined ? {} : { headers: { host: host.replace('no-such-bucket', 'second-bucket') } },
    );
    expect([existing.status, existing.code]).toEqual([403, 'AccessDenied']);
  });

  test('a bucket name OSS would never accept is InvalidBucketName', async () => {
    const response = await send(`${oss.url}/Not_A_Bucket/x.txt`);
    expect([response.status, response.code]).toEqual([400, 'InvalidBucketName']);
  });

  test.each([
    { rule: 'a leading slash', key: '/x.txt', reason: "must not start with '/'" },
    { rule: 'a leading backslash', key: '%5Cx.txt', reason: "must not start with '/' or '\\'" },
    {
      rule: 'more than 1023 UTF-8 bytes',
      key: encodeURIComponent('é'.repeat(512)),
      reason: 'at most 1023 UTF-8 bytes',
    },
  ])('an object name with $rule is InvalidObjectName', async ({ key, reason }) => {
    const response = await send(`${oss.url}/${BUCKET}/${key}`);
    expect([response.status, response.code]).toEqual([400, 'InvalidObjectName']);
    expect(response.body.toString()).toContain(reason);
  });

  test('operations it does not implement say so, with a 4xx that SDKs do not retry', async () => {
    const response = await send(`${oss.url}/${BUCKET}/x.txt?acl`);
    expect([response.status, response.code]).toEqual([400, 'NotImplemented']);
  });
});

describe('CORS', () => {
  const preflight = (origin: string, method: string) =>
    send(`http://${BUCKET}.localhost:${port}/upload.bin`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': method,
        'access-control-request-headers': 'content-type,x-oss-date,authorization',
      },
    });

  test('a preflight from a configured origin allows the methods and echoes the requested headers', async () => {
    const response = await preflight(APP_ORIGIN, 'PUT');
    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(response.headers['access-control-allow-methods']).toBe('GET, PUT, POST, HEAD, DELETE');
    expect(response.headers['access-control-allow-headers']).toBe('content-type,x-oss-date,authorization');
    expect(response.headers['access-control-expose-headers']).toBe('ETag, x-oss-request-id');
  });

  test.each([
    { refused: 'another origin', origin: 'http://evil.localhost:3000', method: 'PUT' },
    { refused: 'a method outside the rules', origin: APP_ORIGIN, method: 'PATCH' },
  ])('a preflight with $refused is refused without CORS headers for it', async ({ origin, method }) => {
    const response = await preflight(origin, method);
    expect([response.status, response.code]).toEqual([403, 'AccessForbidden']);
    if (origin !== APP_ORIGIN) expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('responses to a configured origin carry the CORS headers, errors included', async () => {
    const allowed = await send(`${oss.url}/${BUCKET}/x.txt`, { headers: { origin: APP_ORIGIN } });
    expect(allowed.status).toBe(403);
    expect(allowed.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(allowed.headers['access-control-expose-headers']).toBe('ETag, x-oss-request-id');
    const other = await send(`${oss.url}/${BUCKET}/x.txt`, { headers: { origin: 'http://evil.localhost' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  test("by default no origin is allowed; '*' allows any", async () => {
    const closed = await createLocalOss();
    const open = await createLocalOss({ corsOrigins: '*' });
    try {
      const headers = { origin: 'http://any.localhost', 'access-control-request-method': 'GET' };
      const refused = await send(`${closed.url}/${BUCKET}/x`, { method: 'OPTIONS', headers });
      expect(refused.status).toBe(403);
      const allowed = await send(`${open.url}/${BUCKET}/x`, { method: 'OPTIONS', headers });
      expect([allowed.status, allowed.headers['access-control-allow-origin']]).toEqual([200, '*']);
    } finally {
      await Promise.all([closed.close(), open.close()]);
    }
  });
});

describe('createLocalOss', () => {
  test('uses the credentials, buckets and region it is given', async () => {
    const credentials = { accessKeyId: 'LTAItestkey', accessKeySecret: 'test-secret' };
    const local = await createLocalOss({
      credentials: [credentials],
      buckets: ['photos'],
      region: 'oss-eu-central-1',
    });
    try {
      expect(local.credentials).toEqual(credentials);
      expect(local.region).toBe('eu-central-1');
      const client = aliOss(credentials, {
        endpoint: local.url,
        bucket: 'photos',
        region: 'oss-eu-central-1',
        authorizationV4: true,
      });
      await client.put('a.txt', Buffer.from('in photos'));
      expect(Buffer.from(local.getObject('photos', 'a.txt')?.body ?? []).toString()).toBe('in photos');
      // V4 signatures must be scoped to the endpoint's region.
      const wrongRegion = aliOss(credentials, {
        endpoint: local.url,
        bucket: 'photos',
        authorizationV4: true,
      });
      const error = await rejection(wrongRegion.put('b.txt', Buffer.from('x')));
      expect([error.status, error.code]).toEqual([403, 'AccessDenied']);
      expect(local.getObject('photos', 'b.txt')).toBeUndefined();
    } finally {
      await local.close();
    }
  });

  test.each([
    { bad: 'a bucket name', options: { buckets: ['Bad_Bucket'] }, code: 'INVALID_BUCKET' },
    { bad: 'an empty bucket list', options: { buckets: [] }, code: 'INVALID_ARGUMENT' },
    { bad: 'a role ARN', options: { roleArn: 'uploader' }, code: 'INVALID_ARGUMENT' },
    {
      bad: 'long-term keys with a token',
      options: { credentials: [{ accessKeyId: 'a', accessKeySecret: 'b', securityToken: 'c' }] },
      code: 'INVALID_ARGUMENT',
    },
    { bad: 'a port', options: { port: 70_000 }, code: 'INVALID_ARGUMENT' },
    { bad: 'a region', options: { region: 'CN HANGZHOU' }, code: 'INVALID_REGION' },
    {
      bad: 'a maxObjectSize over 5 GiB',
      options: { maxObjectSize: 5 * 1024 ** 3 + 1 },
      code: 'INVALID_ARGUMENT',
    },
    { bad: 'a maxObjectSize of 0', options: { maxObjectSize: 0 }, code: 'INVALID_ARGUMENT' },
    { bad: 'an option it does not take (the old now)', options: { now: () => 0 }, code: 'INVALID_ARGUMENT' },
  ])('refuses $bad with $code', async ({ options, code }) => {
    const error = await rejection<OssSignError>(createLocalOss(options as LocalOssOptions));
    expect(error).toBeInstanceOf(OssSignError);
    expect(error.code).toBe(code);
  });

  test('reads only its own options: what an options object inherits is not an option', async () => {
    const local = await createLocalOss(Object.create({ buckets: ['Bad_Bucket'], maxObjectSize: -1 }));
    await local.close();
    const error = await rejection<OssSignError>(createLocalOss({ now: () => 0 } as LocalOssOptions));
    expect(error.message).toContain('clock: () => Date');
  });

  test('GetObject serves a byte range; one past the end is InvalidRange', async () => {
    const client = aliOss(oss.credentials, { endpoint: oss.url });
    await client.put('range.txt', Buffer.from('0123456789'));
    const middle = await client.get('range.txt', { headers: { Range: 'bytes=2-5' } });
    expect([middle.res.status, middle.content.toString()]).toEqual([206, '2345']);
    const tail = await client.get('range.txt', { headers: { Range: 'bytes=-3' } });
    expect([tail.res.status, tail.content.toString()]).toEqual([206, '789']);
    const beyond = await rejection(client.get('range.txt', { headers: { Range: 'bytes=10-' } }));
    expect([beyond.status, beyond.code]).toEqual([416, 'InvalidRange']);
  });

  test('getObject returns a copy', async () => {
    await aliOss(oss.credentials, { endpoint: oss.url }).put('copy.txt', Buffer.from('original'));
    const first = oss.getObject(BUCKET, 'copy.txt');
    first?.body.fill(0);
    expect(Buffer.from(oss.getObject(BUCKET, 'copy.txt')?.body ?? []).toString()).toBe('original');
  });

  test('close() ends connections still in use instead of waiting for them', async () => {
    const local = await createLocalOss();
    const upload = httpRequest(`${local.url}/${BUCKET}/never-finished.bin`, {
      method: 'PUT',
      headers: { expect: '100-continue', 'content-length': '1000' },
    });
    const failure = new Promise<Error>((resolve) => upload.on('error', resolve));
    // "100 Continue" means the server has read the request headers and now waits for a body never sent.
    const continued = new Promise<void>((resolve) => upload.on('continue', resolve));
    upload.flushHeaders();
    await continued;
    await local.close();
    expect((await failure).message).toMatch(/socket hang up|ECONNRESET/);
  });
});
