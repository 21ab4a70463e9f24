/**
 * presignMultipart's URLs, sent as plain HTTP requests with exactly the returned method and headers, are
 * accepted by the local endpoint for every step, V4 and V1, with long-term and STS credentials; a URL
 * used for anything else than what it was signed for is refused.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PresignMultipartOptions, presignMultipart } from '../../../src/index.js';
import { createLocalOss, type LocalOss } from '../../../src/testing/index.js';
import type { OssCredentials } from '../../../src/types.js';
import { assumeRole, BUCKET, prefixPolicy, type RawResponse, ROLE_ARN, send } from '../../support/clients.js';

const PART = 100 * 1024;
let oss: LocalOss;

beforeAll(async () => {
  oss = await createLocalOss({ roleArn: ROLE_ARN });
});
afterAll(() => oss.close());

type Step = Omit<PresignMultipartOptions, 'bucket' | 'region' | 'credentials' | 'key'>;

/** Presigns one step and sends it as returned. */
function step(
  key: string,
  options: Step & { credentials?: OssCredentials },
  body?: Buffer | string,
): Promise<RawResponse> {
  const signed = presignMultipart({
    bucket: BUCKET,
    region: oss.region,
    endpoint: oss.url,
    credentials: oss.credentials,
    key,
    // Within the 15 minutes of the STS credentials.
    expiresIn: 600,
    ...options,
  });
  return send(signed.url, {
    method: signed.method,
    headers: signed.headers,
    ...(body !== undefined && { body }),
  });
}

