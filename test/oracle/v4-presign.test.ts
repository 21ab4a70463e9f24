/**
 * V4 presigned URLs against ali-oss `signatureUrlV4`, on the inputs where ali-oss agrees with the
 * official v2 SDKs (restrictions and reasons in ./v4.ts), and two requests where they disagree, checked
 * against a canonical request written out by hand from the v2 rule.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { presignUrl } from '../../src/index.js';
import {
  additionalHeadersArb,
  addressingArb,
  bucketArb,
  contentMd5Arb,
  contentTypeArb,
  credentialsArb,
  expiresInArb,
  keyArb,
  methodArb,
  nowArb,
  ossHeadersArb,
  otherHeadersArb,
  regionArb,
  toRecord,
  v4QueryArb,
} from '../support/arbitraries.js';
import { addressing, aliOssClient } from './ali-oss.js';
import {
  expectSameParams,
  headerValue,
  isoBasic,
  paramValue,
  parseUrl,
  showWholeValuesInAssertions,
  useFakeDate,
} from './support.js';
import { queryOrdersAgree, signV4ByHand } from './v4.js';

const SEED = 20250104;
const setDate = useFakeDate();
showWholeValuesInAssertions();

const input = fc
  .record({
    bucket: bucketArb,
    region: regionArb,
    regionWithPrefix: fc.boolean(),
    addressing: addressingArb,
    cloudBoxId: fc.option(fc.stringMatching(/^cb-[a-z0-9]{8,20}$/), { nil: undefined, freq: 5 }),
    key: keyArb,
    method: methodArb,
    expiresIn: expiresInArb,
    now: nowArb(),
    credentials: credentialsArb,
    contentType: fc.option(contentTypeArb, { nil: undefined }),
    contentTypeAsHeader: fc.boolean(),
    contentMd5: fc.option(contentMd5Arb, { nil: undefined }),
    ossHeaders: ossHeadersArb,
    otherHeaders: otherHeadersArb,
    query: v4QueryArb,
  })
  .filter((i) => queryOrdersAgree(i.query.map((q) => q.name)))
  .chain((i) =>
    additionalHeadersArb(i.otherHeaders).map((additionalHeaders) => ({ ...i, additionalHeaders })),
  );

type Input = typeof input extends fc.Arbitrary<infer T> ? T : never;

function allHeaders(i: Input): Record<string, string> {
  return {
    ...toRecord(i.ossHeaders, (h) => h.value),
    ...toRecord(i.otherHeaders, (h) => h.value),
    ...(i.contentType !== undefined && { 'Content-Type': i.contentType }),
    ...(i.contentMd5 !== undefined && { 'Content-MD5': i.contentMd5 }),
  };
}

/** CloudBox ids sign in place of the region and need their endpoint; otherwise any addressing. */
function addressed(i: Input) {
  if (i.cloudBoxId === undefined) return addressing(i.addressing, i.region);
  const endpoint = `https://${i.cloudBoxId}.${i.region}.oss-cloudbox.aliyuncs.com`;
  return {
    ours: { region: i.cloudBoxId, product: 'oss-cloudbox', endpoint },
    aliOss: { cloudBoxId: i.cloudBoxId, endpoint },
  };
}

async function aliOssUrl(i: Input): Promise<string> {
  setDate(i.now);
  const client = aliOssClient({
    credentials: i.credentials,
    bucket: i.bucket,
    region: `oss-${i.region}`,
    ...addressed(i).aliOss,
  });
  const request = { headers: allHeaders(i), queries: toRecord(i.query, (q) => q.value) };
  return client.signatureUrlV4(i.method, i.expiresIn, request, i.key, i.additionalHeaders);
}

function ourPresign(i: Input) {
  const headers: Record<string, string> = {
    ...toRecord(i.ossHeaders, (h) => h.value),
    ...toRecord(i.otherHeaders, (h) => h.value),
  };
  if (i.contentType !== undefined && i.contentTypeAsHeader) headers['Content-Type'] = i.contentType;
  return presignUrl({
    signatureVersion: 'v4',
    bucket: i.bucket,
    region: i.regionWithPrefix ? `oss-${i.region}` : i.region,
    ...addressed(i).ours,
    key: i.key,
    method: i.method as 'GET',
    expiresIn: i.expiresIn,
    now: i.now,
    credentials: i.credentials,
    ...(i.contentType !== undefined && !i.contentTypeAsHeader && { contentType: i.contentType }),
    ...(i.contentMd5 !== undefined && { contentMd5: i.contentMd5 }),
    headers,
    query: toRecord(i.query, (q) => q.value),
    additionalHeaders: i.additionalHeaders,
  });
}

