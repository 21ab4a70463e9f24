import { describe, expect, it } from 'vitest';
import { computeSignatureV4, presignUrl, signRequest } from '../../src/index.js';
import {
  canonicalHeaders,
  canonicalQueryPairs,
  headerValue,
  paramValue,
  parseUrl,
  sortedPairs,
  type V4HeaderVector,
  type V4PresignVector,
  v4HeaderOptions,
  v4PresignOptions,
  vectorsOfKind,
} from './vectors.js';

/** The primitive alone reproduces the official signature from the vector's string to sign. */
function expectPrimitiveSignature(vector: V4HeaderVector | V4PresignVector): void {
  const { input, expected, intermediate } = vector;
  const signature = computeSignatureV4(intermediate.string_to_sign, {
    accessKeySecret: input.access_key_secret,
    date: expected.x_oss_date.slice(0, 8),
    region: input.region,
    product: input.product,
  });
  expect(signature).toBe(expected.signature);
}

/** Every header in the canonical request must be among the headers the client is told to send. */
function expectCanonicalHeadersSent(headers: Record<string, string>, canonicalRequest: string): void {
  for (const [name, value] of canonicalHeaders(canonicalRequest))
    expect(headerValue(headers, name), name).toBe(value);
}

describe('v4-header vectors (signRequest)', () => {
  const vectors = vectorsOfKind('v4-header');
  let ran = 0;

  for (const vector of vectors) {
    it(vector.id, () => {
      ran++;
      const { input, expected, intermediate } = vector;
      const result = signRequest(v4HeaderOptions(vector));

      expect(result.canonicalRequest).toBe(intermediate.canonical_request);
      expect(result.stringToSign).toBe(intermediate.string_to_sign);
      expect(headerValue(result.headers, 'Authorization')).toBe(expected.authorization);
      expect(headerValue(result.headers, 'x-oss-date')).toBe(expected.x_oss_date);
      if (expected.date_header !== undefined)
        expect(headerValue(result.headers, 'Date')).toBe(expected.date_header);
      expect(headerValue(result.headers, 'x-oss-security-token')).toBe(input.security_token ?? undefined);
      expectCanonicalHeadersSent(result.headers, intermediate.canonical_request);
      expectPrimitiveSignature(vector);
    });
  }

  it('ran every v4-header vector in the file', () => {
    expect(vectors.length).toBeGreaterThan(0);
    expect(ran).toBe(vectors.length);
  });
});

describe('v4-presign vectors (presignUrl)', () => {
  const vectors = vectorsOfKind('v4-presign');
  let ran = 0;

  for (const vector of vectors) {
    it(vector.id, () => {
      ran++;
      const { input, expected, intermediate } = vector;
      const result = presignUrl(v4PresignOptions(vector));
      const url = parseUrl(result.url);

      expect(paramValue(url, 'x-oss-signature')).toBe(expected.signature);
      expect(paramValue(url, 'x-oss-signature-version')).toBe('OSS4-HMAC-SHA256');
      expect(paramValue(url, 'x-oss-date')).toBe(expected.x_oss_date);
      expect(paramValue(url, 'x-oss-expires')).toBe(expected.x_oss_expires);
      expect(paramValue(url, 'x-oss-credential')).toBe(expected.x_oss_credential);
      expect(paramValue(url, 'x-oss-additional-headers')).toBe(expected.x_oss_additional_headers);
      expect(paramValue(url, 'x-oss-security-token')).toBe(input.security_token ?? undefined);
      expect(result.method).toBe(input.method);
      expect(result.expiresAt.getTime()).toBe(input.expires_at_unix * 1000);
      expect(decodeURIComponent(url.path.slice(1))).toBe(input.key);
      // Every parameter but the signature is in the canonical query, so nothing unsigned rides along.
      const unsigned = url.params.filter(([name]) => name !== 'x-oss-signature');
      expect(sortedPairs(unsigned)).toEqual(sortedPairs(canonicalQueryPairs(intermediate.canonical_request)));
      expectCanonicalHeadersSent(result.headers, intermediate.canonical_request);
      expectPrimitiveSignature(vector);

      if (expected.signed_url !== undefined) {
        // Parameter order and '/' spelled %2F in the official path are not signed: compare the host
        // and the decoded parameter multiset (a bare name and an empty value are the same parameter).
        const official = parseUrl(expected.signed_url);
        expect(url.host).toBe(official.host);
        expect(sortedPairs(url.params)).toEqual(sortedPairs(official.params));
      }
    });
  }

  it('ran every v4-presign vector in the file', () => {
    expect(vectors.length).toBeGreaterThan(0);
    expect(ran).toBe(vectors.length);
  });
});
