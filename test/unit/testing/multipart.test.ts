/**
 * Multipart uploads step by step with ali-oss's own calls: what is listed, what completes, and the
 * refusals OSS gives (a part too small, a wrong ETag, parts out of order, an aborted upload).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { signRequest } from '../../../src/sign-request.js';
import { createLocalOss, type LocalOss } from '../../../src/testing/index.js';
import {
  type AliOssClient,
  aliOss,
  assumeRole,
  BUCKET,
  type ListedPart,
  prefixPolicy,
  ROLE_ARN,
  rejection,
  send,
} from '../../support/clients.js';

interface Part {
  number: number;
  etag: string;
}

const PART = 100 * 1024;
let oss: LocalOss;
let client: AliOssClient;
let workDir: string;
let file: string;
let content: Buffer;

beforeAll(async () => {
  oss = await createLocalOss({ roleArn: ROLE_ARN });
  client = aliOss(oss.credentials, { endpoint: oss.url, authorizationV4: true });
  workDir = await mkdtemp(join(tmpdir(), 'local-oss-multipart-'));
  file = join(workDir, 'upload.bin');
  content = randomBytes(PART + 5000);
  await writeFile(file, content);
});

afterAll(async () => {
  await oss.close();
  await rm(workDir, { recursive: true, force: true });
});

/** ali-oss gives a single listed part as an object, several as an array. */
async function partsOf(client: AliOssClient, key: string, uploadId: string): Promise<ListedPart[]> {
  return [(await client.listParts(key, uploadId)).parts].flat();
}

/** Starts an upload of `file` and uploads its two parts. */
async function twoParts(key: string, options?: Record<string, unknown>) {
  const { uploadId } = await client.initMultipartUpload(key, options);
  const first = await client.uploadPart(key, uploadId, 1, file, 0, PART);
  const second = await client.uploadPart(key, uploadId, 2, file, PART, content.length);
  return {
    uploadId,
    parts: [
      { number: 1, etag: first.etag },
      { number: 2, etag: second.etag },
    ],
  };
}

test('parts are listed, and completing joins them with the headers given at initiation', async () => {
  const key = 'multipart/joined.bin';
  const { uploadId, parts } = await twoParts(key, { mime: 'video/mp4', meta: { camera: 'front' } });
  const listed = await partsOf(client, key, uploadId);
  expect(listed.map((p) => [p.PartNumber, p.Size, p.ETag])).toEqual([
    ['1', String(PART), parts[0]?.etag],
    ['2', '5000', parts[1]?.etag],
  ]);
  await client.completeMultipartUpload(key, uploadId, parts);
  const object = oss.getObject(BUCKET, key);
  expect(Buffer.from(object?.body ?? []).equals(content)).toBe(true);
  expect(object?.headers['content-type']).toBe('video/mp4');
  expect(object?.headers['x-oss-meta-camera']).toBe('front');
  // A completed upload is gone.
  const gone = await rejection(client.listParts(key, uploadId));
  expect([gone.status, gone.code]).toEqual([404, 'NoSuchUpload']);
});

test('a part smaller than 100 KiB that is not the last is EntityTooSmall; the upload is left as it was', async () => {
  const key = 'multipart/small-part.bin';
  const { uploadId } = await client.initMultipartUpload(key);
  const small = await client.uploadPart(key, uploadId, 1, file, 0, 1000);
  const last = await client.uploadPart(key, uploadId, 2, file, 1000, 2000);
  const parts = [
    { number: 1, etag: small.etag },
    { number: 2, etag: last.etag },
  ];
  const error = await rejection(client.completeMultipartUpload(key, uploadId, parts));
  expect([error.status, error.code]).toEqual([400, 'EntityTooSmall']);
  expect(oss.getObject(BUCKET, key)).toBeUndefined();
  expect(await partsOf(client, key, uploadId)).toHaveLength(2);
});

