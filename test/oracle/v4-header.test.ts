/**
 * V4 header auth against ali-oss (signUtils.authorizationV4, and the requests an `authorizationV4`
 * client builds), on the inputs where ali-oss agrees with the v2 SDKs (restrictions in ./v4.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signRequest } from '../../src/index.js';
import {
  additionalHeadersArb,
  bucketArb,
  contentMd5Arb,
  contentTypeArb,
  credentialsArb,
  nowArb,
  objectCallArb,
  ossHeadersArb,
  otherHeadersArb,
  regionArb,
  targetArb,
  toRecord,
  v4QueryArb,
} from '../support/arbitraries.js';
import { aliSignUtils, captureAliOssRequest, sendObjectRequest } from './ali-oss.js';
import {
  headerValue,
  isoBasic,
  parseUrl,
  showWholeValuesInAssertions,
  useFakeDate,
  withoutHeader,
} from './support.js';
import { queryOrdersAgree, signV4ByHand } from './v4.js';

const SEED = 20250105;
const setDate = useFakeDate();
showWholeValuesInAssertions();

const sha256HexArb = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((bytes) => Buffer.from(bytes).toString('hex'));

const input = fc
  .record({
    target: targetArb,
    method: fc.constantFrom('GET', 'PUT', 'HEAD', 'DELETE', 'POST', 'get'),
    region: regionArb,
    regionWithPrefix: fc.boolean(),
    now: nowArb(),
    credentials: credentialsArb,
    contentType: fc.option(contentTypeArb, { nil: undefined }),
    contentMd5: fc.option(contentMd5Arb, { nil: undefined }),
    contentSha256: fc.option(sha256HexArb, { nil: undefined }),
    // A caller's x-oss-date is replaced by the signing time.
    staleOssDate: fc.boolean(),
    ossHeaders: ossHeadersArb,
    otherHeaders: otherHeadersArb,
    query: v4QueryArb,
  })
  .filter((i) => queryOrdersAgree(i.query.map((q) => q.name)))
  .chain((i) =>
    additionalHeadersArb(i.otherHeaders).map((additionalHeaders) => ({ ...i, additionalHeaders })),
  );

describe('V4 header auth vs ali-oss', () => {
  it('builds the canonical request and Authorization of signUtils.authorizationV4', () => {
    fc.assert(
      fc.property(input, (i) => {
        const headers: Record<string, string> = {
          ...toRecord(i.ossHeaders, (h) => h.value),
          ...toRecord(i.otherHeaders, (h) => h.value),
          ...(i.contentType !== undefined && { 'Content-Type': i.contentType }),
          ...(i.contentMd5 !== undefined && { 'Content-MD5': i.contentMd5 }),
          ...(i.contentSha256 !== undefined && { 'X-Oss-Content-Sha256': i.contentSha256 }),
        };
        const query = toRecord(i.query, (q) => q.value);
        const ours = signRequest({
          signatureVersion: 'v4',
          method: i.method,
          ...i.target,
          region: i.regionWithPrefix ? `oss-${i.region}` : i.region,
          headers: i.staleOssDate ? { ...headers, 'X-OSS-Date': '20000101T000000Z' } : headers,
          query,
          additionalHeaders: i.additionalHeaders,
          credentials: i.credentials,
          now: i.now,
        });

        const { bucket, key } = i.target;
        const token = i.credentials.securityToken;
        const aliHeaders = {
          ...withoutHeader(headers, 'x-oss-content-sha256'),
          'x-oss-date': isoBasic(i.now),
          'x-oss-content-sha256': i.contentSha256 ?? 'UNSIGNED-PAYLOAD',
          ...(token !== undefined && { 'x-oss-security-token': token }),
        };
        const request = { headers: aliHeaders, queries: query };
        const additional = aliSignUtils.fixAdditionalHeaders(i.additionalHeaders);
        expect(ours.canonicalRequest).toBe(
          aliSignUtils.getCanonicalRequest(i.method, request, bucket, key, additional),
        );
        expect(headerValue(ours.headers, 'Authorization')).toBe(
          aliSignUtils.authorizationV4(
            i.credentials.accessKeyId,
            i.credentials.accessKeySecret,
            i.region,
            i.method,
            request,
            bucket,
            key,
            i.additionalHeaders,
          ),
        );
        expect(headerValue(ours.headers, 'x-oss-date')).toBe(isoBasic(i.now));
        expect(headerValue(ours.headers, 'x-oss-content-sha256')).toBe(i.contentSha256 ?? 'UNSIGNED-PAYLOAD');
        expect(headerValue(ours.headers, 'x-oss-security-token')).toBe(token);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  const clientInput = fc
    .record({
      bucket: bucketArb,
      region: regionArb,
      now: nowArb(),
      credentials: credentialsArb,
      call: objectCallArb,
    })
    .chain((i) =>
      additionalHeadersArb(i.call.otherHeaders).map((additionalHeaders) => ({ ...i, additionalHeaders })),
    );

  it('signs the requests an authorizationV4 ali-oss client builds (put, get, head, delete) as it does', async () => {
    await fc.assert(
      fc.asyncProperty(clientInput, async (i) => {
        setDate(i.now);
        const location = {
          credentials: i.credentials,
          bucket: i.bucket,
          region: `oss-${i.region}`,
          authorizationV4: true,
        };
        const sent = await captureAliOssRequest(location, (client) =>
          sendObjectRequest(client, i.call, i.additionalHeaders),
        );

        const ours = signRequest({
          signatureVersion: 'v4',
          method: sent.method,
          bucket: i.bucket,
          region: i.region,
          key: i.call.key,
          query: Object.fromEntries(parseUrl(sent.url).params),
          headers: withoutHeader(sent.headers, 'authorization'),
          additionalHeaders: i.additionalHeaders,
          credentials: i.credentials,
          now: i.now,
        });
        expect(headerValue(ours.headers, 'Authorization')).toBe(headerValue(sent.headers, 'authorization'));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('leaves out a listed header whose value is empty, as the v2 SDKs do, where ali-oss signs it', () => {
    // Go: header.Get(k) != ""; Python: len(request.headers.get(k, '')) > 0.
    const credentials = { accessKeyId: 'LTAI5tExampleKeyId', accessKeySecret: 'exampleSecret' };
    const now = new Date('2025-01-15T08:30:00Z');
    const request = { method: 'PUT', bucket: 'examplebucket', key: 'a.txt', region: 'cn-hangzhou' };
    const headers = { 'Cache-Control': '', 'x-oss-meta-a': 'b' };
    const ours = signRequest({
      ...request,
      headers,
      additionalHeaders: ['cache-control'],
      credentials,
      now,
      signatureVersion: 'v4',
    });
    const v2Canonical = [
      'PUT',
      '/examplebucket/a.txt',
      '',
      'x-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20250115T083000Z\nx-oss-meta-a:b\n',
      '',
      'UNSIGNED-PAYLOAD',
    ].join('\n');
    const signature = signV4ByHand({
      ...credentials,
      datetime: '20250115T083000Z',
      region: 'cn-hangzhou',
      canonicalRequest: v2Canonical,
    });
    expect(headerValue(ours.headers, 'Authorization')).toBe(
      `OSS4-HMAC-SHA256 Credential=LTAI5tExampleKeyId/20250115/cn-hangzhou/oss/aliyun_v4_request,Signature=${signature}`,
    );

    // ali-oss lists it and signs 'cache-control:' (empty).
    const aliOssHeaders = {
      ...headers,
      'x-oss-date': '20250115T083000Z',
      'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
    };
    expect(
      aliSignUtils.getCanonicalRequest('PUT', { headers: aliOssHeaders }, 'examplebucket', 'a.txt', [
        'cache-control',
      ]),
    ).toBe(
      [
        'PUT',
        '/examplebucket/a.txt',
        '',
        'cache-control:\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20250115T083000Z\nx-oss-meta-a:b\n',
        'cache-control',
        'UNSIGNED-PAYLOAD',
      ].join('\n'),
    );
  });
});
