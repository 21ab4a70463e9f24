/**
 * The local endpoint against clients this project did not write: ali-oss (V1 and V4 header signatures,
 * simple and multipart uploads) with long-term keys and with STS tokens that the official STS SDK fetched
 * from the endpoint's own STS API.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createLocalOss, type LocalOss } from '../../../src/testing/index.js';
import { aliOss, assumeRole, BUCKET, prefixPolicy, ROLE_ARN, rejection } from '../../support/clients.js';

const PART_SIZE = 100 * 1024;
let oss: LocalOss;
let clockOffset = 0;
let workDir: string;
let bigFile: string;
let bigContent: Buffer;

beforeAll(async () => {
  oss = await createLocalOss({ roleArn: ROLE_ARN, clock: () => new Date(Date.now() + clockOffset) });
  workDir = await mkdtemp(join(tmpdir(), 'local-oss-'));
  // Three parts: two full ones and a short last one.
  bigContent = randomBytes(2 * PART_SIZE + 12_345);
  bigFile = join(workDir, 'big.bin');
  await writeFile(bigFile, bigContent);
});

afterAll(async () => {
  await oss.close();
  await rm(workDir, { recursive: true, force: true });
});

afterEach(() => {
  clockOffset = 0;
});

/** Compares large contents by digest: a deep equality over every byte is needlessly slow. */
function md5(bytes: Uint8Array | undefined): string {
  return createHash('md5')
    .update(bytes ?? new Uint8Array())
    .digest('hex');
}

