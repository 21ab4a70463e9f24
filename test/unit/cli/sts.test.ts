/**
 * `sts` against the STS endpoint of a `local` started by the CLI: the credentials it prints are used
 * with ali-oss, and their session policy (from --prefix or --policy) is what the endpoint enforces.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type Built,
  buildCli,
  keysOf,
  type RunningLocal,
  type RunOptions,
  runCli,
  startLocal,
  stopAllLocal,
} from '../../support/cli.js';
import { aliOss, rejection } from '../../support/clients.js';

const ROLE_ARN = 'acs:ram::1234567890123456:role/uploader';

interface Printed {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  expiration: string;
}

let built: Built;
let local: RunningLocal;
let keys: Record<string, string>;

beforeAll(async () => {
  built = await buildCli();
  local = await startLocal(built, ['--role-arn', ROLE_ARN]);
  keys = keysOf(local.details);
}, 60_000);

afterAll(async () => {
  await stopAllLocal();
  await built.remove();
});

const sts = (args: string[], options: RunOptions = { env: keys }) =>
  runCli(built, ['sts', '--endpoint', local.details.url, ...args], options);

function printed(result: { status: number | null; stdout: string; stderr: string }): Printed {
  expect(result.status, result.stderr).toBe(0);
  expect(result.stderr).toBe('');
  const credentials = JSON.parse(result.stdout) as Printed;
  expect(Object.keys(credentials)).toEqual(['accessKeyId', 'accessKeySecret', 'securityToken', 'expiration']);
  expect(credentials.accessKeyId).toMatch(/^STS\./);
  return credentials;
}

const client = (credentials: Printed) => aliOss(credentials, { endpoint: local.details.url });

it('prints temporary credentials confined to --bucket/--prefix for --duration', async () => {
  const credentials = printed(
    await sts([
      '--role-arn',
      ROLE_ARN,
      '--bucket',
      'local-bucket',
      '--prefix',
      'user-42/',
      '--duration',
      '15m',
      '--session-name',
      'cli-test',
    ]),
  );
  const lifetime = Date.parse(credentials.expiration) - Date.now();
  expect(lifetime).toBeGreaterThan(14 * 60_000);
  expect(lifetime).toBeLessThanOrEqual(15 * 60_000);

  const oss = client(credentials);
  expect((await oss.put('user-42/a.txt', Buffer.from('mine'))).res.status).toBe(200);
  expect((await rejection(oss.put('user-43/a.txt', Buffer.from('not mine')))).code).toBe('AccessDenied');
  // The default upload actions do not include reading.
  expect((await rejection(oss.get('user-42/a.txt'))).code).toBe('AccessDenied');
  // Never the long-term secret.
  expect(JSON.stringify(credentials)).not.toContain(keys.ALIBABA_CLOUD_ACCESS_KEY_SECRET);
});

it('--action replaces the upload actions; ALIBABA_CLOUD_ROLE_ARN stands for --role-arn', async () => {
  const credentials = printed(
    await sts(['--bucket', 'local-bucket', '--prefix', 'shared/', '--action', 'oss:GetObject'], {
      env: { ...keys, ALIBABA_CLOUD_ROLE_ARN: ROLE_ARN },
    }),
  );
  const oss = client(credentials);
  expect((await rejection(oss.put('shared/a.txt', Buffer.from('x')))).code).toBe('AccessDenied');
  expect((await rejection(oss.get('shared/missing.txt'))).code).toBe('NoSuchKey');
});

it('--policy reads a session policy from a file, or from stdin with -', async () => {
  const policy = JSON.stringify({
    Version: '1',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['oss:PutObject', 'oss:GetObject'],
        Resource: ['acs:oss:*:*:local-bucket/docs/*'],
      },
    ],
  });
  await mkdir(join(built.home, 'policies'), { recursive: true });
  const file = join(built.home, 'policies', 'docs.json');
  await writeFile(file, policy);
  for (const result of [
    await sts(['--role-arn', ROLE_ARN, '--policy', file]),
    await sts(['--role-arn', ROLE_ARN, '--policy', '-'], { env: keys, input: policy }),
  ]) {
    const oss = client(printed(result));
    expect((await oss.put('docs/readme.txt', Buffer.from('doc'))).res.status).toBe(200);
    expect((await oss.get('docs/readme.txt')).content.toString()).toBe('doc');
    expect((await rejection(oss.put('other/readme.txt', Buffer.from('x')))).code).toBe('AccessDenied');
  }
});

it('without keys in the environment, asks the default chain of @alicloud/credentials (here a profile)', async () => {
  await mkdir(join(built.home, '.alibabacloud'), { recursive: true });
  const profile = join(built.home, '.alibabacloud', 'credentials');
  await writeFile(
    profile,
    `[default]\ntype = access_key\naccess_key_id = ${keys.ALIBABA_CLOUD_ACCESS_KEY_ID}\naccess_key_secret = ${keys.ALIBABA_CLOUD_ACCESS_KEY_SECRET}\n`,
  );
  try {
    const credentials = printed(await sts(['--role-arn', ROLE_ARN], { env: {} }));
    expect((await client(credentials).put('anything.txt', Buffer.from('x'))).res.status).toBe(200);
  } finally {
    await rm(profile);
  }
});

it('refuses: STS errors and library rules exit 1 with CODE: message, never showing a secret', async () => {
  const results = await Promise.all([
    sts(['--role-arn', 'acs:ram::1234567890123456:role/someone-else']),
    sts(['--role-arn', ROLE_ARN], { env: { ...keys, ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'not-the-secret' } }),
    sts(['--role-arn', ROLE_ARN, '--duration', '60']),
    sts(['--role-arn', ROLE_ARN, '--bucket', 'local-bucket', '--prefix', 'a*']),
    sts(['--role-arn', ROLE_ARN, '--policy', '-'], { env: keys, input: '{"Version":"1","Statement":' }),
    sts(['--role-arn', 'not-an-arn']),
    sts(['--role-arn', ROLE_ARN], { env: {} }),
  ]);
  expect(results.map((result) => [result.status, result.stderr.split(':')[0]])).toEqual([
    [1, 'STS_FAILED'],
    [1, 'STS_FAILED'],
    [1, 'INVALID_ARGUMENT'],
    [1, 'INVALID_KEY'],
    [1, 'INVALID_POLICY'],
    [1, 'INVALID_ARGUMENT'],
    [1, 'MISSING_CREDENTIALS'],
  ]);
  for (const result of results) {
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^[A-Z_]+: [^\n]+\n$/);
    expect(result.stderr).not.toContain(keys.ALIBABA_CLOUD_ACCESS_KEY_SECRET);
    expect(result.stderr).not.toContain('not-the-secret');
  }
});

it('a bad command line exits 2 naming the option', async () => {
  const results = await Promise.all([
    sts([], { env: keys }),
    sts(['--role-arn', ROLE_ARN, '--prefix', 'a/']),
    sts(['--role-arn', ROLE_ARN, '--bucket', 'local-bucket']),
    sts(['--role-arn', ROLE_ARN, '--policy', join(built.home, 'missing.json')]),
    sts(['--role-arn', ROLE_ARN, '--policy', '-', '--prefix', 'a/', '--bucket', 'b']),
    sts(['--role-arn', ROLE_ARN, '--duration', 'an hour']),
  ]);
  const named = ['--role-arn', '--bucket', '--prefix', '--policy', '--policy', '--duration'];
  results.forEach((result, index) => {
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^oss-direct-upload sts: [^\n]+\n$/);
    expect(result.stderr).toContain(named[index]);
  });
});
