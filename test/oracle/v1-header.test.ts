/**
 * V1 header auth against ali-oss: its canonical-string builder on random requests, and the requests its
 * client builds itself (captured before sending) for put/get/head/delete.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signRequest } from '../../src/index.js';
import {
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
  v1SignedQueryArb,
  v1SubResourceQueryArb,
  v1UnsignedQueryArb,
} from '../support/arbitraries.js';
import { aliSignUtils, captureAliOssRequest, sendObjectRequest } from './ali-oss.js';
import { headerValue, parseUrl, showWholeValuesInAssertions, useFakeDate, withoutHeader } from './support.js';

const SEED = 20250102;
const setDate = useFakeDate();
showWholeValuesInAssertions();

const input = fc
  .record({
    target: targetArb,
    method: fc.constantFrom('GET', 'PUT', 'HEAD', 'DELETE', 'POST', 'get', 'put'),
    now: nowArb(),
    credentials: credentialsArb,
    contentType: fc.option(contentTypeArb, { nil: undefined }),
    contentMd5: fc.option(contentMd5Arb, { nil: undefined }),
    ossHeaders: ossHeadersArb,
    otherHeaders: otherHeadersArb,
    signedQuery: v1SignedQueryArb,
    subResourceQuery: v1SubResourceQueryArb,
    unsignedQuery: v1UnsignedQueryArb,
  })
  .filter(({ subResourceQuery, unsignedQuery }) =>
    unsignedQuery.every((u) => subResourceQuery.every((s) => s.name !== u.name)),
  );

const clientInput = fc.record({
  bucket: bucketArb,
  region: regionArb,
  now: nowArb(),
  credentials: credentialsArb,
  call: objectCallArb,
});

describe('V1 header auth vs ali-oss', () => {
  it('builds the canonical string and Authorization of signUtils.buildCanonicalString', () => {
    fc.assert(
      fc.property(input, (i) => {
        const headers: Record<string, string> = {
          ...toRecord(i.ossHeaders, (h) => h.value),
          ...toRecord(i.otherHeaders, (h) => h.value),
          ...(i.contentType !== undefined && { 'Content-Type': i.contentType }),
          ...(i.contentMd5 !== undefined && { 'Content-MD5': i.contentMd5 }),
        };
        const ours = signRequest({
          signatureVersion: 'v1',
          method: i.method,
          ...i.target,
          headers,
          query: toRecord([...i.signedQuery, ...i.subResourceQuery, ...i.unsignedQuery], (q) => q.value),
          subResources: i.subResourceQuery.map((q) => q.name),
          credentials: i.credentials,
          now: i.now,
        });

        const { bucket, key } = i.target;
        const token = i.credentials.securityToken;
        const date = i.now.toUTCString();
        const canonical = aliSignUtils.buildCanonicalString(
          i.method.toUpperCase(),
          bucket === undefined ? '/' : `/${bucket}/${key ?? ''}`,
          {
            headers: { ...headers, ...(token !== undefined && { 'x-oss-security-token': token }) },
            parameters: toRecord([...i.signedQuery, ...i.subResourceQuery], (q) => q.value),
          },
          date,
        );
        expect(ours.stringToSign).toBe(canonical);
        expect(headerValue(ours.headers, 'Authorization')).toBe(
          aliSignUtils.authorization(i.credentials.accessKeyId, i.credentials.accessKeySecret, canonical),
        );
        expect(headerValue(ours.headers, 'Date')).toBe(date);
        expect(headerValue(ours.headers, 'x-oss-security-token')).toBe(token);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('signs the requests the ali-oss client builds (put, get, head, delete) as it does', async () => {
    await fc.assert(
      fc.asyncProperty(clientInput, async (i) => {
        setDate(i.now);
        const location = { credentials: i.credentials, bucket: i.bucket, region: `oss-${i.region}` };
        const sent = await captureAliOssRequest(location, (client) => sendObjectRequest(client, i.call));

        const ours = signRequest({
          signatureVersion: 'v1',
          method: sent.method,
          bucket: i.bucket,
          region: i.region,
          key: i.call.key,
          query: Object.fromEntries(parseUrl(sent.url).params),
          headers: withoutHeader(sent.headers, 'authorization'),
          credentials: i.credentials,
          now: i.now,
        });
        expect(headerValue(ours.headers, 'Authorization')).toBe(headerValue(sent.headers, 'authorization'));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