test('a wrong ETag is InvalidPart', async () => {
  const key = 'multipart/wrong-etag.bin';
  const { uploadId, parts } = await twoParts(key);
  const wrong = parts.map((part) =>
    part.number === 2 ? { ...part, etag: '"0123456789ABCDEF0123456789ABCDEF"' } : part,
  );
  const error = await rejection(client.completeMultipartUpload(key, uploadId, wrong));
  expect([error.status, error.code]).toEqual([400, 'InvalidPart']);
  expect(oss.getObject(BUCKET, key)).toBeUndefined();
});

/**
 * CompleteMultipartUpload built by hand (ali-oss sorts the parts itself and does not return the body),
 * sent to `objectUrl`: the key's URL in either addressing style.
 */
function completeByHand(objectUrl: string, key: string, uploadId: string, parts: Part[]) {
  const body = `<CompleteMultipartUpload>${parts
    .map((p) => `<Part><PartNumber>${p.number}</PartNumber><ETag>${p.etag}</ETag></Part>`)
    .join('')}</CompleteMultipartUpload>`;
  // V4 does not sign the Host, so the same headers do for either style.
  const { headers } = signRequest({
    method: 'POST',
    bucket: BUCKET,
    key,
    region: oss.region,
    query: { uploadId },
    headers: { 'Content-Type': 'application/xml' },
    credentials: oss.credentials,
  });
  return send(`${objectUrl}?uploadId=${uploadId}`, { method: 'POST', headers, body });
}

test('parts listed out of order are InvalidPartOrder', async () => {
  const key = 'multipart/out-of-order.bin';
  const { uploadId, parts } = await twoParts(key);
  const response = await completeByHand(`${oss.url}/${BUCKET}/${key}`, key, uploadId, [...parts].reverse());
  expect([response.status, response.code]).toEqual([400, 'InvalidPartOrder']);
  expect(oss.getObject(BUCKET, key)).toBeUndefined();
});

test.each([
  { style: 'path-style', base: () => `${oss.url}/${BUCKET}` },
  { style: 'virtual-host', base: () => `http://${BUCKET}.localhost:${new URL(oss.url).port}` },
])(
  'the Location of the completed object is its URL, $style, with the key percent-encoded',
  async ({ style, base }) => {
    const key = `multipart/${style} location+ü.bin`;
    const objectUrl = `${base()}/${key.split('/').map(encodeURIComponent).join('/')}`;
    const { uploadId, parts } = await twoParts(key);
    const response = await completeByHand(objectUrl, key, uploadId, parts);
    expect(response.status).toBe(200);
    expect(response.body.toString()).toContain(`<Location>${objectUrl}</Location>`);
    expect(Buffer.from(oss.getObject(BUCKET, key)?.body ?? []).equals(content)).toBe(true);
  },
);

test('after an abort, or for another object, the upload ID is NoSuchUpload', async () => {
  const key = 'multipart/aborted.bin';
  const { uploadId } = await twoParts(key);
  const otherObject = await rejection(client.listParts('multipart/other.bin', uploadId));
  expect([otherObject.status, otherObject.code]).toEqual([404, 'NoSuchUpload']);
  await client.abortMultipartUpload(key, uploadId);
  const error = await rejection(client.uploadPart(key, uploadId, 3, file, 0, 10));
  expect([error.status, error.code]).toEqual([404, 'NoSuchUpload']);
});

test('with STS credentials, aborting needs oss:AbortMultipartUpload', async () => {
  const sts = aliOss(await assumeRole(oss, { policy: prefixPolicy('multipart/') }), {
    endpoint: oss.url,
  });
  const key = 'multipart/sts.bin';
  const { uploadId } = await sts.initMultipartUpload(key);
  await sts.uploadPart(key, uploadId, 1, file, 0, 10);
  expect(await partsOf(sts, key, uploadId)).toHaveLength(1);
  const error = await rejection(sts.abortMultipartUpload(key, uploadId));
  expect([error.status, error.code]).toEqual([403, 'AccessDenied']);
  expect(await partsOf(sts, key, uploadId)).toHaveLength(1);
});
