/**
 * The README's quick start, run as written: its code blocks (the ones whose first line names a file:
 * `// server.mjs`, `<!-- public/post.html -->`) are written out as an app, which runs on plain Node with
 * Express against the package as built, and its pages upload from Chromium to the local endpoint, with the
 * environment variables the README names. An STS outage must answer 503 and leave the process serving.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalOss, type LocalOss } from '../../src/testing/index.js';
import { launchChromium } from '../browser/chromium.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const BUCKET = 'my-bucket';
const ROLE_ARN = 'acs:ram::1234567890123456:role/uploader';
/** The ali-oss browser build the STS page loads from Alibaba's CDN, served from the devDependency instead. */
const ALI_OSS_CDN = /^https:\/\/gosspublic\.alicdn\.com\/aliyun-oss-sdk-[\d.]+\.min\.js$/;
const ALI_OSS_BUILD = join(root, 'node_modules/ali-oss/dist/aliyun-oss-sdk.min.js');

/** The README's file blocks, by file name, each file the blocks naming it joined in order. */
function quickStartFiles(readme: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const [, body = ''] of readme.matchAll(/^```(?:js|html)\n([\s\S]*?)^```$/gm)) {
    const name = /^(?:\/\/ (\S+\.mjs)\b|<!-- (public\/\S+\.html) -->)/.exec(body);
    const file = name?.[1] ?? name?.[2];
    if (file) files.set(file, `${files.get(file) ?? ''}${body}\n`);
  }
  return files;
}

let work: string;
let oss: LocalOss;
let browser: Browser;
let page: Page;
let app: App;

