/**
 * presignMultipart against ali-oss: for every step, the URL ali-oss presigns for the same request
 * (method, sub-resources and headers written out here from OSS's API reference, not taken from this
 * library) has the same signature and parameters, V4 (`signatureUrlV4`) and V1 (`signatureUrl`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { presignMultipart } from '../../src/index.js';
import {
  addressingArb,
  bucketArb,
  contentTypeArb,
  credentialsArb,
  expiresInArb,
  keyArb,
  nowArb,
  ossHeadersArb,
  regionArb,
  toRecord,
} from '../support/arbitraries.js';
import { addressing, aliOssClient } from './ali-oss.js';
import {
  expectSameParams,
  headerValue,
  type Param,
  parseUrl,
  showWholeValuesInAssertions,
  sortParams,
  useFakeDate,
} from './support.js';
import { queryOrdersAgree } from './v4.js';

const SEED = 20250111;
const setDate = useFakeDate();
showWholeValuesInAssertions();

/** OSS's upload ids are 32 hex digits; any visible ASCII is accepted. */
const uploadIdArb = fc.oneof(fc.stringMatching(/^[0-9A-F]{32}$/), fc.stringMatching(/^[\x21-\x7e]{1,40}$/));

const stepArb = fc.oneof(
  fc.record({
    step: fc.constant('initiate' as const),
    contentType: fc.option(contentTypeArb, { nil: undefined }),
    headers: ossHeadersArb,
  }),
  fc.record({
    step: fc.constant('part' as const),
    uploadId: uploadIdArb,
    partNumber: fc.integer({ min: 1, max: 10_000 }),
  }),
  fc.record({ step: fc.constant('complete' as const), uploadId: uploadIdArb, completeAll: fc.boolean() }),
  fc.record({ step: fc.constant('abort' as const), uploadId: uploadIdArb }),
  fc.record({
    step: fc.constant('list' as const),
    uploadId: uploadIdArb,
    partNumberMarker: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
  }),
);
type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

/** The request each step is, from OSS's API reference (InitiateMultipartUpload, UploadPart…). */
function expectedRequest(s: Step): {
  method: string;
  query: Record<string, string | null>;
  headers: Record<string, string>;
} {
  switch (s.step) {
    case 'initiate':
      return {
        method: 'POST',
        query: { uploads: null },
        headers: {
          ...toRecord(s.headers, (h) => h.value),
          ...(s.contentType !== undefined && { 'Content-Type': s.contentType }),
        },
      };
    case 'part':
      return {
        method: 'PUT',
        query: { partNumber: String(s.partNumber), uploadId: s.uploadId },
        headers: {},
      };
    case 'complete':
      return {
        method: 'POST',
        query: { uploadId: s.uploadId },
        headers: { 'Content-Type': 'application/xml', ...(s.completeAll && { 'x-oss-complete-all': 'yes' }) },
      };
    case 'abort':
      return { method: 'DELETE', query: { uploadId: s.uploadId }, headers: {} };
    case 'list':
      return {
        method: 'GET',
        query: {
          uploadId: s.uploadId,
          ...(s.partNumberMarker && { 'part-number-marker': String(s.partNumberMarker) }),
        },
        headers: {},
      };
  }
}

const input = (maxMs: number) =>
  fc
    .record({
      bucket: bucketArb,
      region: regionArb,
      addressing: addressingArb,
      key: keyArb,
      expiresIn: expiresInArb,
      now: nowArb(maxMs),
      credentials: credentialsArb,
      step: stepArb,
    })
    .filter((i) => queryOrdersAgree(Object.keys(expectedRequest(i.step).query)));
type Input = typeof input extends (maxMs: number) => fc.Arbitrary<infer T> ? T : never;

function ours(i: Input, signatureVersion: 'v4' | 'v1') {
  return presignMultipart({
    signatureVersion,
    bucket: i.bucket,
    region: i.region,
    ...addressing(i.addressing, i.region).ours,
    key: i.key,
    expiresIn: i.expiresIn,
    now: i.now,
    credentials: i.credentials,
    ...(i.step.step === 'initiate'
      ? { ...i.step, headers: toRecord(i.step.headers, (h) => h.value) }
      : i.step),
  });
}

function aliOss(i: Input) {
  setDate(i.now);
  return aliOssClient({
    credentials: i.credentials,
    bucket: i.bucket,
    region: `oss-${i.region}`,
    ...addressing(i.addressing, i.region).aliOss,
  });
}

/** The URL agrees, and the client is told to send exactly the headers of the request. */
function expectSameRequest(i: Input, got: ReturnType<typeof ours>, theirs: Param[], theirsUrl: string) {
  const expected = expectedRequest(i.step);
  const url = parseUrl(got.url);
  expectSameParams(url.params, theirs);
  expect(url.origin).toBe(parseUrl(theirsUrl).origin);
  expect(url.path).toBe(i.addressing === 'path-style' ? `${i.bucket}/${i.key}` : i.key);
  expect(got.method).toBe(expected.method);
  expect(Object.keys(got.headers)).toHaveLength(Object.keys(expected.headers).length);
  for (const [name, value] of Object.entries(expected.headers))
    expect(headerValue(got.headers, name)).toBe(value);
}

describe('presignMultipart vs ali-oss', () => {
  it('V4: the same signature and parameters as signatureUrlV4 for every step', async () => {
    await fc.assert(
      fc.asyncProperty(input(999), async (i) => {
        const expected = expectedRequest(i.step);
        const theirsUrl = await aliOss(i).signatureUrlV4(
          expected.method,
          i.expiresIn,
          { headers: expected.headers, queries: expected.query },
          i.key,
        );
        expectSameRequest(i, ours(i, 'v4'), parseUrl(theirsUrl).params, theirsUrl);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  // ali-oss rounds the V1 signing second where the v2 SDKs truncate (see v1-presign.test.ts): the clock
  // stays in the first half of the second.
  it('V1: the same signature and parameters as signatureUrl, signing uploads, uploadId and partNumber', () => {
    fc.assert(
      fc.property(input(499), (i) => {
        const expected = expectedRequest(i.step);
        // V1 does not sign part-number-marker: ali-oss would (it signs every sub-resource it is given).
        const { 'part-number-marker': marker, ...subResource } = expected.query;
        const theirsUrl = aliOss(i).signatureUrl(
          i.key,
          { method: expected.method, expires: i.expiresIn, ...expected.headers, subResource },
          false,
        );
        const unsigned: Param[] = marker === undefined ? [] : [['part-number-marker', marker ?? '']];
        expectSameRequest(
          i,
          ours(i, 'v1'),
          sortParams([...parseUrl(theirsUrl).params, ...unsigned]),
          theirsUrl,
        );
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
