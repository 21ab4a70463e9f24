// The examples, run where they are meant to run: the Cloudflare Worker in workerd (bundled as wrangler
// does, no compatibility flag), the Next.js edge route handler in the edge runtime VM (bundled as Next.js
// does). Each hands out a presigned URL and a POST policy, and the local OSS endpoint accepts the uploads.
import { fileURLToPath } from 'node:url';
import { EdgeVM } from '@edge-runtime/vm';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalOss, type LocalOss } from '../../src/testing/index.js';
import {
  type BuiltPackage,
  buildPackage,
  bundle,
  NEXT_EDGE_CONDITIONS,
  WRANGLER_CONDITIONS,
} from './package.js';

const WORKER = fileURLToPath(new URL('../../examples/cloudflare-worker/src/index.ts', import.meta.url));
const ROUTE = fileURLToPath(new URL('../../examples/nextjs-edge/app/api/upload/route.ts', import.meta.url));
const BUCKET = 'examplebucket';

let pkg: BuiltPackage;
let local: LocalOss;
let env: Record<string, string>;

beforeAll(async () => {
  [pkg, local] = await Promise.all([buildPackage(), createLocalOss({ buckets: [BUCKET] })]);
  env = {
    OSS_ACCESS_KEY_ID: local.credentials.accessKeyId,
    OSS_ACCESS_KEY_SECRET: local.credentials.accessKeySecret,
    OSS_BUCKET: BUCKET,
    OSS_REGION: local.region,
    OSS_ENDPOINT: local.url,
    OSS_PATH_STYLE: 'true',
  };
}, 120_000);

afterAll(async () => {
  await local?.close();
  await pkg?.remove();
});

/** What the examples answer: a presigned PUT, or a form to POST. */
interface PresignAnswer {
  key: string;
  url: string;
  method: string;
  headers: Record<string, string>;
}
interface PolicyAnswer {
  key: string;
  url: string;
  fields: Record<string, string>;
}

/** Uploads through a presigned PUT and a POST form as a browser would, and checks what was stored. */
async function expectUploads(presign: PresignAnswer, policy: PolicyAnswer): Promise<void> {
  expect(presign.key).toMatch(/^uploads\/[0-9a-f-]{36}\/photo é\.png$/);
  const put = await fetch(presign.url, {
    method: presign.method,
    headers: presign.headers,
    body: 'put bytes',
  });
  expect(put.status, await put.text()).toBe(200);
  expect(new TextDecoder().decode(local.getObject(BUCKET, presign.key)?.body)).toBe('put bytes');

  const form = new FormData();
  for (const [name, value] of Object.entries(policy.fields)) form.append(name, value);
  form.append('file', new Blob(['form bytes']), 'photo.png');
  const post = await fetch(policy.url, { method: 'POST', body: form });
  expect(post.status, await post.text()).toBe(204);
  expect(new TextDecoder().decode(local.getObject(BUCKET, policy.key)?.body)).toBe('form bytes');
}

describe('examples/cloudflare-worker in workerd', () => {
  let miniflare: Miniflare | undefined;
  afterAll(async () => {
    await miniflare?.dispose();
  });

  it('presigns a PUT and a POST form that the local OSS endpoint accepts; a bad name is a 400', async () => {
    const { code, packageFiles } = await bundle(pkg, {
      entry: WORKER,
      platform: 'browser',
      conditions: WRANGLER_CONDITIONS,
      format: 'esm',
    });
    expect(packageFiles).toEqual(['dist/web/index.js']);
    miniflare = new Miniflare({
      modules: true,
      script: code,
      compatibilityDate: '2025-09-01',
      bindings: env,
    });
    const call = async (path: string, init?: RequestInit) => {
      const response = await miniflare?.dispatchFetch(`http://worker${path}`, init as never);
      return { status: response?.status, body: (await response?.json()) as never };
    };

    const presign = await call(`/presign?name=${encodeURIComponent('photo é.png')}&type=image/png`);
    const policy = await call('/post-policy', {
      method: 'POST',
      body: JSON.stringify({ name: 'photo é.png' }),
    });
    expect([presign.status, policy.status]).toEqual([200, 200]);
    await expectUploads(presign.body, policy.body);

    expect(await call('/presign?name=../secrets')).toMatchObject({
      status: 400,
      body: { error: 'INVALID_NAME' },
    });
    // What the library refuses is a 400 with its code (a wildcard is no Content-Type a client sends).
    expect(await call('/presign?name=a.png&type=image/*')).toMatchObject({
      status: 400,
      body: { error: 'INVALID_HEADER' },
    });
  });
});

describe('examples/nextjs-edge in the edge runtime VM', () => {
  it('exports runtime = "edge", and its GET and POST hand out uploads the local OSS endpoint accepts', async () => {
    const { code, packageFiles } = await bundle(pkg, {
      entry: ROUTE,
      platform: 'browser',
      conditions: NEXT_EDGE_CONDITIONS,
      format: 'iife',
      globalName: 'route',
    });
    expect(packageFiles).toEqual(['dist/web/index.js']);
    // Next.js gives edge code `process.env`, and nothing else of `process`.
    const vm = new EdgeVM({
      extend: (context) => Object.assign(context, { process: { env: { ...env } } }),
    });
    vm.evaluate(code);
    expect(vm.evaluate('route.runtime')).toBe('edge');
    const call = async (script: string) => {
      const response = await vm.evaluate<Promise<Response>>(script);
      return { status: response.status, body: (await response.json()) as never };
    };

    const name = JSON.stringify(encodeURIComponent('photo é.png'));
    const presign = await call(
      `route.GET(new Request('https://app.example/api/upload?type=image/png&name=' + ${name}))`,
    );
    const policy = await call(
      `route.POST(new Request('https://app.example/api/upload', { method: 'POST', body: JSON.stringify({ name: 'photo é.png' }) }))`,
    );
    expect([presign.status, policy.status]).toEqual([200, 200]);
    await expectUploads(presign.body, policy.body);

    expect(await call(`route.GET(new Request('https://app.example/api/upload?name=..'))`)).toMatchObject({
      status: 400,
      body: { error: 'INVALID_NAME' },
    });
  });
});
