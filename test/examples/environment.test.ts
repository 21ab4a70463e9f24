// How the examples find their target: the environment variables (examples/shared/env.mjs), and the handlers
// that read them on first use (configuredUploads: Next.js route handlers, the Function Compute handler).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OssTarget, ossEnvironmentOf, readOssEnvironment } from '../../examples/shared/env.mjs';
import { closeServer, listen } from '../../examples/shared/http-server.mjs';
import { describeCallbacks, servedTarget } from '../../examples/shared/start.js';
import { LOCAL_BUCKET, LOCAL_ROLE_ARN, openTarget } from '../../examples/shared/target.mjs';

const REAL = {
  OSS_REGION: 'cn-shanghai',
  OSS_BUCKET: 'my-bucket',
  ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI-example',
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'example-secret',
  ALIBABA_CLOUD_ROLE_ARN: 'acs:ram::1234567890123456:role/uploader',
};

describe('readOssEnvironment', () => {
  it('is undefined when none of the five variables is set (the examples then start a local endpoint)', () => {
    expect(readOssEnvironment({ OSS_ENDPOINT: 'https://x.example', PATH: '/bin' })).toBeUndefined();
  });

  it('reads real OSS from the five variables, the endpoints and the callback optional', () => {
    expect(readOssEnvironment(REAL)).toStrictEqual({
      bucket: 'my-bucket',
      region: 'cn-shanghai',
      endpoint: undefined,
      credentials: {
        accessKeyId: 'LTAI-example',
        accessKeySecret: 'example-secret',
        securityToken: undefined,
      },
      sts: { roleArn: REAL.ALIBABA_CLOUD_ROLE_ARN, endpoint: undefined },
      callback: undefined,
    });
    const withEndpoints = readOssEnvironment({
      ...REAL,
      OSS_ENDPOINT: 'https://oss-cn-shanghai-internal.aliyuncs.com',
      STS_ENDPOINT: 'https://sts-vpc.cn-shanghai.aliyuncs.com',
    });
    expect(withEndpoints?.endpoint).toBe('https://oss-cn-shanghai-internal.aliyuncs.com');
    expect(withEndpoints?.sts.endpoint).toBe('https://sts-vpc.cn-shanghai.aliyuncs.com');
  });

  it('reads the callback URL, and a key to pin only beside it', () => {
    const url = 'https://api.example.com/api/oss-callback';
    expect(readOssEnvironment({ ...REAL, CALLBACK_URL: url })?.callback).toStrictEqual({
      url,
      publicKey: undefined,
    });
    expect(
      readOssEnvironment({ ...REAL, CALLBACK_URL: url, CALLBACK_PUBLIC_KEY: 'PEM' })?.callback,
    ).toStrictEqual({ url, publicKey: 'PEM' });
    // No URL, no callback: OSS could not reach this machine's own.
    expect(readOssEnvironment({ ...REAL, CALLBACK_PUBLIC_KEY: 'PEM' })?.callback).toBeUndefined();
  });

  it('refuses a half-set environment, naming what is missing and what is set', () => {
    const { ALIBABA_CLOUD_ROLE_ARN: _, OSS_BUCKET: __, ...partial } = REAL;
    expect(() => readOssEnvironment(partial)).toThrow(
      'To use real OSS, also set OSS_BUCKET, ALIBABA_CLOUD_ROLE_ARN (or unset OSS_REGION, ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET).',
    );
  });

  it('reads back what ossEnvironmentOf writes (how a launcher hands a local endpoint to handlers)', () => {
    const target = readOssEnvironment({
      ...REAL,
      OSS_ENDPOINT: 'http://127.0.0.1:9000',
      STS_ENDPOINT: 'http://127.0.0.1:9001',
      CALLBACK_URL: 'http://127.0.0.1:3000/api/oss-callback',
      CALLBACK_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nMFww...\n-----END PUBLIC KEY-----\n',
    });
    if (!target) throw new Error('unreachable');
    expect(target.callback?.publicKey).toContain('BEGIN PUBLIC KEY');
    expect(readOssEnvironment(ossEnvironmentOf(target))).toStrictEqual(target);
    expect(readOssEnvironment(ossEnvironmentOf({ ...target, callback: undefined }))).toStrictEqual({
      ...target,
      callback: undefined,
    });
  });
});

