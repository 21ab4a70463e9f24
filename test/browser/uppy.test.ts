// The Uppy example in Chromium: the real @uppy/core and @uppy/aws-s3 (v6), bundled with esbuild, upload a
// large file by presigned multipart and a small one by a single presigned PUT to the local endpoint.
import { createHash } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LOCAL_BUCKET, startUppyExample } from '../../examples/uppy/app.mjs';
import { presignMultipart, presignUrl } from '../../src/index.js';
import { createLocalOss } from '../../src/testing/index.js';
import { launchChromium } from './chromium.js';

const MiB = 1024 * 1024;
let browser: Browser | undefined;
let example: Awaited<ReturnType<typeof startUppyExample>> | undefined;
let page: Page;
const requests: string[] = [];

beforeAll(async () => {
  [browser, example] = await Promise.all([
    launchChromium(),
    startUppyExample({ library: { presignMultipart, presignUrl }, createLocalOss }),
  ]);
  page = await browser.newPage();
  page.on('request', (request) => {
    if (request.method() !== 'OPTIONS') requests.push(`${request.method()} ${request.url()}`);
  });
  await page.goto(`${example.url}/`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await example?.close();
}, 30_000);

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

it('uploads a large file in parts and a small one in one PUT, each under a key the server chose', async () => {
  const files = [
    { name: 'big video.mp4', type: 'video/mp4', size: 10 * MiB + 12_345 },
    { name: 'notes.txt', type: 'text/plain', size: 200_000 },
  ];
  // Made in the page (cheaper than sending them from here) and chosen in the file input.
  const digests = await page.evaluate(async (files) => {
    const transfer = new DataTransfer();
    const digests: string[] = [];
    for (const { name, type, size } of files) {
      const bytes = new Uint8Array(size);
      for (let i = 0; i < size; i += 65_536) crypto.getRandomValues(bytes.subarray(i, i + 65_536));
      transfer.items.add(new File([bytes], name, { type }));
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      digests.push(Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''));
    }
    const input = document.querySelector('input[type=file]') as HTMLInputElement;
    input.files = transfer.files;
    input.dispatchEvent(new Event('change'));
    return digests;
  }, files);
  await page.waitForFunction(() =>
    ['done', 'failed'].some((s) => document.querySelector('output')?.textContent?.startsWith(s)),
  );
  expect(await page.textContent('output')).toBe('done');

  const keys = await page.$$eval('li', (items) =>
    Object.fromEntries(items.map((li) => [li.textContent?.split(' -> ')[0], li.dataset.key])),
  );
  for (const [index, file] of files.entries()) {
    const key = keys[file.name] ?? '';
    expect(key).toMatch(new RegExp(`^uploads/[0-9a-f-]{36}-${file.name}$`));
    const stored = example?.local?.getObject(LOCAL_BUCKET, key);
    expect(stored && sha256(stored.body)).toBe(digests[index]);
    expect(stored?.headers['content-type']).toBe(file.type);
  }

  // Uppy's smallest part is 5 MiB: three parts, then the part list; the small file is one PUT.
  const big = encodeURI(keys['big video.mp4'] ?? '');
  const toBig = requests
    .filter((r) => r.includes(big))
    .map((r) => r.replace(/[?&]x-oss-[^&]*/g, '').replace(/^(\w+) .*?(\?|$)/, '$1 $2'));
  expect(toBig.map((r) => r.replace(/uploadId=\w+/, 'uploadId')).sort()).toEqual([
    'POST ?uploadId',
    'POST ?uploads',
    'PUT ?partNumber=1&uploadId',
    'PUT ?partNumber=2&uploadId',
    'PUT ?partNumber=3&uploadId',
  ]);
  const small = encodeURI(keys['notes.txt'] ?? '');
  expect(requests.filter((r) => r.includes(small)).map((r) => r.split('?')[0])).toEqual([
    `PUT ${example?.local?.url}/${LOCAL_BUCKET}/${small}`,
  ]);
});
