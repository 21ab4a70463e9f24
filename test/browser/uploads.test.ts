// The three direct-upload methods, end to end in Chromium: the demo page (served by the demo's app server,
// signing with src/) uploads to a local OSS endpoint on another origin.
import { createHash } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_BUCKET, startDemoApp } from '../../examples/demo/app.mjs';
import {
  createPostPolicy,
  createStsCredentialProvider,
  createUploadPolicy,
  presignUrl,
} from '../../src/index.js';
import { createLocalOss, type LocalOss } from '../../src/testing/index.js';
import { launchChromium } from './chromium.js';

const MAX_UPLOAD_BYTES = 512 * 1024;
const PART_SIZE = 1024 * 1024; // the demo page's ali-oss part size

let browser: Browser | undefined;
let demo: Awaited<ReturnType<typeof startDemoApp>> | undefined;
let local: LocalOss;
let page: Page;
/** Added to the local endpoint's clock, to make it see a presigned URL as expired. */
let endpointClockOffsetMs = 0;
/** URLs of every request the page sent. */
const requests: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  demo = await startDemoApp({
    library: { presignUrl, createPostPolicy, createStsCredentialProvider, createUploadPolicy },
    createLocalOss: (options) =>
      createLocalOss({ ...options, clock: () => new Date(Date.now() + endpointClockOffsetMs) }),
    maxUploadBytes: MAX_UPLOAD_BYTES,
  });
  if (!demo.local) throw new Error('startDemoApp without a target must start a local endpoint');
  local = demo.local;
  page = await browser.newPage();
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(`${demo.url}/`);
  await page.waitForSelector('body[data-ready="true"]');
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
}, 30_000);

interface Outcome {
  state: string | undefined;
  status: string;
  key: string | undefined;
  code: string | undefined;
  progress: number;
  /** Whether the button was off just after the click (while the upload ran), and is off at the end. */
  buttonDisabled: { during: boolean | 'finished already'; after: boolean };
}

/** Generates a random file in the page, puts it in the section's file input and returns its SHA-256. */
function chooseGeneratedFile(section: string, file: { name: string; type: string; size: number }) {
  return page.evaluate(
    async ({ section, name, type, size }) => {
      const bytes = new Uint8Array(size);
      // getRandomValues fills at most 64 KiB at a time.
      for (let offset = 0; offset < size; offset += 65_536) {
        crypto.getRandomValues(bytes.subarray(offset, offset + 65_536));
      }
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name, { type }));
      const input = document.querySelector<HTMLInputElement>(`#${section} input[type=file]`);
      if (!input) throw new Error(`no file input in #${section}`);
      input.files = transfer.files;
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
    },
    { section, ...file },
  );
}

/** Clicks the section's Upload button and waits until the page shows the outcome. */
async function clickUpload(section: string): Promise<Outcome> {
  await page.$eval(`#${section}`, (element: HTMLElement) => {
    for (const name of ['state', 'key', 'code']) delete element.dataset[name];
  });
  await page.click(`#${section} button`);
  const during = await page.$eval(`#${section}`, (element: HTMLElement) =>
    element.dataset.state === 'uploading'
      ? Boolean(element.querySelector('button')?.disabled)
      : ('finished already' as const),
  );
  await page.waitForFunction(
    (section) =>
      ['done', 'error'].includes(document.querySelector<HTMLElement>(`#${section}`)?.dataset.state ?? ''),
    section,
  );
  return page.$eval(
    `#${section}`,
    (element: HTMLElement, during) => ({
      state: element.dataset.state,
      status: element.querySelector('.status')?.textContent ?? '',
      key: element.dataset.key,
      code: element.dataset.code,
      progress: element.querySelector('progress')?.value ?? Number.NaN,
      buttonDisabled: { during, after: Boolean(element.querySelector('button')?.disabled) },
    }),
    during,
  );
}

function storedSha256(key: string): string | undefined {
  const object = local.getObject(LOCAL_BUCKET, key);
  return object && createHash('sha256').update(object.body).digest('hex');
}

/** The key as the uploads table lists it (its rows confirm the object with a HEAD request). */
function listedRow(key: string): Promise<string | null> {
  return page.locator(`#uploads tr[data-key="${key}"]`).textContent({ timeout: 5000 });
}

