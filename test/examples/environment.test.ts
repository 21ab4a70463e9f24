// How the examples find their target: the environment variables (examples/shared/env.mjs), and the handlers
// that read them on first use (configuredUploads: Next.js route handlers, the Function Compute handler).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ossEnvironmentOf, readOssEnvironment } from '../../examples/shared/env.mjs';
import { closeServer, listen } from '../../examples/shared/http-server.mjs';
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

  it('reads real OSS from the five variables, the endpoints optional', () => {
    expect(readOssEnvironment(REAL)).toEqual({
      bucket: 'my-bucket',
      region: 'cn-shanghai',
      endpoint: undefined,
      credentials: { accessKeyId: 'LTAI-example', accessKeySecret: 'example-secret' },
      sts: { roleArn: REAL.ALIBABA_CLOUD_ROLE_ARN, endpoint: undefined },
    });
    const withEndpoints = readOssEnvironment({
      ...REAL,
      OSS_ENDPOINT: 'https://oss-cn-shanghai-internal.aliyuncs.com',
      STS_ENDPOINT: 'https://sts-vpc.cn-shanghai.aliyuncs.com',
    });
    expect(withEndpoints?.endpoint).toBe('https://oss-cn-shanghai-internal.aliyuncs.com');
    expect(withEndpoints?.sts.endpoint).toBe('https://sts-vpc.cn-shanghai.aliyuncs.com');
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
    });
    if (!target) throw new Error('unreachable');
    expect(readOssEnvironment(ossEnvironmentOf(target))).toEqual(target);
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
      });
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