interface App {
  url: string;
  process: ChildProcess;
  output: () => string;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `node server.mjs` in the app folder, with only the variables the README names; resolves once it serves. */
async function startApp(port: number, env: Record<string, string>): Promise<App> {
  const child = spawn(process.execPath, ['server.mjs'], {
    cwd: join(work, 'app'),
    env: { PATH: process.env.PATH ?? '', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const url = `http://localhost:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`server.mjs exited (${child.exitCode}):\n${output}`);
    const response = await fetch(`${url}/presign.html`).catch(() => undefined);
    if (response?.ok) return { url, process: child, output: () => output };
    if (attempt > 100) throw new Error(`server.mjs did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function stopApp(started: App | undefined): Promise<void> {
  if (!started || started.process.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    started.process.once('exit', () => resolve());
    started.process.kill();
  });
}

beforeAll(async () => {
  const files = quickStartFiles(await readFile(join(root, 'README.md'), 'utf8'));
  expect([...files.keys()].sort()).toEqual([
    'public/post.html',
    'public/presign.html',
    'public/sts.html',
    'server.mjs',
  ]);
  await mkdir(join(root, 'node_modules/.cache'), { recursive: true });
  work = await mkdtemp(join(root, 'node_modules/.cache/readme-'));
  // The package as installed: its package.json and its build, found by name from the app folder next to it.
  const installed = join(work, 'node_modules/oss-direct-upload');
  await mkdir(installed, { recursive: true });
  await copyFile(join(root, 'package.json'), join(installed, 'package.json'));
  // The config file's own settings, the output moved (tsup reads it relative to the project).
  await build({ config: 'tsup.config.ts', outDir: join(installed, 'dist'), dts: false, silent: true });
  for (const [name, text] of files) {
    await mkdir(dirname(join(work, 'app', name)), { recursive: true });
    await writeFile(join(work, 'app', name), text);
  }

  const port = await freePort();
  oss = await createLocalOss({
    buckets: [BUCKET],
    roleArn: ROLE_ARN,
    corsOrigins: [`http://localhost:${port}`],
  });
  app = await startApp(port, {
    OSS_BUCKET: BUCKET,
    OSS_REGION: oss.region,
    OSS_ENDPOINT: oss.url,
    STS_ENDPOINT: oss.stsEndpoint ?? '',
    ALIBABA_CLOUD_ACCESS_KEY_ID: oss.credentials.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: oss.credentials.accessKeySecret,
    ALIBABA_CLOUD_ROLE_ARN: ROLE_ARN,
  });

  browser = await launchChromium();
  page = await browser.newPage();
  // Nothing leaves the machine: the CDN script comes from node_modules, anything else off 127.0.0.1 fails.
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (ALI_OSS_CDN.test(url)) return route.fulfill({ path: ALI_OSS_BUILD, contentType: 'text/javascript' });
    const { hostname } = new URL(url);
    return hostname === 'localhost' || hostname === '127.0.0.1' ? route.continue() : route.abort();
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stopApp(app);
  await oss?.close();
  if (work) await rm(work, { recursive: true, force: true });
}, 30_000);

/** Opens the page, picks a random file of that name, type and size, clicks Upload; the page's output. */
async function upload(pageName: string, file: { name: string; type: string; size: number }) {
  await page.goto(`${app.url}/${pageName}`);
  const sha256 = await page.evaluate(async ({ name, type, size }) => {
    const bytes = new Uint8Array(size);
    for (let offset = 0; offset < size; offset += 65_536) {
      crypto.getRandomValues(bytes.subarray(offset, offset + 65_536));
    }
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name, { type }));
    const input = document.querySelector<HTMLInputElement>('#file');
    if (!input) throw new Error('no #file input');
    input.files = transfer.files;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
  }, file);
  await page.click('#upload');
  await page.waitForFunction(() => {
    const text = document.querySelector('#out')?.textContent ?? '';
    return text !== '' && !text.endsWith(' %');
  });
  return { sha256, out: (await page.textContent('#out')) ?? '' };
}

function storedSha256(key: string): string | undefined {
  const object = oss.getObject(BUCKET, key);
  return object && createHash('sha256').update(object.body).digest('hex');
}

it('the README stays a front door: at most 12 kB, with every link absolute (it is read on npm too)', async () => {
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(12_000);
  const targets = [...readme.matchAll(/\]\(([^)]+)\)|^\[[\w-]+\]: (\S+)$/gm)].map(([, a, b]) => a ?? b);
  expect(targets.length).toBeGreaterThan(10);
  for (const target of targets) expect(target).toMatch(/^https:\/\//);
});

describe('the README quick start, as written', () => {
  it('1. presigned URL: the page PUTs the file with the signed Content-Type', async () => {
    const { sha256, out } = await upload('presign.html', {
      name: 'notes.txt',
      type: 'text/plain',
      size: 20_000,
    });
    expect(out, app.output()).toBe('Stored uploads/user-42/notes.txt');
    expect(storedSha256('uploads/user-42/notes.txt')).toBe(sha256);
    expect(oss.getObject(BUCKET, 'uploads/user-42/notes.txt')?.headers['content-type']).toBe('text/plain');
  });

  it('2. POST policy: the page posts the form, OSS answers 201 with the key', async () => {
    const { sha256, out } = await upload('post.html', { name: 'cat.png', type: 'image/png', size: 30_000 });
    expect(out, app.output()).toContain('<Key>uploads/user-42/cat.png</Key>');
    expect(storedSha256('uploads/user-42/cat.png')).toBe(sha256);
  });

  it("2. POST policy: a file the policy refuses shows OSS's error, nothing stored", async () => {
    const { out } = await upload('post.html', { name: 'page.html', type: 'text/html', size: 1000 });
    expect(out).toContain('AccessDenied');
    expect(oss.getObject(BUCKET, 'uploads/user-42/page.html')).toBeUndefined();
  });

  it('3. STS credentials: ali-oss uploads in parts under the user prefix', async () => {
    const size = 2 * 1024 * 1024 + 4321;
    const { sha256, out } = await upload('sts.html', { name: 'video.bin', type: 'video/mp4', size });
    expect(out, app.output()).toBe('Stored uploads/user-42/video.bin');
    expect(storedSha256('uploads/user-42/video.bin')).toBe(sha256);
  });

  it('3. STS credentials: an STS outage answers 503 and the server keeps serving', async () => {
    const port = await freePort();
    const closed = await freePort(); // nothing listens there: every AssumeRole is refused
    const broken = await startApp(port, {
      OSS_BUCKET: BUCKET,
      OSS_REGION: oss.region,
      OSS_ENDPOINT: oss.url,
      STS_ENDPOINT: `http://127.0.0.1:${closed}`,
      ALIBABA_CLOUD_ACCESS_KEY_ID: oss.credentials.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: oss.credentials.accessKeySecret,
      ALIBABA_CLOUD_ROLE_ARN: ROLE_ARN,
    });
    try {
      for (let call = 0; call < 2; call++) {
        const response = await fetch(`${broken.url}/api/sts-credentials`);
        expect([response.status, await response.json()]).toEqual([503, { error: 'STS_FAILED' }]);
      }
      expect((await fetch(`${broken.url}/presign.html`)).status).toBe(200);
      expect(broken.process.exitCode).toBeNull();
      expect(broken.output()).not.toContain(oss.credentials.accessKeySecret);
    } finally {
      await stopApp(broken);
    }
  });
});