describe('STS credentials and ali-oss in the browser', () => {
  it('uploads a multi-megabyte file in parts, byte for byte', async () => {
    const size = 3 * PART_SIZE + 12_345;
    const sha256 = await chooseGeneratedFile('sts', { name: 'video.bin', type: 'video/mp4', size });
    const partsBefore = requests.filter((url) => url.includes('partNumber=')).length;

    const outcome = await clickUpload('sts');

    expect(outcome).toMatchObject({ state: 'done', key: 'uploads/video.bin', progress: 1 });
    // A multi-megabyte upload is still running just after the click: its button is off until it ends.
    expect(outcome.buttonDisabled).toEqual({ during: true, after: false });
    expect(storedSha256('uploads/video.bin')).toBe(sha256);
    expect(local.getObject(LOCAL_BUCKET, 'uploads/video.bin')?.body.length).toBe(size);
    // ali-oss sent one UploadPart request per part.
    expect(requests.filter((url) => url.includes('partNumber=')).length - partsBefore).toBe(4);
    expect(await listedRow('uploads/video.bin')).toContain('STS + ali-oss');
  });

  it("shows OSS's refusal of a key outside the credentials' prefix", async () => {
    await chooseGeneratedFile('sts', { name: 'escape.bin', type: 'application/octet-stream', size: 2048 });
    await page.fill('#sts input[name=key]', 'private/escape.bin');

    const outcome = await clickUpload('sts');
    await page.fill('#sts input[name=key]', '');

    expect(outcome).toMatchObject({ state: 'error', code: 'AccessDenied' });
    expect(outcome.status).toContain('AccessDenied');
    expect(local.getObject(LOCAL_BUCKET, 'private/escape.bin')).toBeUndefined();
  });

  // The page points ali-oss at the endpoint's IP with `sldEnable` (path style, `/bucket/key`); pointed at
  // `http://localhost:PORT` instead, ali-oss addresses `bucket.localhost:PORT`, which Chromium resolves too.
  it('also works with virtual-host addressing through bucket.localhost', async () => {
    const endpoint = `http://localhost:${new URL(local.url).port}`;
    const sha256 = await page.evaluate(async (endpoint) => {
      const config = await (await fetch('/api/config')).json();
      const credentials = await (await fetch('/api/sts-credentials', { method: 'POST' })).json();
      const { OSS } = window as unknown as {
        OSS: new (options: object) => { put(key: string, file: Blob): Promise<unknown> };
      };
      const client = new OSS({
        ...config.aliOss,
        endpoint,
        sldEnable: false,
        accessKeyId: credentials.accessKeyId,
        accessKeySecret: credentials.accessKeySecret,
        stsToken: credentials.securityToken,
      });
      const bytes = crypto.getRandomValues(new Uint8Array(50_000));
      await client.put('uploads/virtual-host.bin', new Blob([bytes]));
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
    }, endpoint);

    expect(requests).toContain(
      `http://${LOCAL_BUCKET}.localhost:${new URL(local.url).port}/uploads/virtual-host.bin`,
    );
    expect(storedSha256('uploads/virtual-host.bin')).toBe(sha256);
  });
});

describe('PostObject form from createPostPolicy', () => {
  it('uploads the file posted last in the form, named by ${filename}', async () => {
    const name = 'фото 猫 1.png';
    const sha256 = await chooseGeneratedFile('post', { name, type: 'image/png', size: 300_000 });

    const outcome = await clickUpload('post');

    expect(outcome).toMatchObject({ state: 'done', key: `uploads/${name}`, progress: 1 });
    expect(storedSha256(`uploads/${name}`)).toBe(sha256);
    expect(await listedRow(`uploads/${name}`)).toContain('image/png');
  });

  it("shows OSS's refusal of a file over the policy's content-length-range", async () => {
    await chooseGeneratedFile('post', { name: 'huge.png', type: 'image/png', size: MAX_UPLOAD_BYTES + 1 });

    const outcome = await clickUpload('post');

    expect(outcome).toMatchObject({ state: 'error', code: 'EntityTooLarge' });
    expect(outcome.status).toContain('EntityTooLarge');
    expect(local.getObject(LOCAL_BUCKET, 'uploads/huge.png')).toBeUndefined();
  });
});

describe('fetch PUT to a presignUrl URL', () => {
  it('uploads with the returned headers', async () => {
    const sha256 = await chooseGeneratedFile('presign', {
      name: 'notes.txt',
      type: 'text/plain',
      size: 200_000,
    });

    const outcome = await clickUpload('presign');

    expect(outcome).toMatchObject({ state: 'done', key: 'uploads/notes.txt', progress: 1 });
    expect(storedSha256('uploads/notes.txt')).toBe(sha256);
    expect(await listedRow('uploads/notes.txt')).toContain('text/plain');
  });

  it("shows OSS's refusal of an expired URL", async () => {
    await chooseGeneratedFile('presign', { name: 'late.txt', type: 'text/plain', size: 1000 });
    // The URL is valid for 10 minutes; the endpoint's clock says 11 minutes have passed.
    endpointClockOffsetMs = 11 * 60 * 1000;
    const outcome = await clickUpload('presign').finally(() => {
      endpointClockOffsetMs = 0;
    });

    expect(outcome).toMatchObject({ state: 'error', code: 'AccessDenied' });
    expect(outcome.status).toMatch(/AccessDenied: .*expired/);
    expect(local.getObject(LOCAL_BUCKET, 'uploads/late.txt')).toBeUndefined();
  });
});