const tag = (xml: Buffer, name: string) =>
  [...xml.toString('utf8').matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1] ?? '');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe.each(['v4', 'v1'] as const)('presignMultipart with the local endpoint (%s)', (signatureVersion) => {
  const content = randomBytes(2 * PART + 777);
  const pieces = [content.subarray(0, PART), content.subarray(PART, 2 * PART), content.subarray(2 * PART)];

  async function initiate(
    key: string,
    options: Omit<Step, 'step'> = {},
    credentials?: OssCredentials,
  ): Promise<string> {
    const response = await step(key, {
      signatureVersion,
      step: 'initiate',
      ...options,
      ...(credentials && { credentials }),
    });
    expect(response.status).toBe(200);
    const [uploadId] = tag(response.body, 'UploadId');
    expect(uploadId).toMatch(/^[0-9A-F]{32}$/);
    return uploadId as string;
  }

  /** Uploads the three parts, last first, and returns their ETags by part number. */
  async function uploadParts(key: string, uploadId: string, credentials?: OssCredentials): Promise<string[]> {
    const etags: string[] = [];
    for (const partNumber of [3, 1, 2]) {
      const response = await step(
        key,
        { signatureVersion, step: 'part', uploadId, partNumber, ...(credentials && { credentials }) },
        pieces[partNumber - 1],
      );
      expect(response.status).toBe(200);
      etags[partNumber - 1] = String(response.headers.etag);
    }
    return etags;
  }

  it('initiate with the object type and metadata, parts in any order, list paged, complete with the part list', async () => {
    const key = `${signatureVersion}/video clip+1.mp4`;
    const uploadId = await initiate(key, {
      contentType: 'video/mp4',
      headers: { 'x-oss-meta-owner': 'ana' },
    });
    const etags = await uploadParts(key, uploadId);

    const listed = await step(key, { signatureVersion, step: 'list', uploadId });
    expect(listed.status).toBe(200);
    expect(tag(listed.body, 'PartNumber')).toEqual(['1', '2', '3']);
    expect(tag(listed.body, 'ETag')).toEqual(etags);
    expect(tag(listed.body, 'Size')).toEqual(pieces.map((piece) => String(piece.length)));
    const afterFirst = await step(key, { signatureVersion, step: 'list', uploadId, partNumberMarker: 1 });
    expect(tag(afterFirst.body, 'PartNumber')).toEqual(['2', '3']);

    const xml = `<CompleteMultipartUpload>${etags
      .map((etag, index) => `<Part><PartNumber>${index + 1}</PartNumber><ETag>${etag}</ETag></Part>`)
      .join('')}</CompleteMultipartUpload>`;
    const completed = await step(key, { signatureVersion, step: 'complete', uploadId }, xml);
    expect(completed.status).toBe(200);
    expect(tag(completed.body, 'Key')).toEqual([key]);

    const stored = oss.getObject(BUCKET, key);
    expect(stored && sha256(stored.body)).toBe(sha256(content));
    expect(stored?.headers).toMatchObject({ 'content-type': 'video/mp4', 'x-oss-meta-owner': 'ana' });
  });

  it('completeAll: OSS assembles the stored parts from an empty body, and refuses a part list with it', async () => {
    const key = `${signatureVersion}/all.bin`;
    const uploadId = await initiate(key);
    await uploadParts(key, uploadId);

    const withBody = await step(
      key,
      { signatureVersion, step: 'complete', uploadId, completeAll: true },
      '<CompleteMultipartUpload/>',
    );
    expect(withBody).toMatchObject({ status: 400, code: 'InvalidArgument' });
    const completed = await step(key, { signatureVersion, step: 'complete', uploadId, completeAll: true });
    expect(completed.status).toBe(200);
    const stored = oss.getObject(BUCKET, key);
    expect(stored && sha256(stored.body)).toBe(sha256(content));
  });

  it('abort: the upload and its parts are gone', async () => {
    const key = `${signatureVersion}/aborted.bin`;
    const uploadId = await initiate(key);
    await uploadParts(key, uploadId);

    expect((await step(key, { signatureVersion, step: 'abort', uploadId })).status).toBe(204);
    expect(await step(key, { signatureVersion, step: 'list', uploadId })).toMatchObject({
      status: 404,
      code: 'NoSuchUpload',
    });
    expect(oss.getObject(BUCKET, key)).toBeUndefined();
  });

  it('STS credentials: the token is signed with each step, and the session policy still confines the key', async () => {
    const credentials = await assumeRole(oss, { policy: prefixPolicy('sts/') });
    const key = `sts/${signatureVersion}.bin`;
    const uploadId = await initiate(key, {}, credentials);
    await uploadParts(key, uploadId, credentials);
    const completed = await step(key, {
      signatureVersion,
      step: 'complete',
      uploadId,
      completeAll: true,
      credentials,
    });
    expect(completed.status).toBe(200);
    expect(oss.getObject(BUCKET, key)?.body.length).toBe(content.length);

    const outside = await step('elsewhere.bin', { signatureVersion, step: 'initiate', credentials });
    expect(outside).toMatchObject({ status: 403, code: 'AccessDenied' });
  });

  it('a URL only does what it was signed for', async () => {
    const key = `${signatureVersion}/tamper.bin`;
    const uploadId = await initiate(key);
    const part2 = presignMultipart({
      bucket: BUCKET,
      region: oss.region,
      endpoint: oss.url,
      credentials: oss.credentials,
      key,
      signatureVersion,
      step: 'part',
      uploadId,
      partNumber: 2,
    });
    const asPart3 = await send(part2.url.replace('partNumber=2', 'partNumber=3'), {
      method: 'PUT',
      body: 'x',
    });
    expect(asPart3).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    const otherUpload = await initiate(key);
    const elsewhere = await send(part2.url.replace(uploadId, otherUpload), { method: 'PUT', body: 'x' });
    expect(elsewhere).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });

    const complete = presignMultipart({
      bucket: BUCKET,
      region: oss.region,
      endpoint: oss.url,
      credentials: oss.credentials,
      key,
      signatureVersion,
      step: 'complete',
      uploadId,
      completeAll: true,
    });
    // Without the signed x-oss-complete-all header, or with another body type.
    const withoutHeader = await send(complete.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/xml' },
    });
    expect(withoutHeader).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    const asJson = await send(complete.url, {
      method: 'POST',
      headers: { ...complete.headers, 'Content-Type': 'application/json' },
    });
    expect(asJson).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
  });
});
