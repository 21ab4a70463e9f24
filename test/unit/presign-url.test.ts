import { describe, expect, it } from 'vitest';
import { presignUrl } from '../../src/index.js';

const SECRET = 'presign-secret-4711';
const credentials = { accessKeyId: 'LTAI5tExample', accessKeySecret: SECRET };
const now = new Date('2026-03-04T05:06:07.890Z');
const base = { bucket: 'examplebucket', region: 'cn-hangzhou', credentials, now };

function params(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams);
}

describe('presignUrl', () => {
  it('is pure: the same options give the same URL, byte for byte', () => {
    const options = { ...base, key: 'a b/c.txt', method: 'PUT' as const, contentType: 'text/plain' };
    expect(presignUrl(options)).toEqual(presignUrl(options));
  });

  it('adds only the V4 signature parameters to a plain GET', () => {
    const { url, method, headers, expiresAt } = presignUrl({ ...base, key: 'k' });
    expect(url.startsWith('https://examplebucket.oss-cn-hangzhou.aliyuncs.com/k?')).toBe(true);
    // The canonical (sorted) query, then the signature.
    expect(Object.keys(params(url))).toEqual([
      'x-oss-credential',
      'x-oss-date',
      'x-oss-expires',
      'x-oss-signature-version',
      'x-oss-signature',
    ]);
    expect(params(url)).toMatchObject({ 'x-oss-date': '20260304T050607Z', 'x-oss-expires': '3600' });
    expect(method).toBe('GET');
    expect(headers).toEqual({});
    expect(expiresAt.toISOString()).toBe('2026-03-04T06:06:07.000Z');
  });

  it('adds only Expires, OSSAccessKeyId, Signature (and security-token) with V1', () => {
    const sts = { ...credentials, securityToken: 'tok en/+' };
    const { url } = presignUrl({
      ...base,
      credentials: sts,
      key: 'k',
      signatureVersion: 'v1',
      expiresIn: 60,
    });
    expect(params(url)).toMatchObject({
      'security-token': 'tok en/+',
      OSSAccessKeyId: 'LTAI5tExample',
      Expires: '1772600827',
    });
    expect(Object.keys(params(url)).sort()).toEqual([
      'Expires',
      'OSSAccessKeyId',
      'Signature',
      'security-token',
    ]);
  });

  it('percent-encodes the key in the path and keeps its slashes', () => {
    const key = "dir/ä ö+~!*'();,=&@$%#?[]{}|.txt";
    const { url } = presignUrl({ ...base, key });
    const path = new URL(url).pathname;
    expect(path).toBe(
      '/dir/%C3%A4%20%C3%B6%2B~%21%2A%27%28%29%3B%2C%3D%26%40%24%25%23%3F%5B%5D%7B%7D%7C.txt',
    );
    expect(decodeURIComponent(path.slice(1))).toBe(key);
  });

  it('returns every header the client must send, with the shorthands applied', () => {
    const { headers } = presignUrl({
      ...base,
      key: 'k',
      method: 'PUT',
      contentType: 'image/png',
      contentMd5: 'eB5eJF1ptWaXm4bijSPyxw==',
      headers: { 'x-oss-meta-owner': ' alice ', 'x-oss-date': 'stale' },
    });
    expect(headers).toEqual({
      'x-oss-meta-owner': ' alice ',
      'x-oss-date': '20260304T050607Z',
      'Content-Type': 'image/png',
      'Content-MD5': 'eB5eJF1ptWaXm4bijSPyxw==',
    });
  });

  it('writes an empty or null query value as a bare name, as V4 signs it', () => {
    const query = { acl: null, tagging: '', 'x-oss-process': 'image/resize,w_100' };
    const { url } = presignUrl({ ...base, key: 'k', query });
    expect(url).toContain('?acl&tagging&x-oss-credential=');
    expect(url).toContain('&x-oss-process=image%2Fresize%2Cw_100&');
    const v1 = presignUrl({ ...base, key: 'k', query, signatureVersion: 'v1' });
    expect(v1.url).toContain('?acl&tagging=&x-oss-process=image%2Fresize%2Cw_100&');
  });

  it('addresses endpoints: custom, IP (path style), CNAME, oss- prefixed region', () => {
    const key = 'k';
    expect(presignUrl({ ...base, key, endpoint: 'oss-cn-hangzhou-internal.aliyuncs.com' }).url).toMatch(
      /^https:\/\/examplebucket\.oss-cn-hangzhou-internal\.aliyuncs\.com\/k\?/,
    );
    expect(presignUrl({ ...base, key, endpoint: 'http://127.0.0.1:9000' }).url).toMatch(
      /^http:\/\/127\.0\.0\.1:9000\/examplebucket\/k\?/,
    );
    expect(presignUrl({ ...base, key, endpoint: 'http://localhost:9000', pathStyle: true }).url).toMatch(
      /^http:\/\/localhost:9000\/examplebucket\/k\?/,
    );
    expect(presignUrl({ ...base, key, endpoint: 'https://files.example.com', cname: true }).url).toMatch(
      /^https:\/\/files\.example\.com\/k\?/,
    );
    const prefixed = presignUrl({ ...base, key, region: 'oss-cn-hangzhou' });
    expect(prefixed).toEqual(presignUrl({ ...base, key }));
  });

  it('uses the CloudBox product and id in the credential scope', () => {
    const { url } = presignUrl({
      ...base,
      key: 'k',
      region: 'cb-123',
      product: 'oss-cloudbox',
      endpoint: 'cb-123.oss-cloudbox.aliyuncs.com',
    });
    expect(params(url)['x-oss-credential']).toBe(
      'LTAI5tExample/20260304/cb-123/oss-cloudbox/aliyun_v4_request',
    );
  });

  it('never puts the secret in the result or its JSON', () => {
    const result = presignUrl({ ...base, key: 'k', method: 'PUT', contentType: 'text/plain' });
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(String(result.url)).not.toContain(SECRET);
  });
});
