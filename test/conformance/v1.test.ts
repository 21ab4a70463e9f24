import { describe, expect, it } from 'vitest';
import { computeSignatureV1, presignUrl, signRequest } from '../../src/index.js';
import {
  headerValue,
  paramValue,
  parseUrl,
  sortedPairs,
  v1HeaderOptions,
  v1PresignOptions,
  v1SignedHeaders,
  vectorsOfKind,
} from './vectors.js';

/** Every header the signature covers must be among the headers the client is told to send. */
function expectSignedHeadersSent(headers: Record<string, string>, signed: [string, string][]): void {
  for (const [name, value] of signed) expect(headerValue(headers, name), name).toBe(value);
}

describe('v1-header vectors (signRequest)', () => {
  const vectors = vectorsOfKind('v1-header');
  let ran = 0;

  for (const vector of vectors) {
    it(vector.id, () => {
      ran++;
      const { input, expected } = vector;
      const result = signRequest(v1HeaderOptions(vector));

      expect(result.stringToSign).toBe(expected.string_to_sign);
      expect(headerValue(result.headers, 'Authorization')).toBe(expected.authorization);
      expect(headerValue(result.headers, 'Date')).toBe(input.date);
      expect(headerValue(result.headers, 'x-oss-security-token')).toBe(input.security_token ?? undefined);
      expectSignedHeadersSent(result.headers, v1SignedHeaders(expected.string_to_sign));
      // The primitive alone reproduces the official signature from the official string to sign.
      expect(
        `OSS ${input.access_key_id}:${computeSignatureV1(expected.string_to_sign, { accessKeySecret: input.access_key_secret })}`,
      ).toBe(expected.authorization);
    });
  }

  it('ran every v1-header vector in the file', () => {
    expect(vectors.length).toBeGreaterThan(0);
    expect(ran).toBe(vectors.length);
  });
});

describe('v1-presign vectors (presignUrl)', () => {
  const vectors = vectorsOfKind('v1-presign');
  let ran = 0;

  for (const vector of vectors) {
    it(vector.id, () => {
      ran++;
      const { input, expected } = vector;
      const result = presignUrl(v1PresignOptions(vector));
      const url = parseUrl(result.url);

      expect(paramValue(url, 'Signature')).toBe(expected.signature);
      expect(paramValue(url, 'Expires')).toBe(String(input.expires_unix));
      expect(paramValue(url, 'OSSAccessKeyId')).toBe(input.access_key_id);
      expect(paramValue(url, 'security-token')).toBe(input.security_token ?? undefined);
      expect(result.method).toBe(input.method);
      expect(result.expiresAt.getTime()).toBe(input.expires_unix * 1000);
      // Virtual-hosted URL: the path is the key, percent-encoded with '/' kept.
      expect(decodeURIComponent(url.path.slice(1))).toBe(input.key);
      expectSignedHeadersSent(result.headers, v1SignedHeaders(expected.string_to_sign));
      expect(computeSignatureV1(expected.string_to_sign, { accessKeySecret: input.access_key_secret })).toBe(
        expected.signature,
      );

      if (expected.signed_url !== undefined) {
        // Parameter order and the path's spelling are not signed (and v1-presign-no-query's URL path
        // is not even its signing key), so compare host and the decoded parameter multiset only.
        const official = parseUrl(expected.signed_url);
        expect(url.host).toBe(official.host);
        expect(sortedPairs(url.params)).toEqual(sortedPairs(official.params));
      }
    });
  }

  it('ran every v1-presign vector in the file', () => {
    expect(vectors.length).toBeGreaterThan(0);
    expect(ran).toBe(vectors.length);
  });
});
