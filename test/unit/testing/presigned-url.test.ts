/**
 * Presigned URLs made by ali-oss itself (`signatureUrl` for V1, `signatureUrlV4` for V4) against the local
 * endpoint: accepted while valid, refused once expired or when anything signed is changed.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createLocalOss, type LocalOss } from '../../../src/testing/index.js';
import {
  type AliOssClient,
  aliOss,
  assumeRole,
  BUCKET,
  prefixPolicy,
  ROLE_ARN,
  send,
} from '../../support/clients.js';

let oss: LocalOss;
let clockOffset = 0;

beforeAll(async () => {
  oss = await createLocalOss({ roleArn: ROLE_ARN, clock: () => new Date(Date.now() + clockOffset) });
});

afterAll(() => oss.close());

afterEach(() => {
  clockOffset = 0;
});

type Presigner = (
  client: AliOssClient,
  method: 'GET' | 'PUT',
  key: string,
  expires: number,
) => Promise<string>;

const presigners: { version: string; presign: Presigner }[] = [
  {
    version: 'V1 (signatureUrl)',
    presign: async (client, method, key, expires) =>
      client.signatureUrl(key, {
        method,
        expires,
        ...(method === 'PUT' && { 'Content-Type': 'text/plain' }),
      }),
  },
  {
    version: 'V4 (signatureUrlV4)',
    presign: (client, method, key, expires) =>
      client.signatureUrlV4(
        method,
        expires,
        method === 'PUT' ? { headers: { 'Content-Type': 'text/plain' } } : undefined,
        key,
      ),
  },
];

/** ali-oss refuses to presign for an IP endpoint; `localhost` gives `local-bucket.localhost:PORT` URLs. */
function localhostEndpoint(): string {
  return oss.url.replace('127.0.0.1', 'localhost');
}

describe.each(presigners)('$version', ({ version, presign }) => {
  const upload = (url: string, body: string) =>
    send(url, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body });

  test.each([
    { style: 'virtual-host', options: {} },
    { style: 'path-style', options: { sldEnable: true } },
  ])('a PUT then a GET URL work ($style)', async ({ style, options }) => {
    const client = aliOss(oss.credentials, { endpoint: localhostEndpoint(), ...options });
    const key = `presigned/${version}/${style}/a b+c.txt`;
    const putUrl = await presign(client, 'PUT', key, 300);
    expect(new URL(putUrl).host).toBe(
      style === 'path-style'
        ? new URL(localhostEndpoint()).host
        : `${BUCKET}.${new URL(localhostEndpoint()).host}`,
    );
    const put = await upload(putUrl, 'uploaded by URL');
    expect(put.status).toBe(200);
    expect(Buffer.from(oss.getObject(BUCKET, key)?.body ?? []).toString()).toBe('uploaded by URL');
    const get = await send(await presign(client, 'GET', key, 300));
    expect([get.status, get.body.toString()]).toEqual([200, 'uploaded by URL']);
  });

  test('a URL signed with STS credentials carries the token and works', async () => {
    const credentials = await assumeRole(oss, { policy: prefixPolicy('presigned/') });
    const client = aliOss(credentials, { endpoint: localhostEndpoint() });
    const key = `presigned/${version}/sts.txt`;
    const url = await presign(client, 'PUT', key, 300);
    expect(url).toMatch(version.startsWith('V1') ? /[?&]security-token=/ : /[?&]x-oss-security-token=/);
    expect((await upload(url, 'sts url')).status).toBe(200);
    expect(Buffer.from(oss.getObject(BUCKET, key)?.body ?? []).toString()).toBe('sts url');
    // The session policy applies to presigned URLs too.
    const outside = await upload(await presign(client, 'PUT', `elsewhere/${version}.txt`, 300), 'x');
    expect([outside.status, outside.code]).toEqual([403, 'AccessDenied']);
  });

  test('an expired URL is AccessDenied, and nothing is stored', async () => {
    const client = aliOss(oss.credentials, { endpoint: localhostEndpoint() });
    const key = `presigned/${version}/expired.txt`;
    const url = await presign(client, 'PUT', key, 60);
    clockOffset = 61_000;
    const response = await upload(url, 'too late');
    expect([response.status, response.code]).toEqual([403, 'AccessDenied']);
    expect(response.body.toString()).toContain('Request has expired.');
    expect(oss.getObject(BUCKET, key)).toBeUndefined();
  });

  test('changing what was signed is SignatureDoesNotMatch, with what the server signed in the body', async () => {
    const client = aliOss(oss.credentials, { endpoint: localhostEndpoint() });
    const url = new URL(await presign(client, 'PUT', `presigned/${version}/signed.txt`, 300));
    url.pathname = url.pathname.replace('signed.txt', 'other.txt');
    const otherKey = await upload(url.href, 'x');
    expect([otherKey.status, otherKey.code]).toEqual([403, 'SignatureDoesNotMatch']);
    const body = otherKey.body.toString();
    expect(body).toContain('<StringToSign>');
    if (version.startsWith('V4')) expect(body).toContain('<CanonicalRequest>PUT\n/local-bucket/presigned/');
    expect(oss.getObject(BUCKET, `presigned/${version}/other.txt`)).toBeUndefined();
    // A Content-Type other than the signed one.
    const wrongType = await send(url.href.replace('other.txt', 'signed.txt'), {
      method: 'PUT',
      headers: { 'Content-Type': 'image/png' },
      body: 'x',
    });
    expect([wrongType.status, wrongType.code]).toEqual([403, 'SignatureDoesNotMatch']);
  });
});

test('a V4 URL valid for more than seven days is refused', async () => {
  const client = aliOss(oss.credentials, { endpoint: localhostEndpoint() });
  const response = await send(await client.signatureUrlV4('GET', 604_801, undefined, 'presigned/long.txt'));
  expect([response.status, response.code]).toEqual([400, 'InvalidArgument']);
});

test('a V4 URL that also signs the Host header (additionalHeaders) works only on that host', async () => {
  const client = aliOss(oss.credentials, { endpoint: localhostEndpoint() });
  const host = `${BUCKET}.${new URL(localhostEndpoint()).host}`;
  const url = await client.signatureUrlV4('PUT', 300, { headers: { host } }, 'presigned/host-signed.txt', [
    'host',
  ]);
  expect(url).toContain('x-oss-additional-headers=host');
  const response = await send(url, { method: 'PUT', body: 'host signed' });
  expect(response.status).toBe(200);
  expect(Buffer.from(oss.getObject(BUCKET, 'presigned/host-signed.txt')?.body ?? []).toString()).toBe(
    'host signed',
  );
  // The same bucket and key addressed path-style: another Host, so the signature no longer holds.
  const pathStyle = new URL(url);
  pathStyle.host = new URL(localhostEndpoint()).host;
  pathStyle.pathname = `/${BUCKET}${pathStyle.pathname}`;
  const moved = await send(pathStyle.href, { method: 'PUT', body: 'x' });
  expect([moved.status, moved.code]).toEqual([403, 'SignatureDoesNotMatch']);
});
