// The framework examples' shared page (examples/shared/page), in Chromium: served by the Express example,
// it uploads by each of the four methods to a local endpoint on another origin; the stored bytes are
// compared with the file chosen. The page is the same in every example; the routes it calls are the ones
// test/examples/ checks in each framework.
import { createHash, randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../examples/express/app.js';
import type { RunningExample } from '../../examples/shared/start.js';
import { LOCAL_BUCKET, LOCAL_ROLE_ARN } from '../../examples/shared/target.mjs';
import { createLocalOss, type LocalOss } from '../../src/testing/index.js';
import { launchChromium } from './chromium.js';

let browser: Browser | undefined;
let local: LocalOss | undefined;
let example: RunningExample | undefined;
let page: Page;

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
    },
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
    ['sts', 'sts.bin', 300 * 1024],
    ['post', 'form.bin', 200 * 1024],
    ['presign', 'put.bin', 200 * 1024],
    // Two parts of the client's default 5 MiB.
    ['multipart', 'big.bin', 6 * 1024 * 1024],
  ])('%s: uploads %s byte for byte under the user prefix', async (section, name, size) => {
    const buffer = randomBytes(size);
    const outcome = await upload(section, { name, mimeType: 'application/x-test', buffer });
    const key = `uploads/user-42/${name}`;
    expect(outcome).toMatchObject({
      status: expect.stringContaining('Stored'),
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
  });

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
