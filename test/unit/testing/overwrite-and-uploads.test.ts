/**
 * `x-oss-forbid-overwrite: true` keeps an existing object (409 FileAlreadyExists) whichever way the new
 * one comes: PutObject, PostObject (as a form field), InitiateMultipartUpload (checked when initiated)
 * and CompleteMultipartUpload (its own header, EC 0042-00000214). Multipart uploads left unfinished
 * expire (the cap on their number and bytes is proven in test/unit/testing/uploads.test.ts, and their
 * memory measured by scripts/local-oss-load.mjs).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { presignUrl } from '../../../src/presign-url.js';
import { createLocalOss, type LocalOss } from '../../../src/testing/index.js';
import { UPLOAD_LIFETIME_MS } from '../../../src/testing/limits.js';
import {
  type AliOssClient,
  aliOss,
  BUCKET,
  localTarget,
  postV1Form,
  rejection,
  send,
} from '../../support/clients.js';

const FORBID = { 'x-oss-forbid-overwrite': 'true' };
let clockOffset = 0;
let oss: LocalOss;
let client: AliOssClient;
let workDir: string;
let partFile: string;

beforeAll(async () => {
  oss = await createLocalOss({ clock: () => new Date(Date.now() + clockOffset) });
  client = aliOss(oss.credentials, { endpoint: oss.url });
  workDir = await mkdtemp(join(tmpdir(), 'local-oss-forbid-'));
  partFile = join(workDir, 'part.bin');
  await writeFile(partFile, 'multipart');
});

afterAll(async () => {
  await oss.close();
  await rm(workDir, { recursive: true, force: true });
});

function stored(key: string): string | undefined {
  const object = oss.getObject(BUCKET, key);
  return object && Buffer.from(object.body).toString();
}

/** An upload of one small part, its parts list ready for the complete. */
async function onePart(key: string, initiate?: { headers?: Record<string, string> }) {
  const { uploadId } = await client.initMultipartUpload(key, initiate);
  const part = await client.uploadPart(key, uploadId, 1, partFile, 0, 9);
  return { uploadId, parts: [{ number: 1, etag: part.etag }] };
}

describe('x-oss-forbid-overwrite', () => {
  test('PutObject: true keeps the object, false overwrites, anything else is InvalidArgument', async () => {
    await client.put('forbid/put.txt', Buffer.from('original'));
    const refused = await rejection(client.put('forbid/put.txt', Buffer.from('new'), { headers: FORBID }));
    expect([refused.status, refused.code]).toEqual([409, 'FileAlreadyExists']);
    expect(stored('forbid/put.txt')).toBe('original');
    const invalid = await rejection(
      client.put('forbid/put.txt', Buffer.from('new'), { headers: { 'x-oss-forbid-overwrite': 'yes' } }),
    );
    expect([invalid.status, invalid.code]).toEqual([400, 'InvalidArgument']);
    await client.put('forbid/put.txt', Buffer.from('new'), {
      headers: { 'x-oss-forbid-overwrite': 'false' },
    });
    expect(stored('forbid/put.txt')).toBe('new');
    await client.put('forbid/fresh.txt', Buffer.from('fresh'), { headers: FORBID });
    expect(stored('forbid/fresh.txt')).toBe('fresh');
  });

  test('PostObject: the form field', async () => {
    await client.put('forbid/form.txt', Buffer.from('original'));
    const form = (forbid: string) =>
      postV1Form(oss, {
        conditions: [['starts-with', '$key', 'forbid/']],
        fields: { key: 'forbid/form.txt', 'x-oss-forbid-overwrite': forbid },
        file: 'from the form',
      });
    const refused = await form('true');
    expect([refused.status, refused.code]).toEqual([409, 'FileAlreadyExists']);
    expect(stored('forbid/form.txt')).toBe('original');
    expect((await form('false')).status).toBe(204);
    expect(stored('forbid/form.txt')).toBe('from the form');
  });

  test('InitiateMultipartUpload: refused when the object exists then', async () => {
    await client.put('forbid/initiate.bin', Buffer.from('original'));
    const refused = await rejection(client.initMultipartUpload('forbid/initiate.bin', { headers: FORBID }));
    expect([refused.status, refused.code]).toEqual([409, 'FileAlreadyExists']);
  });

  test('CompleteMultipartUpload: its own header, checked when it completes; the upload is kept', async () => {
    const key = 'forbid/complete.bin';
    const { uploadId, parts } = await onePart(key, { headers: FORBID });
    await client.put(key, Buffer.from('arrived meanwhile'));
    const refused = await rejection(
      client.completeMultipartUpload(key, uploadId, parts, { headers: FORBID }),
    );
    expect([refused.status, refused.code]).toEqual([409, 'FileAlreadyExists']);
    expect(stored(key)).toBe('arrived meanwhile');
    await client.completeMultipartUpload(key, uploadId, parts);
    expect(stored(key)).toBe('multipart');
  });
});

describe('multipart uploads left unfinished', () => {
  test('expire a day after they were initiated, by the endpoint clock', async () => {
    const key = 'unfinished/expired.bin';
    const { uploadId } = await onePart(key);
    // ListParts, signed at the endpoint's time so that only the upload's age changes.
    const listParts = () => {
      const url = presignUrl({
        ...localTarget(oss),
        key,
        query: { uploadId },
        now: new Date(Date.now() + clockOffset),
      });
      return send(url.url);
    };
    try {
      clockOffset = UPLOAD_LIFETIME_MS - 60_000;
      expect((await listParts()).status).toBe(200);
      clockOffset = UPLOAD_LIFETIME_MS;
      const gone = await listParts();
      expect([gone.status, gone.code]).toEqual([404, 'NoSuchUpload']);
    } finally {
      clockOffset = 0;
    }
  });
});
