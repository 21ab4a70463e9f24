/**
 * `presign` URLs used for real requests against a `local` endpoint that the CLI itself started; what was
 * stored is read back with ali-oss, a client this project did not write.
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
import { aliOss, send } from '../../support/clients.js';

let built: Built;
let local: RunningLocal;
let keys: Record<string, string>;
let endpoint: string;

beforeAll(async () => {
  built = await buildCli();
  local = await startLocal(built, ['--role-arn', 'acs:ram::1234567890123456:role/uploader']);
  keys = keysOf(local.details);
  endpoint = local.details.url;
}, 60_000);

afterAll(async () => {
  await stopAllLocal();
  await built.remove();
});

const presign = (args: string[], env = keys) =>
  runCli(built, ['presign', ...args, '--endpoint', endpoint, '--region', local.details.region], { env });

/** ali-oss, with the endpoint's long-term keys, reads back what a presigned request stored. */
const readBack = async (key: string) => {
  const client = aliOss(
    {
      accessKeyId: keys.ALIBABA_CLOUD_ACCESS_KEY_ID as string,
      accessKeySecret: keys.ALIBABA_CLOUD_ACCESS_KEY_SECRET as string,
    },
    { endpoint, authorizationV4: true },
  );
  const { content, res } = await client.get(key);
  return {
    body: content.toString('utf8'),
    headers: (res as unknown as { headers: Record<string, string> }).headers,
  };
};

describe.each(['v4', 'v1'])('presign with %s', (version) => {
  it('prints a PUT URL that uploads with the Content-Type it names, and a GET URL that reads it', async () => {
    const key = `presign/${version}/hello wörld+1.txt`;
    const put = await presign([
      'PUT',
      `local-bucket/${key}`,
      '--content-type',
      'text/plain; charset=utf-8',
      '--signature-version',
      version,
      '--expires-in',
      '15m',
    ]);
    expect(put.status, put.stderr).toBe(0);
    const url = put.stdout.trim();
    expect(put.stdout).toBe(`${url}\n`);
    // The header the request must send is named on stderr, not mixed into the URL on stdout.
    expect(put.stderr).toContain('Content-Type: text/plain; charset=utf-8');

    const body = `uploaded with a ${version} URL`;
    const refused = await send(url, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body });
    expect([refused.status, refused.code]).toEqual([403, 'SignatureDoesNotMatch']);
    const uploaded = await send(url, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      body,
    });
    expect(uploaded.status).toBe(200);
    const stored = await readBack(key);
    expect(stored.body).toBe(body);
    expect(stored.headers['content-type']).toBe('text/plain; charset=utf-8');

    const get = await presign(['get', `oss://local-bucket/${key}`, '--signature-version', version]);
    expect(get.status, get.stderr).toBe(0);
    expect(get.stderr).toBe('');
    const read = await send(get.stdout.trim());
    expect([read.status, read.body.toString('utf8')]).toEqual([200, body]);
  });
});

it('--json prints { url, method, headers, expiresAt }, and the headers are the ones the request needs', async () => {
  const before = Date.now();
  const result = await presign([
    'PUT',
    'local-bucket/presign/json.txt',
    '--json',
    '--expires-in',
    '600',
    '--content-type',
    'text/csv',
    '--header',
    'x-oss-meta-owner: cli test',
  ]);
  expect(result.status, result.stderr).toBe(0);
  const printed = JSON.parse(result.stdout) as {
    url: string;
    method: string;
    headers: Record<string, string>;
    expiresAt: string;
  };
  expect(Object.keys(printed)).toEqual(['url', 'method', 'headers', 'expiresAt']);
  expect(printed.method).toBe('PUT');
  expect(printed.headers).toEqual({ 'Content-Type': 'text/csv', 'x-oss-meta-owner': 'cli test' });
  // Signed at whole seconds, 600 s from the signing time.
  const expiresAt = Date.parse(printed.expiresAt);
  expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 600_000);
  expect(expiresAt).toBeLessThanOrEqual(Date.now() + 600_000);

  // The x-oss-meta header is signed: leaving it out is refused; sending what the JSON says stores it.
  const without = await send(printed.url, {
    method: 'PUT',
    headers: { 'Content-Type': 'text/csv' },
    body: 'a,b',
  });
  expect([without.status, without.code]).toEqual([403, 'SignatureDoesNotMatch']);
  const uploaded = await send(printed.url, { method: printed.method, headers: printed.headers, body: 'a,b' });
  expect(uploaded.status).toBe(200);
  expect((await readBack('presign/json.txt')).headers['x-oss-meta-owner']).toBe('cli test');
});

