// The framework examples' shared page (examples/shared/page), in Chromium: served by the Express example,
// it uploads by each of the four methods to a local endpoint on another origin; the stored bytes are
// compared with the file chosen, and the three signed methods' upload callbacks reach the example, whose reply
// the page shows. The page is the same in every example; the routes it calls are the ones test/examples/
// checks in each framework.
import { createHash, randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../examples/express/app.js';
import type { RunningExample } from '../../examples/shared/start.js';
import { LOCAL_BUCKET, LOCAL_ROLE_ARN } from '../../examples/shared/target.mjs';
import type { ConfirmedUpload } from '../../examples/shared/uploads.js';
import { createLocalOss, type LocalOss } from '../../src/testing/index.js';
import { launchChromium } from './chromium.js';

let browser: Browser | undefined;
let local: LocalOss | undefined;
let example: RunningExample | undefined;
let page: Page;
const confirmed: ConfirmedUpload[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  local = await createLocalOss({ buckets: [LOCAL_BUCKET], roleArn: LOCAL_ROLE_ARN, corsOrigins: '*' });
  example = await start({
    target: {
      bucket: LOCAL_BUCKET,
      region: local.region,
      endpoint: local.url,
      credentials: local.credentials,
      sts: { roleArn: LOCAL_ROLE_ARN, endpoint: local.stsEndpoint },
      callback: { publicKey: local.callbackPublicKey },
    },
    uploads: { onUpload: (upload) => void confirmed.push(upload) },
    port: 0,
    host: '127.0.0.1',
  });
  page = await browser.newPage();
  await page.goto(`${example.url}/`);
  await page.waitForSelector('section#multipart button');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await example?.close();
  await local?.close();
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest();
/** OSS's ETag: the MD5 of the bytes, or for a multipart object the MD5 of its parts' MD5s and "-parts". */
function etagOf(bytes: Buffer, partSize?: number): string {
  if (partSize === undefined) return md5(bytes).toString('hex').toUpperCase();
  const parts: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += partSize)
    parts.push(bytes.subarray(start, start + partSize));
  return `${md5(Buffer.concat(parts.map(md5)))
    .toString('hex')
    .toUpperCase()}-${parts.length}`;
}

/** Chooses a file in the section, clicks Upload and waits for the outcome; the button is off meanwhile. */
async function upload(section: string, file: { name: string; mimeType: string; buffer: Buffer }) {
  await page.setInputFiles(`#${section} input[type=file]`, file);
  await page.click(`#${section} button`);
  const disabledWhileUploading = await page.$eval(`#${section}`, (element: HTMLElement) =>
    element.dataset.state === 'uploading' ? element.querySelector('button')?.disabled : 'finished already',
  );
  await page.waitForFunction(
    (id) => ['done', 'error'].includes(document.querySelector<HTMLElement>(`#${id}`)?.dataset.state ?? ''),
    section,
  );
  return page
    .$eval(`#${section}`, (element: HTMLElement) => ({
      state: element.dataset.state,
      key: element.dataset.key,
      status: element.querySelector('[role=status]')?.textContent,
      progress: element.querySelector('progress')?.value,
      disabledAfter: element.querySelector('button')?.disabled,
    }))
    .then((outcome) => ({ ...outcome, disabledWhileUploading }));
}

describe('the examples page', () => {
  it.each([
    ['sts', 'without', 'sts.bin', 300 * 1024],
    ['post', 'with', 'form.bin', 200 * 1024],
    ['presign', 'with', 'put.bin', 200 * 1024],
    // Two parts of the client's default 5 MiB.
    ['multipart', 'with', 'big.bin', 6 * 1024 * 1024],
  ] as const)(
    '%s, %s a callback: uploads %s byte for byte under the user prefix',
    async (section, callback, name, size) => {
      const buffer = randomBytes(size);
      const outcome = await upload(section, { name, mimeType: 'application/x-test', buffer });
      const key = `uploads/user-42/${name}`;
      const etag = etagOf(buffer, section === 'multipart' ? 5 * 1024 * 1024 : undefined);
      // The SDK path carries no callback; the others show the callback route's reply, relayed by OSS.
      expect(outcome.status).toBe(
        `Stored ${key}.${callback === 'with' ? ` The server confirmed it: ${size} bytes, ETag ${etag}.` : ''}`,
      );
      expect(
        confirmed
          .splice(0)
          .map((upload) => ({ object: upload.object, size: upload.size, etag: upload.etag })),
      ).toEqual(callback === 'with' ? [{ object: key, size, etag }] : []);
      expect(outcome).toMatchObject({
        state: 'done',
        key,
        progress: 1,
        disabledAfter: false,
      });
      // Clicked and checked in one turn of the page, the button is already off (unless it was that fast).
      expect([true, 'finished already']).toContain(outcome.disabledWhileUploading);
      const stored = local?.getObject(LOCAL_BUCKET, key);
      expect(stored && sha256(stored.body)).toBe(sha256(buffer));
      expect(stored?.headers['content-type']).toBe('application/x-test');
    },
  );

  it('shows what went wrong when the server refuses to sign', async () => {
    const outcome = await upload('presign', {
      name: 'bad\u0001name.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('x'),
    });
    expect(outcome.state).toBe('error');
    expect(outcome.status).toContain('InvalidName');
  });
});