describe.each([
  { version: 'V1', authorizationV4: false },
  { version: 'V4', authorizationV4: true },
])('ali-oss with $version signatures', ({ version, authorizationV4 }) => {
  const client = (credentials: Parameters<typeof aliOss>[0], options: Record<string, unknown> = {}) =>
    aliOss(credentials, { endpoint: oss.url, authorizationV4, ...options });

  test('put, get and multipartUpload with the long-term key', async () => {
    const ali = client(oss.credentials);
    const key = `${version}/long term/a+b ü.txt`;
    await ali.put(key, Buffer.from('hello local oss'), { headers: { 'x-oss-meta-owner': 'tests' } });
    const stored = oss.getObject(BUCKET, key);
    expect(Buffer.from(stored?.body ?? [])).toEqual(Buffer.from('hello local oss'));
    expect(stored?.headers['content-type']).toBe('text/plain');
    expect(stored?.headers['x-oss-meta-owner']).toBe('tests');
    expect((await ali.get(key)).content).toEqual(Buffer.from('hello local oss'));

    const bigKey = `${version}/long-term/big.bin`;
    await ali.multipartUpload(bigKey, bigFile, { partSize: PART_SIZE });
    const multipart = oss.getObject(BUCKET, bigKey);
    expect(md5(multipart?.body)).toBe(md5(bigContent));
    expect(multipart?.headers['x-oss-object-type']).toBe('Multipart');
    expect(multipart?.headers.etag).toMatch(/^"[0-9A-F]{32}-3"$/);
    expect(md5((await ali.get(bigKey)).content)).toBe(md5(bigContent));
  });

  test('put, get and multipartUpload with an STS token issued by the local STS endpoint', async () => {
    const credentials = await assumeRole(oss, { policy: prefixPolicy('uploads/') });
    expect(credentials.accessKeyId).toMatch(/^STS\./);
    const ali = client(credentials);
    const key = `uploads/${version}/small.txt`;
    await ali.put(key, Buffer.from('with a token'));
    expect((await ali.get(key)).content).toEqual(Buffer.from('with a token'));

    const bigKey = `uploads/${version}/big.bin`;
    await ali.multipartUpload(bigKey, bigFile, { partSize: PART_SIZE });
    expect(md5(oss.getObject(BUCKET, bigKey)?.body)).toBe(md5(bigContent));
  });

  test('an object outside the session policy prefix is AccessDenied, and nothing is stored', async () => {
    const ali = client(await assumeRole(oss, { policy: prefixPolicy('uploads/') }));
    const key = `private/${version}/outside.txt`;
    const error = await rejection(ali.put(key, Buffer.from('nope')));
    expect([error.status, error.code]).toEqual([403, 'AccessDenied']);
    expect(oss.getObject(BUCKET, key)).toBeUndefined();
    const multipart = await rejection(ali.multipartUpload(key, bigFile, { partSize: PART_SIZE }));
    expect([multipart.status, multipart.code]).toEqual([403, 'AccessDenied']);
    expect(oss.getObject(BUCKET, key)).toBeUndefined();
  });

  test('a Deny statement wins over an Allow, and actions outside the policy are refused', async () => {
    const policy = prefixPolicy('uploads/');
    policy.Statement.push({
      Effect: 'Deny',
      Action: ['oss:Put*'],
      Resource: [`acs:oss:*:*:${BUCKET}/uploads/locked/*`],
    });
    const ali = client(await assumeRole(oss, { policy }));
    const denied = await rejection(ali.put('uploads/locked/x.txt', Buffer.from('x')));
    expect([denied.status, denied.code]).toEqual([403, 'AccessDenied']);
    await ali.put(`uploads/${version}/open.txt`, Buffer.from('x'));
    // DeleteObject is not among the allowed actions.
    const deleteRefused = await rejection(ali.delete(`uploads/${version}/open.txt`));
    expect([deleteRefused.status, deleteRefused.code]).toEqual([403, 'AccessDenied']);
    expect(oss.getObject(BUCKET, `uploads/${version}/open.txt`)).toBeDefined();
  });

  test('a wrong secret is SignatureDoesNotMatch, and nothing is stored', async () => {
    const ali = client({ accessKeyId: oss.credentials.accessKeyId, accessKeySecret: 'not-the-secret' });
    const key = `${version}/wrong-secret.txt`;
    const error = await rejection(ali.put(key, Buffer.from('x')));
    expect([error.status, error.code]).toEqual([403, 'SignatureDoesNotMatch']);
    expect(oss.getObject(BUCKET, key)).toBeUndefined();
  });

  test('an unknown AccessKey ID is InvalidAccessKeyId', async () => {
    const ali = client({ accessKeyId: 'LTAI-unknown-key', accessKeySecret: oss.credentials.accessKeySecret });
    const error = await rejection(ali.put(`${version}/unknown-key.txt`, Buffer.from('x')));
    expect([error.status, error.code]).toEqual([403, 'InvalidAccessKeyId']);
  });

  test('a forged or missing security token is refused', async () => {
    const credentials = await assumeRole(oss, { policy: prefixPolicy('uploads/') });
    const forged = client({
      ...credentials,
      securityToken: `${credentials.securityToken.slice(0, -8)}AAAAAAA=`,
    });
    const error = await rejection(forged.put(`uploads/${version}/forged.txt`, Buffer.from('x')));
    expect([error.status, error.code]).toEqual([403, 'InvalidSecurityToken']);
    // STS AccessKey IDs exist only together with their token.
    const withoutToken = client({
      accessKeyId: credentials.accessKeyId,
      accessKeySecret: credentials.accessKeySecret,
    });
    const missing = await rejection(withoutToken.put(`uploads/${version}/no-token.txt`, Buffer.from('x')));
    expect([missing.status, missing.code]).toEqual([403, 'InvalidAccessKeyId']);
    expect(oss.getObject(BUCKET, `uploads/${version}/forged.txt`)).toBeUndefined();
  });

  test('an expired security token is SecurityTokenExpired', async () => {
    const credentials = await assumeRole(oss, { policy: prefixPolicy('uploads/'), durationSeconds: 900 });
    // Both clocks move 16 minutes on: the request time still agrees with the server, the token does not.
    clockOffset = 16 * 60 * 1000;
    const ali = client(credentials, { amendTimeSkewed: clockOffset });
    const error = await rejection(ali.put(`uploads/${version}/late.txt`, Buffer.from('x')));
    expect([error.status, error.code]).toEqual([403, 'SecurityTokenExpired']);
  });

  test('a request signed more than 15 minutes off the server clock is RequestTimeTooSkewed', async () => {
    const behind = client(oss.credentials, { amendTimeSkewed: -16 * 60 * 1000 });
    const error = await rejection(behind.put(`${version}/skewed.txt`, Buffer.from('x')));
    expect([error.status, error.code]).toEqual([403, 'RequestTimeTooSkewed']);
    expect(oss.getObject(BUCKET, `${version}/skewed.txt`)).toBeUndefined();
    // 14 minutes is within the allowed skew.
    await client(oss.credentials, { amendTimeSkewed: 14 * 60 * 1000 }).put(
      `${version}/skewed.txt`,
      Buffer.from('x'),
    );
  });

  test('path-style (sldEnable) and CNAME-style endpoints work too', async () => {
    // Host "localhost:PORT", path "/local-bucket/key".
    const pathStyle = client(oss.credentials, {
      endpoint: oss.url.replace('127.0.0.1', 'localhost'),
      sldEnable: true,
    });
    await pathStyle.put(`${version}/path-style.txt`, Buffer.from('path style'));
    expect((await pathStyle.get(`${version}/path-style.txt`)).content).toEqual(Buffer.from('path style'));
    // ali-oss with an IP endpoint and cname still names the bucket in the Host header.
    const cname = client(oss.credentials, { cname: true });
    await cname.put(`${version}/cname.txt`, Buffer.from('cname'));
    expect(Buffer.from(oss.getObject(BUCKET, `${version}/cname.txt`)?.body ?? [])).toEqual(
      Buffer.from('cname'),
    );
  });

  test('head, delete, and NoSuchKey after the delete', async () => {
    const ali = client(oss.credentials);
    const key = `${version}/to-delete.txt`;
    await ali.put(key, Buffer.from('short-lived'));
    const head = await ali.head(key);
    expect(head.res.headers['content-length']).toBe('11');
    await ali.delete(key);
    expect(oss.getObject(BUCKET, key)).toBeUndefined();
    const error = await rejection(ali.get(key));
    expect([error.status, error.code]).toEqual([404, 'NoSuchKey']);
  });
});

test('a bucket that does not exist is NoSuchBucket', async () => {
  const ali = aliOss(oss.credentials, { endpoint: oss.url, bucket: 'missing-bucket' });
  const error = await rejection(ali.put('x.txt', Buffer.from('x')));
  expect([error.status, error.code]).toEqual([404, 'NoSuchBucket']);
});