it('--query parameters are signed: a URL whose parameter was changed is refused', async () => {
  await send((await presign(['PUT', 'local-bucket/presign/q.txt'])).stdout.trim(), {
    method: 'PUT',
    body: 'q',
  });
  const result = await presign([
    'GET',
    'local-bucket/presign/q.txt',
    '--query',
    'response-content-disposition=attachment',
    '--query',
    'x-oss-ac-flag',
  ]);
  expect(result.status, result.stderr).toBe(0);
  const url = result.stdout.trim();
  expect(url).toContain('response-content-disposition=attachment');
  expect((await send(url)).status).toBe(200);
  const tampered = await send(
    url.replace('response-content-disposition=attachment', 'response-content-disposition=inline'),
  );
  expect([tampered.status, tampered.code]).toEqual([403, 'SignatureDoesNotMatch']);
});

it('signs with STS credentials from ALIBABA_CLOUD_SECURITY_TOKEN, confined by their session policy', async () => {
  const sts = await runCli(
    built,
    [
      'sts',
      '--role-arn',
      'acs:ram::1234567890123456:role/uploader',
      '--endpoint',
      endpoint,
      '--bucket',
      'local-bucket',
      '--prefix',
      'tenant-1/',
      '--duration',
      '15m',
    ],
    { env: keys },
  );
  expect(sts.status, sts.stderr).toBe(0);
  const temporary = JSON.parse(sts.stdout) as {
    accessKeyId: string;
    accessKeySecret: string;
    securityToken: string;
  };
  const env = {
    ALIBABA_CLOUD_ACCESS_KEY_ID: temporary.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: temporary.accessKeySecret,
    ALIBABA_CLOUD_SECURITY_TOKEN: temporary.securityToken,
  };
  const inside = await presign(['PUT', 'local-bucket/tenant-1/a.txt'], env);
  expect(inside.status, inside.stderr).toBe(0);
  expect((await send(inside.stdout.trim(), { method: 'PUT', body: 'mine' })).status).toBe(200);
  expect((await readBack('tenant-1/a.txt')).body).toBe('mine');

  const outside = await presign(['PUT', 'local-bucket/tenant-2/a.txt'], env);
  expect(outside.status, outside.stderr).toBe(0);
  const refused = await send(outside.stdout.trim(), { method: 'PUT', body: 'not mine' });
  expect([refused.status, refused.code]).toEqual([403, 'AccessDenied']);
});

it('never prints the secret, whatever it signs or refuses', async () => {
  const secret = keys.ALIBABA_CLOUD_ACCESS_KEY_SECRET as string;
  const runs = await Promise.all([
    presign(['PUT', 'local-bucket/s.txt', '--content-type', 'text/plain']),
    presign(['GET', 'local-bucket/s.txt', '--json', '--signature-version', 'v1']),
    presign(['GET', 'local-bucket/s.txt', '--expires-in', '8d']),
    presign(['GET', 'local-bucket/s.txt', '--header', 'Bad Name: x']),
  ]);
  expect(runs.map((run) => run.status)).toEqual([0, 0, 1, 1]);
  for (const run of runs) expect(`${run.stdout}${run.stderr}`).not.toContain(secret);
});

it('refuses: library rules exit 1 with CODE: message, the environment checked after the command line', async () => {
  const tooLong = await presign(['GET', 'local-bucket/a.txt', '--expires-in', '8d']);
  expect(tooLong.status).toBe(1);
  expect(tooLong.stdout).toBe('');
  expect(tooLong.stderr).toMatch(/^INVALID_EXPIRES: [^\n]*expiresIn[^\n]*\n$/);

  const badKey = await presign(['GET', 'local-bucket//etc/passwd']);
  expect([badKey.status, badKey.stderr.split(':')[0]]).toEqual([1, 'INVALID_KEY']);
  const badBucket = await presign(['GET', 'Local_Bucket/a.txt']);
  expect([badBucket.status, badBucket.stderr.split(':')[0]]).toEqual([1, 'INVALID_BUCKET']);

  const noKeys = await presign(['GET', 'local-bucket/a.txt'], {});
  expect(noKeys.status).toBe(1);
  expect(noKeys.stderr).toMatch(/^MISSING_CREDENTIALS: [^\n]*ALIBABA_CLOUD_ACCESS_KEY_ID[^\n]*\n$/);
  const halfKeys = await presign(['GET', 'local-bucket/a.txt'], { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI1234' });
  expect(halfKeys.status).toBe(1);
  expect(halfKeys.stderr).toMatch(/^MISSING_CREDENTIALS: ALIBABA_CLOUD_ACCESS_KEY_SECRET is not set/);
  // A bad command line is reported as such even without keys.
  const typo = await presign(['GET', 'local-bucket/a.txt', '--expires-in', 'soon'], {});
  expect(typo.status).toBe(2);
  expect(typo.stderr).toContain('--expires-in');
});