describe('V4 presigned URL vs ali-oss signatureUrlV4', () => {
  it('gives the same signature and query parameters where ali-oss follows the v2 rules', async () => {
    await fc.assert(
      fc.asyncProperty(input, async (i) => {
        const theirs = parseUrl(await aliOssUrl(i));
        const ours = ourPresign(i);
        const got = parseUrl(ours.url);
        expectSameParams(got.params, theirs.params);
        expect(got.origin).toBe(theirs.origin);
        const path = i.addressing === 'path-style' && !i.cloudBoxId ? `${i.bucket}/${i.key}` : i.key;
        expect(got.path).toBe(path);
        expect(theirs.path).toBe(path);
        expect(ours.expiresAt.getTime()).toBe(Math.floor(i.now.getTime() / 1000) * 1000 + i.expiresIn * 1000);
        // Every header in the signature must be among those the client is told to send.
        const lower = Object.fromEntries(Object.entries(allHeaders(i)).map(([n, v]) => [n.toLowerCase(), v]));
        const additional = (paramValue(got.params, 'x-oss-additional-headers') ?? '')
          .split(';')
          .filter(Boolean);
        const signed = Object.keys(lower).filter(
          (name) => name === 'content-type' || name === 'content-md5' || name.startsWith('x-oss-'),
        );
        for (const name of [...signed, ...additional])
          expect(headerValue(ours.headers, name)).toBe(lower[name]);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });
});

describe('V4 presigned URL where ali-oss and the v2 SDKs disagree: this library follows v2', () => {
  const credentials = { accessKeyId: 'LTAI5tExampleKeyId', accessKeySecret: 'exampleSecret' };
  const now = new Date('2025-01-15T08:30:00Z');
  const request = { bucket: 'examplebucket', region: 'cn-hangzhou', key: 'photos/a b+c.jpg', expiresIn: 600 };
  const credential = 'LTAI5tExampleKeyId%2F20250115%2Fcn-hangzhou%2Foss%2Faliyun_v4_request';
  const authQuery = `x-oss-credential=${credential}&x-oss-date=20250115T083000Z&x-oss-expires=600`;
  /** The v2 canonical request written out: no headers are signed unless given. */
  const byHand = (canonicalQuery: string, canonicalHeaders = '', additionalHeaders = '') =>
    signV4ByHand({
      accessKeySecret: credentials.accessKeySecret,
      datetime: isoBasic(now),
      region: 'cn-hangzhou',
      canonicalRequest: [
        'GET',
        '/examplebucket/photos/a%20b%2Bc.jpg',
        canonicalQuery,
        canonicalHeaders,
        additionalHeaders,
        'UNSIGNED-PAYLOAD',
      ].join('\n'),
    });
  const oursUrl = (options: {
    query?: Record<string, string | null>;
    headers?: Record<string, string>;
    additionalHeaders?: string[];
  }) => parseUrl(presignUrl({ ...request, ...options, credentials, now, signatureVersion: 'v4' }).url).params;
  const ours = (query: Record<string, string | null>) => paramValue(oursUrl({ query }), 'x-oss-signature');
  const aliOssUrl = async (
    request_: { queries?: Record<string, string | null>; headers?: Record<string, string> },
    additionalHeaders?: string[],
  ) => {
    setDate(now);
    const client = aliOssClient({ credentials, bucket: request.bucket, region: 'oss-cn-hangzhou' });
    return parseUrl(
      await client.signatureUrlV4('GET', request.expiresIn, request_, request.key, additionalHeaders),
    ).params;
  };
  const aliOss = async (queries: Record<string, string | null>) =>
    paramValue(await aliOssUrl({ queries }), 'x-oss-signature');

  it('sorts query names by the bytes of their encoding, not with localeCompare', async () => {
    const query = { 'x-oss-process': 'image/resize,w_100', 'X-Trace': 'abc' };
    // v2: 'X' (0x58) sorts before 'x' (0x78). localeCompare ignores case first: 'x-oss-…' < 'X-Trace'.
    const v2Query = `X-Trace=abc&${authQuery}&x-oss-process=image%2Fresize%2Cw_100&x-oss-signature-version=OSS4-HMAC-SHA256`;
    const aliOssQuery = `${authQuery}&x-oss-process=image%2Fresize%2Cw_100&x-oss-signature-version=OSS4-HMAC-SHA256&X-Trace=abc`;
    expect(ours(query)).toBe(byHand(v2Query));
    expect(await aliOss(query)).toBe(byHand(aliOssQuery));
    expect(byHand(aliOssQuery)).not.toBe(byHand(v2Query));
  });

  it("writes an empty query value as the bare name, where ali-oss writes 'name='", async () => {
    const v2Query = `tagging&${authQuery}&x-oss-signature-version=OSS4-HMAC-SHA256`;
    const aliOssQuery = `tagging=&${authQuery}&x-oss-signature-version=OSS4-HMAC-SHA256`;
    expect(ours({ tagging: '' })).toBe(byHand(v2Query));
    expect(ours({ tagging: null })).toBe(byHand(v2Query));
    expect(await aliOss({ tagging: '' })).toBe(byHand(aliOssQuery));
    expect(await aliOss({ tagging: null })).toBe(byHand(v2Query));
  });

  it('leaves out a listed header whose value is empty, as the v2 SDKs do, where ali-oss signs it', async () => {
    // Go: header.Get(k) != ""; Python: len(request.headers.get(k, '')) > 0. An empty header is not listed.
    const v2Query = `${authQuery}&x-oss-signature-version=OSS4-HMAC-SHA256`;
    const got = oursUrl({ headers: { 'Cache-Control': '' }, additionalHeaders: ['cache-control'] });
    expect(paramValue(got, 'x-oss-additional-headers')).toBeUndefined();
    expect(paramValue(got, 'x-oss-signature')).toBe(byHand(v2Query));

    const theirs = await aliOssUrl({ headers: { 'Cache-Control': '' } }, ['cache-control']);
    const aliOssQuery = `x-oss-additional-headers=cache-control&${v2Query}`;
    expect(paramValue(theirs, 'x-oss-signature')).toBe(
      byHand(aliOssQuery, 'cache-control:\n', 'cache-control'),
    );
  });
});
