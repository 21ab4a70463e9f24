/**
 * `local` as a standalone server: what it prints is enough for a client this project did not write
 * (ali-oss, plain HTTP) to use it, it keeps given secrets to itself, and it stops cleanly on a signal.
 */
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Built, buildCli, keysOf, runCli, startLocal, stopAllLocal } from '../../support/cli.js';
import { aliOss, rejection, send } from '../../support/clients.js';

const ROLE_ARN = 'acs:ram::1234567890123456:role/uploader';

let built: Built;

beforeAll(async () => {
  built = await buildCli();
}, 60_000);

afterAll(async () => {
  await stopAllLocal();
  await built.remove();
});

const longTerm = (env: Record<string, string>) => ({
  accessKeyId: env.ALIBABA_CLOUD_ACCESS_KEY_ID as string,
  accessKeySecret: env.ALIBABA_CLOUD_ACCESS_KEY_SECRET as string,
});

describe('with its defaults', () => {
  it('prints what a client needs, and ali-oss uploads and reads back with it (V1 and V4, multipart)', async () => {
    const local = await startLocal(built);
    const { details } = local;
    expect(details).toMatchObject({ region: 'cn-hangzhou', buckets: ['local-bucket'], corsOrigins: [] });
    expect(details.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(details.accessKeySecret).toMatch(/^\w{20,}$/);
    expect(details.stsEndpoint).toBeUndefined();

    const content = randomBytes(250 * 1024);
    for (const authorizationV4 of [true, false]) {
      const oss = aliOss(longTerm(keysOf(details)), { endpoint: details.url, authorizationV4 });
      const key = `ali-oss/${authorizationV4 ? 'v4' : 'v1'}/big.bin`;
      await oss.multipartUpload(key, content, { partSize: 100 * 1024 });
      expect((await oss.get(key)).content.equals(content)).toBe(true);
    }
    // Any other client gets OSS's XML errors.
    const anonymous = await send(`${details.url}/local-bucket/ali-oss/v4/big.bin`);
    expect([anonymous.status, anonymous.code]).toEqual([403, 'AccessDenied']);
    expect((await local.stop()).status).toBe(0);
  });

  it('prints a readable summary without --json', async () => {
    const local = await startLocal(built, ['--role-arn', ROLE_ARN, '--cors-origin', '*'], false);
    const lines = local.printed.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Local OSS endpoint at http:\/\/127\.0\.0\.1:\d+ /);
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(lines[0] as string)?.[0];
    expect(lines.slice(1).map((line) => line.trim().split(/\s{2,}/))).toEqual([
      ['region', 'cn-hangzhou'],
      ['buckets', 'local-bucket'],
      ['access key id', expect.stringMatching(/^LTAI\w+$/)],
      ['access key secret', expect.stringMatching(/^\w+ \(generated for this run\)$/)],
      ['STS endpoint', `${url} (AssumeRole for ${ROLE_ARN})`],
      ['CORS origins', 'any'],
    ]);
    await local.stop();
  });
});

it('accepts the given key pairs and never prints their secrets; serves the given buckets and region', async () => {
  const pairs = [
    ['LTAIlocalkey0001', 'first-secret-0123456789abcdef'],
    ['LTAIlocalkey0002', 'second-secret-0123456789abcdef'],
  ] as const;
  const args = [
    ...pairs.flatMap(([id, secret]) => ['--access-key-id', id, '--access-key-secret', secret]),
    ...['--bucket', 'photos', '--bucket', 'docs', '--region', 'cn-shanghai'],
  ];
  const [json, text] = await Promise.all([startLocal(built, args), startLocal(built, args, false)]);
  for (const local of [json, text]) expect(local.printed).not.toMatch(/first-secret|second-secret/);
  expect(json.details).toEqual({
    url: expect.any(String),
    region: 'cn-shanghai',
    buckets: ['photos', 'docs'],
    accessKeyId: 'LTAIlocalkey0001',
    corsOrigins: [],
  });

  for (const [accessKeyId, accessKeySecret] of pairs) {
    const oss = aliOss(
      { accessKeyId, accessKeySecret },
      { endpoint: json.details.url, region: 'oss-cn-shanghai', bucket: 'docs', authorizationV4: true },
    );
    await oss.put(`${accessKeyId}.txt`, Buffer.from(accessKeyId));
    expect((await oss.get(`${accessKeyId}.txt`)).content.toString()).toBe(accessKeyId);
  }
  const wrongSecret = aliOss(
    { accessKeyId: 'LTAIlocalkey0001', accessKeySecret: 'second-secret-0123456789abcdef' },
    { endpoint: json.details.url, region: 'oss-cn-shanghai', bucket: 'docs' },
  );
  expect((await rejection(wrongSecret.put('x.txt', Buffer.from('x')))).code).toBe('SignatureDoesNotMatch');
  const otherBucket = aliOss(
    { accessKeyId: 'LTAIlocalkey0001', accessKeySecret: 'first-secret-0123456789abcdef' },
    { endpoint: json.details.url, region: 'oss-cn-shanghai', bucket: 'local-bucket' },
  );
  expect((await rejection(otherBucket.put('x.txt', Buffer.from('x')))).code).toBe('NoSuchBucket');

  const stopped = await Promise.all([json.stop(), text.stop()]);
  for (const result of stopped)
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/first-secret|second-secret/);
});

