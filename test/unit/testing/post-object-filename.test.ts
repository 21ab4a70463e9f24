/**
 * `${filename}` and key conditions, with real multipart forms signed here with node:crypto (the OSS
 * documentation's V1 recipe). OSS's PostObject reference does not say whether a condition sees the key
 * before or after the substitution; the endpoint holds every key condition against both, so that no file
 * name can dodge one (a condition that itself names `${filename}` is held against the key as sent).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLocalOss, type LocalOss } from '../../../src/testing/index.js';
import { aliOss, FORM_BOUNDARY as BOUNDARY, BUCKET, postV1Form } from '../../support/clients.js';

let oss: LocalOss;

beforeAll(async () => {
  oss = await createLocalOss();
  await aliOss(oss.credentials, { endpoint: oss.url }).put('protected.txt', Buffer.from('original'));
});

afterAll(() => oss.close());

function stored(key: string): string | undefined {
  const object = oss.getObject(BUCKET, key);
  return object && Buffer.from(object.body).toString();
}

/** A V1-signed form with these conditions, the key field, and a file part named `filename`. */
function post(conditions: unknown[], key: string, filename: string, file: Buffer | string = 'uploaded') {
  return postV1Form(oss, { conditions, fields: { key }, filename, file });
}

describe('no key condition can be dodged through ${filename}', () => {
  test.each([
    { filename: 'protected.txt' },
    { filename: 'some/dir/protected.txt' },
    { filename: 'C:\\fakepath\\protected.txt' },
  ])('not-in: key "${filename}" with the file $filename is refused', async ({ filename }) => {
    const response = await post([['not-in', '$key', ['protected.txt']]], '${filename}', filename);
    expect([response.status, response.code]).toEqual([403, 'AccessDenied']);
    expect(stored('protected.txt')).toBe('original');
  });

  test.each([
    {
      condition: ['eq', '$key', 'uploads/a.txt'],
      key: 'uploads/${filename}',
      filename: 'a.txt',
      why: 'eq holds for the stored key, not for the key as sent',
    },
    {
      condition: ['starts-with', '$key', 'uploads/'],
      key: '${filename}',
      filename: 'uploads/../secret.txt',
      why: 'the directory part of a file name is dropped',
    },
    {
      condition: ['in', '$key', ['a.txt', 'b.txt']],
      key: '${filename}',
      filename: 'a.txt',
      why: 'in holds for the stored key, not for the key as sent',
    },
    {
      condition: ['not-in', '$key', ['uploads/aa']],
      key: 'uploads/${filename}${filename}',
      filename: 'a',
      why: 'each ${filename} is replaced',
    },
  ])('$condition.0 on $key: refused ($why)', async ({ condition, key, filename }) => {
    const response = await post([condition], key, filename);
    expect([response.status, response.code]).toEqual([403, 'AccessDenied']);
    expect(oss.getObject(BUCKET, key.replaceAll('${filename}', filename))).toBeUndefined();
  });
});

describe('${filename} is replaced literally, once, by the file name without its directory', () => {
  test.each([
    { filename: 'report.pdf', key: 'uploads/report.pdf' },
    { filename: '..', key: 'uploads/..' },
    { filename: 'a/b/..', key: 'uploads/..' },
    { filename: 'dir\\name.txt', key: 'uploads/name.txt' },
    { filename: '${filename}', key: 'uploads/${filename}' },
    { filename: '$&', key: 'uploads/$&' },
    { filename: "$'x", key: "uploads/$'x" },
    { filename: '$`', key: 'uploads/$`' },
    { filename: '', key: 'uploads/' },
    { filename: '中文.txt', key: 'uploads/中文.txt' },
  ])('the file "$filename" is stored as "$key"', async ({ filename, key }) => {
    const conditions = [
      ['starts-with', '$key', 'uploads/'],
      ['not-in', '$key', ['uploads/protected.txt']],
    ];
    const response = await post(conditions, 'uploads/${filename}', filename, `for ${key}`);
    expect(response.status).toBe(204);
    expect(stored(key)).toBe(`for ${key}`);
  });

  test('a condition that names ${filename} is held against the key as sent', async () => {
    const response = await post(
      [['eq', '$key', 'avatars/${filename}']],
      'avatars/${filename}',
      'x/../me.png',
    );
    expect(response.status).toBe(204);
    expect(stored('avatars/me.png')).toBe('uploaded');
  });

  test('a key whose ${filename}s would grow past any key (here to 1.8 GB) is InvalidObjectName, at once', async () => {
    const response = await post(
      [['starts-with', '$key', '']],
      '${filename}'.repeat(180_000),
      'n'.repeat(10_000),
    );
    expect([response.status, response.code]).toEqual([400, 'InvalidObjectName']);
    const longest = await post(
      [['starts-with', '$key', '']],
      `${'k'.repeat(1013)}\${filename}`,
      'abcdefghij',
    );
    expect(longest.status).toBe(204);
  });

  test('a key that is only ${filename}, for a file with no name, is InvalidObjectName', async () => {
    const response = await post([['starts-with', '$key', '']], '${filename}', '');
    expect([response.status, response.code]).toEqual([400, 'InvalidObjectName']);
  });
});

test('a file holding a fake delimiter is measured whole against content-length-range', async () => {
  // 198 bytes whose first 40 a parser stopping at any CRLF--boundary would keep.
  const file = Buffer.concat([
    Buffer.alloc(40, 'a'),
    Buffer.from(`\r\n--${BOUNDARY}X`),
    Buffer.alloc(198 - 40 - BOUNDARY.length - 5, 'b'),
  ]);
  const conditions = [
    ['content-length-range', 0, 100],
    ['starts-with', '$key', 'fake/'],
  ];
  const refused = await post(conditions, 'fake/198.bin', 'f.bin', file);
  expect([refused.status, refused.code]).toEqual([400, 'EntityTooLarge']);
  expect(oss.getObject(BUCKET, 'fake/198.bin')).toBeUndefined();
  const fits = await post([['content-length-range', 0, 198], conditions[1]], 'fake/198.bin', 'f.bin', file);
  expect(fits.status).toBe(204);
  expect(oss.getObject(BUCKET, 'fake/198.bin')?.body.length).toBe(198);
});
