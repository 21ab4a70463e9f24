import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signRequest } from '../../src/index.js';

const credentials = { accessKeyId: 'LTAI5tExample', accessKeySecret: 'request-secret' };
const now = new Date('2026-03-04T05:06:07Z');

describe('signRequest', () => {
  it("V4 writes the date, the payload header, the token and Authorization over the caller's", () => {
    const { headers, canonicalRequest, stringToSign } = signRequest({
      method: 'put',
      bucket: 'examplebucket',
      key: 'k',
      region: 'cn-hangzhou',
      headers: { authorization: 'stale', DATE: 'stale', 'Content-Type': 'text/plain' },
      credentials: { ...credentials, securityToken: 'tok' },
      now,
    });
    expect(headers).toMatchObject({
      'Content-Type': 'text/plain',
      'x-oss-security-token': 'tok',
      'x-oss-date': '20260304T050607Z',
      Date: 'Wed, 04 Mar 2026 05:06:07 GMT',
      'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
    });
    expect(Object.keys(headers).filter((name) => /^(date|authorization)$/i.test(name))).toEqual([
      'Date',
      'Authorization',
    ]);
    expect(canonicalRequest?.split('\n').slice(0, 3)).toEqual(['PUT', '/examplebucket/k', '']);
    expect(headers.Authorization).toMatch(
      /^OSS4-HMAC-SHA256 Credential=LTAI5tExample\/20260304\/cn-hangzhou\/oss\/aliyun_v4_request,Signature=[0-9a-f]{64}$/,
    );
    expect(stringToSign.split('\n')[0]).toBe('OSS4-HMAC-SHA256');
  });

  it('V1 signs a service-level request as "/"', () => {
    const { headers, stringToSign } = signRequest({
      method: 'GET',
      credentials,
      signatureVersion: 'v1',
      now,
    });
    expect(stringToSign).toBe('GET\n\n\nWed, 04 Mar 2026 05:06:07 GMT\n/');
    const expected = createHmac('sha1', 'request-secret').update(stringToSign).digest('base64');
    expect(headers.Authorization).toBe(`OSS LTAI5tExample:${expected}`);
  });

  it('requires a region for V4', () => {
    expect(() => signRequest({ method: 'GET', credentials, now })).toThrow(
      expect.objectContaining({ code: 'INVALID_REGION' }),
    );
  });
});