describe('openTarget', () => {
  it('starts a local endpoint with an STS role when the environment names no real OSS', async () => {
    const opened = await openTarget({});
    try {
      expect(opened.local).toBeDefined();
      expect(opened.target).toMatchObject({
        bucket: LOCAL_BUCKET,
        endpoint: opened.local?.url,
        sts: { roleArn: LOCAL_ROLE_ARN, endpoint: opened.local?.stsEndpoint },
        // Its callbacks are signed with its own key, and go to the example, whose URL is not known yet.
        callback: { publicKey: opened.local?.callbackPublicKey },
      });
      expect(opened.target.callback?.url).toBeUndefined();
    } finally {
      await opened.close();
    }
  });

  it('uses real OSS, starting nothing, when it does', async () => {
    const opened = await openTarget(REAL);
    expect(opened.local).toBeUndefined();
    expect(opened.target.bucket).toBe('my-bucket');
  });
});

describe('servedTarget', () => {
  const local = { ...readOssEnvironment(REAL), callback: { publicKey: 'PEM' } } as OssTarget;

  it("sends a local endpoint's callbacks to the example's own route", () => {
    const served = servedTarget(local, 'http://127.0.0.1:4000');
    expect(served.callback).toStrictEqual({
      publicKey: 'PEM',
      url: 'http://127.0.0.1:4000/api/oss-callback',
    });
    expect(describeCallbacks(served)).toBe(
      'Upload callbacks (POST form, presigned PUT, multipart) go to http://127.0.0.1:4000/api/oss-callback',
    );
  });

  it('keeps a callback URL given (CALLBACK_URL), and no callback when there is none', () => {
    const given = readOssEnvironment({ ...REAL, CALLBACK_URL: 'https://api.example.com/api/oss-callback' });
    expect(given && servedTarget(given, 'http://127.0.0.1:4000')).toBe(given);
    const none = readOssEnvironment(REAL) as OssTarget;
    expect(servedTarget(none, 'http://127.0.0.1:4000').callback).toBeUndefined();
    expect(describeCallbacks(none)).toContain('No upload callbacks: set CALLBACK_URL');
  });
});

describe('the handlers that read the environment on first use', () => {
  const saved = { ...process.env };
  let opened: Awaited<ReturnType<typeof openTarget>>;

  beforeAll(async () => {
    opened = await openTarget({});
    Object.assign(process.env, ossEnvironmentOf(opened.target));
  });

  afterAll(async () => {
    process.env = saved;
    await opened.close();
  });

  it('the Function Compute handler signs for the target of its environment variables', async () => {
    const { handler } = await import('../../examples/function-compute/index.js');
    const event = {
      version: 'v1',
      rawPath: '/api/presigned-url',
      body: Buffer.from(JSON.stringify({ name: 'fc.txt', type: 'text/plain' })).toString('base64'),
      isBase64Encoded: true,
      headers: { 'Content-Type': 'application/json' },
      queryParameters: {},
      requestContext: { http: { method: 'POST', path: '/api/presigned-url' }, requestId: 'r1' },
    };
    const response = await handler(Buffer.from(JSON.stringify(event)), { requestId: 'r1' });
    expect(response).toMatchObject({ statusCode: 200, isBase64Encoded: false });
    const { key, url, method, headers } = JSON.parse(response.body);
    expect(url.startsWith(`${opened.local?.url}/${LOCAL_BUCKET}/uploads/user-42/fc.txt?`)).toBe(true);
    const put = await fetch(url, { method, headers, body: 'from FC' });
    expect(put.status).toBe(200);
    expect(Buffer.from(opened.local?.getObject(LOCAL_BUCKET, key)?.body ?? []).toString()).toBe('from FC');
  });

  it('the Function Compute handler answers 404 JSON off its routes', async () => {
    const { handler } = await import('../../examples/function-compute/index.js');
    const event = { rawPath: '/nowhere', body: '', headers: {}, requestContext: { http: { method: 'GET' } } };
    const response = await handler(Buffer.from(JSON.stringify(event)), { requestId: 'r2' });
    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body)).toMatchObject({ code: 'NotFound' });
  });
});

describe('listen', () => {
  it('names PORT when the port is taken', async () => {
    const first = createServer();
    const url = await listen(first, 0, '127.0.0.1');
    const { port } = first.address() as AddressInfo;
    try {
      await expect(listen(createServer(), port, '127.0.0.1')).rejects.toThrow(
        `Port ${port} on 127.0.0.1 is already in use (another example still running?). Stop that process, or choose a free port with the PORT environment variable, e.g. PORT=${port + 1}.`,
      );
      expect(url).toBe(`http://127.0.0.1:${port}`);
    } finally {
      await closeServer(first);
    }
  });
});