it('answers CORS preflights for the --cors-origin origins only', async () => {
  const local = await startLocal(built, ['--cors-origin', 'http://localhost:3000']);
  const preflight = (origin: string) =>
    send(`${local.details.url}/local-bucket/a.txt`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'PUT' },
    });
  const allowed = await preflight('http://localhost:3000');
  expect(allowed.status).toBe(200);
  expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:3000');
  const other = await preflight('http://evil.example');
  expect(other.status).toBe(403);
  expect(other.headers['access-control-allow-origin']).toBeUndefined();
  await local.stop();
});

describe.each(['SIGTERM', 'SIGINT'] as const)('on %s', (signal) => {
  it('closes kept-alive connections, stops listening and exits 0, leaving no process', async () => {
    const local = await startLocal(built);
    const { port } = new URL(local.details.url);
    // A client that keeps its connection open, as the Alibaba SDKs do.
    const agent = new Agent({ keepAlive: true });
    const status = await new Promise<number | undefined>((resolve, reject) => {
      request(`${local.details.url}/local-bucket/a.txt`, { agent }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode));
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(403);
    expect(Object.keys(agent.freeSockets)).toHaveLength(1);

    const started = Date.now();
    const result = await local.stop(signal);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result).toMatchObject({ status: 0, signal: null });
    expect(result.stderr).toBe(`Stopped (${signal}).\n`);
    expect(() => process.kill(local.child.pid as number, 0)).toThrow(
      expect.objectContaining({ code: 'ESRCH' }),
    );
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    agent.destroy();
  });
});

it('a taken port is an error that says what to do, exit 1', async () => {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  try {
    const result = await runCli(built, ['local', '--port', String(port)]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `EADDRINUSE: cannot listen on 127.0.0.1:${port}: pick another --port (0 picks a free one)\n`,
    );
  } finally {
    server.close();
  }
});

it('bad options: exit 2 for the command line, 1 for what createLocalOss refuses', async () => {
  const results = await Promise.all([
    runCli(built, ['local', '--port', 'eighty']),
    runCli(built, ['local', '--access-key-id', 'LTAIonly']),
    runCli(built, ['local', '--json=yes']),
    runCli(built, ['local', '--port', '70000']),
    runCli(built, ['local', '--port', '0', '--bucket', 'Not_A_Bucket']),
    runCli(built, ['local', '--port', '0', '--role-arn', 'uploader']),
  ]);
  expect(results.map((result) => result.status)).toEqual([2, 2, 2, 1, 1, 1]);
  expect(results[0]?.stderr).toMatch(/^oss-direct-upload local: --port must be a whole number/);
  expect(results[1]?.stderr).toMatch(/^oss-direct-upload local: --access-key-id and --access-key-secret/);
  expect(results[2]?.stderr).toMatch(/^oss-direct-upload local: --json takes no value/);
  expect(results.slice(3).map((result) => result.stderr.split(':')[0])).toEqual([
    'INVALID_ARGUMENT',
    'INVALID_BUCKET',
    'INVALID_ARGUMENT',
  ]);
  for (const result of results) {
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toHaveLength(2);
  }
});
