/**
 * `post-policy` output used as printed: its fields, in order and the file last, in a real
 * multipart/form-data POST (built by fetch's FormData) to a `local` endpoint the CLI itself started.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Built,
  buildCli,
  keysOf,
  type RunningLocal,
  runCli,
  startLocal,
  stopAllLocal,
} from '../../support/cli.js';
import { aliOss } from '../../support/clients.js';

interface PrintedPolicy {
  url: string;
  fields: Record<string, string>;
  expiresAt: string;
  policy: { expiration: string; conditions: unknown[] };
}

let built: Built;
let local: RunningLocal;
let keys: Record<string, string>;

beforeAll(async () => {
  built = await buildCli();
  local = await startLocal(built);
  keys = keysOf(local.details);
}, 60_000);

afterAll(async () => {
  await stopAllLocal();
  await built.remove();
});

const postPolicy = (args: string[], env = keys) =>
  runCli(
    built,
    [
      'post-policy',
      'local-bucket',
      '--endpoint',
      local.details.url,
      '--region',
      local.details.region,
      ...args,
    ],
    { env },
  );

async function policyFor(args: string[]): Promise<PrintedPolicy> {
  const result = await postPolicy(args);
  expect(result.status, result.stderr).toBe(0);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as PrintedPolicy;
}

/** The browser's upload: every field in order, then the file. */
async function post(
  printed: PrintedPolicy,
  file: { name: string; type: string; body: string },
  extra: Record<string, string> = {},
) {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...printed.fields, ...extra })) form.append(name, value);
  form.append('file', new Blob([file.body], { type: file.type }), file.name);
  const response = await fetch(printed.url, { method: 'POST', body: form });
  const text = await response.text();
  return { status: response.status, code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1] };
}

/** The object as ali-oss reads it back, or undefined when nothing is stored under the key. */
async function stored(key: string): Promise<{ body: string; headers: Record<string, string> } | undefined> {
  const client = aliOss(
    {
      accessKeyId: keys.ALIBABA_CLOUD_ACCESS_KEY_ID as string,
      accessKeySecret: keys.ALIBABA_CLOUD_ACCESS_KEY_SECRET as string,
    },
    { endpoint: local.details.url },
  );
  try {
    const { content, res } = await client.get(key);
    return {
      body: content.toString('utf8'),
      headers: (res as unknown as { headers: Record<string, string> }).headers,
    };
  } catch (error) {
    if ((error as { code?: string }).code === 'NoSuchKey') return undefined;
    throw error;
  }
}

describe.each(['v4', 'v1'])('post-policy with %s', (version) => {
  it('prints url and fields that upload under the prefix, within the size and type it allows', async () => {
    const prefix = `forms/${version}/`;
    const printed = await policyFor([
      '--key-prefix',
      prefix,
      '--max-size',
      '1K',
      '--content-type-prefix',
      'image/',
      '--success-action-status',
      '201',
      '--expires-in',
      '10m',
      '--signature-version',
      version,
    ]);
    expect(Object.keys(printed)).toEqual(['url', 'fields', 'expiresAt', 'policy']);
    expect(printed.url).toBe(`${local.details.url}/local-bucket/`);
    expect(printed.fields.key).toBe(`${prefix}\${filename}`);
    expect(printed.fields.success_action_status).toBe('201');
    expect(printed.policy.conditions).toContainEqual(['content-length-range', 0, 1024]);
    expect(printed.policy.conditions).toContainEqual(['starts-with', '$content-type', 'image/']);
    expect(Date.parse(printed.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(Date.parse(printed.expiresAt) - Date.now()).toBeLessThanOrEqual(10 * 60_000);

    const image = { name: 'cat.png', type: 'image/png', body: 'not really a png' };
    expect(await post(printed, image)).toEqual({ status: 201, code: undefined });
    expect((await stored(`${prefix}cat.png`))?.body).toBe(image.body);

    // Refused with nothing stored: too large, the wrong type, a key outside the prefix.
    const big = { name: 'big.png', type: 'image/png', body: 'x'.repeat(1025) };
    expect(await post(printed, big)).toEqual({ status: 400, code: 'EntityTooLarge' });
    const text = { name: 'notes.txt', type: 'text/plain', body: 'text' };
    expect((await post(printed, text)).status).toBe(403);
    expect((await post(printed, image, { key: 'elsewhere/cat.png' })).status).toBe(403);
    for (const key of [`${prefix}big.png`, `${prefix}notes.txt`, 'elsewhere/cat.png']) {
      expect(await stored(key)).toBeUndefined();
    }
  });
});

it('an exact key, a list of types and metadata pinned by the policy', async () => {
  const printed = await policyFor([
    '--key',
    'forms/exact.csv',
    '--min-size',
    '2',
    '--max-size',
    '100',
    '--content-type',
    'text/csv',
    '--content-type',
    'application/json',
    '--meta',
    'owner=cli',
  ]);
  expect(printed.fields).toMatchObject({ key: 'forms/exact.csv', 'x-oss-meta-owner': 'cli' });
  expect(printed.policy.conditions).toContainEqual(['in', '$content-type', ['text/csv', 'application/json']]);
  expect(printed.policy.conditions).toContainEqual(['content-length-range', 2, 100]);

  const csv = { name: 'ignored.csv', type: 'text/csv', body: 'a,b\n1,2\n' };
  expect((await post(printed, csv, { 'x-oss-meta-owner': 'someone else' })).status).toBe(403);
  expect((await post(printed, { ...csv, body: 'a' })).code).toBe('EntityTooSmall');
  expect(await post(printed, csv)).toEqual({ status: 204, code: undefined });
  const object = await stored('forms/exact.csv');
  expect(object?.body).toBe(csv.body);
  expect(object?.headers['x-oss-meta-owner']).toBe('cli');
});

it('refuses a policy that limits neither key nor size unless told, and bad values', async () => {
  const unsafe = await postPolicy([]);
  expect(unsafe.status).toBe(1);
  expect(unsafe.stdout).toBe('');
  expect(unsafe.stderr).toMatch(/^UNSAFE_POLICY: [^\n]*\n$/);
  const allowed = await postPolicy(['--allow-any-key', '--allow-any-size']);
  expect(allowed.status, allowed.stderr).toBe(0);
  expect(JSON.parse(allowed.stdout).policy.conditions).not.toContainEqual(
    expect.arrayContaining(['content-length-range']),
  );

  const usage = await Promise.all([
    postPolicy(['--key-prefix', 'a/', '--min-size', '1']),
    postPolicy(['--key-prefix', 'a/', '--max-size', '10 MB']),
    postPolicy([
      '--key-prefix',
      'a/',
      '--max-size',
      '1M',
      '--content-type',
      'a/b',
      '--content-type-prefix',
      'a/',
    ]),
    postPolicy(['--key-prefix', 'a/', '--max-size', '1M', '--success-action-status', '302']),
    postPolicy(['--key-prefix', 'a/', '--max-size', '1M', '--meta', 'no-equals-sign']),
  ]);
  const flags = ['--min-size', '--max-size', '--content-type-prefix', '--success-action-status', '--meta'];
  usage.forEach((result, index) => {
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^oss-direct-upload post-policy: [^\n]+\n$/);
    expect(result.stderr).toContain(flags[index]);
  });

  const overLimit = await postPolicy(['--key-prefix', 'a/', '--max-size', '6G']);
  expect([overLimit.status, overLimit.stderr.split(':')[0]]).toEqual([1, 'INVALID_POLICY']);
  const both = await postPolicy(['--key', 'a', '--key-prefix', 'a/', '--max-size', '1M']);
  expect([both.status, both.stderr.split(':')[0]]).toEqual([1, 'INVALID_ARGUMENT']);
  for (const result of [unsafe, allowed, ...usage, overLimit, both]) {
    expect(`${result.stdout}${result.stderr}`).not.toContain(keys.ALIBABA_CLOUD_ACCESS_KEY_SECRET);
  }
});
