/**
 * Hostile input over real HTTP: bodies built to make a parser work for minutes, bodies larger than the
 * operation takes, and bytes that are not HTTP. Each gets OSS's 4xx XML error at once, while other
 * requests keep being answered, and no connection is reset.
 */
import { createHmac } from 'node:crypto';
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, createServer as createTcpServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type PresignUrlOptions, presignUrl } from '../../../src/presign-url.js';
import { refuseUnparsable } from '../../../src/testing/http.js';
import { createLocalOss, type LocalOss } from '../../../src/testing/index.js';
import {
  aliOss,
  assumeRole,
  BUCKET,
  localTarget,
  ROLE_ARN,
  rawExchange,
  rejection,
  send,
} from '../../support/clients.js';

const MAX_OBJECT = 1024 * 1024;
const MB2 = 2 * 1024 * 1024;
let oss: LocalOss;

beforeAll(async () => {
  oss = await createLocalOss({ roleArn: ROLE_ARN, maxObjectSize: MAX_OBJECT });
});

afterAll(() => oss.close());

function signed(options: Omit<PresignUrlOptions, 'credentials' | 'bucket' | 'region' | 'endpoint'>) {
  return presignUrl({ ...localTarget(oss), ...options } as PresignUrlOptions);
}

async function initiate(key: string): Promise<string> {
  const url = signed({ key, method: 'POST', query: { uploads: null } });
  const response = await send(url.url, { method: 'POST', headers: url.headers });
  return /<UploadId>(\w+)<\/UploadId>/.exec(response.body.toString())?.[1] ?? '';
}

/** The answer to one request, and how long it took. */
async function timed(run: () => Promise<{ status: number; code?: string | undefined }>) {
  const started = performance.now();
  const response = await run();
  return { ...response, ms: performance.now() - started };
}

describe('bodies that would make a parser rescan', () => {
  test('2 MB CompleteMultipartUpload bodies are refused at once while other requests keep flowing', async () => {
    const key = 'hostile/complete.bin';
    const uploadId = await initiate(key);
    const complete = signed({ key, method: 'POST', query: { uploadId } });
    const hostile = [
      `<CompleteMultipartUpload>${'<Part>'.repeat(MB2 / 6)}</CompleteMultipartUpload>`,
      `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>${'<ETag>'.repeat(MB2 / 6)}</Part></CompleteMultipartUpload>`,
      `<CompleteMultipartUpload>${'<Part><PartNumber>1</PartNumber><ETag>x</ETag>'.repeat(MB2 / 45)}</CompleteMultipartUpload>`,
    ].map((body) => timed(() => send(complete.url, { method: 'POST', headers: complete.headers, body })));
    const client = aliOss(oss.credentials, { endpoint: oss.url });
    const normal = Array.from({ length: 20 }, (_, i) =>
      timed(async () => {
        await client.put(`hostile/normal-${i}.txt`, Buffer.from(`normal ${i}`));
        const read = await client.get(`hostile/normal-${i}.txt`);
        return { status: read.res.status, code: read.content.toString() };
      }),
    );
    for (const answer of await Promise.all(hostile)) {
      expect(answer.status).toBe(400);
      expect(answer.code).toMatch(/^(MalformedXML|InvalidArgument)$/);
      // Generous: the backtracking pattern this replaces took minutes on such a body.
      expect(answer.ms).toBeLessThan(5000);
    }
    const answers = await Promise.all(normal);
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(answers.map((a) => a.code)).toEqual(answers.map((_, i) => `normal ${i}`));
  });

  test('a PostObject body of 2 MB of fake delimiters, and a deeply nested signed policy, are answered at once', async () => {
    const boundary = 'b0undary';
    const fakeDelimiters = `\r\n--${boundary}X`.repeat(MB2 / 12);
    const formBody = `--${boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\nhostile/form.txt\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\n${fakeDelimiters}`;
    const nested = Buffer.from(
      `{"expiration":"2100-01-01T00:00:00Z","conditions":${'['.repeat(1_400_000)}`,
    ).toString('base64');
    const nestedBody = `--${boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\nhostile/nested.txt\r\n--${boundary}\r\nContent-Disposition: form-data; name="OSSAccessKeyId"\r\n\r\n${oss.credentials.accessKeyId}\r\n--${boundary}\r\nContent-Disposition: form-data; name="policy"\r\n\r\n${nested}\r\n--${boundary}\r\nContent-Disposition: form-data; name="Signature"\r\n\r\n${signPolicyV1(nested)}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nx\r\n--${boundary}--\r\n`;
    const headers = { 'content-type': `multipart/form-data; boundary=${boundary}` };
    const [unclosed, deep] = await Promise.all([
      timed(() => send(`${oss.url}/${BUCKET}`, { method: 'POST', headers, body: formBody })),
      timed(() => send(`${oss.url}/${BUCKET}`, { method: 'POST', headers, body: nestedBody })),
    ]);
    expect([unclosed.status, unclosed.code]).toEqual([400, 'MalformedPOSTRequest']);
    expect([deep.status, deep.code]).toEqual([400, 'InvalidPolicyDocument']);
    expect(Math.max(unclosed.ms, deep.ms)).toBeLessThan(5000);
  });

  test('STS: a session policy over 2048 characters, or nested deep, is refused before it is parsed', async () => {
    const long = {
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: ['oss:GetObject'], Resource: ['x'.repeat(2100)] }],
    };
    const tooLong = await rejection<{ code: string }>(assumeRole(oss, { policy: long }));
    expect(tooLong.code).toBe('InvalidParameter.PolicySize');
    const deep = await rejection<{ code: string }>(assumeRole(oss, { policy: '['.repeat(2000) }));
    expect(deep.code).toBe('InvalidParameter.PolicyGrammar');
  });
});

/** The V1 form signature: HMAC-SHA1 of the base64 policy (the OSS documentation's recipe). */
function signPolicyV1(policy: string): string {
  return createHmac('sha1', oss.credentials.accessKeySecret).update(policy).digest('base64');
}

/**
 * Sends on the agent's one socket; resolves, once the request is sent whole and its answer read, with
 * the status, the code and whether the socket was one already used.
 */
function viaAgent(
  agent: Agent,
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: Buffer; chunks?: Buffer[] },
): Promise<{ status: number; code: string | undefined; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method, headers: init.headers, agent });
    req.on('error', reject);
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const code = /<Code>([^<]*)<\/Code>/.exec(Buffer.concat(chunks).toString())?.[1];
        const answer = { status: res.statusCode ?? 0, code, reused: req.reusedSocket };
        if (req.writableFinished) resolve(answer);
        else req.once('finish', () => resolve(answer));
      });
    });
    if (init.chunks) {
      (async () => {
        for (const chunk of init.chunks ?? []) {
          if (req.destroyed) return;
          req.write(chunk);
          await new Promise((next) => setImmediate(next));
        }
        req.end();
      })();
    } else req.end(init.body);
  });
}

describe('bodies larger than the operation takes', () => {
  test('a PUT over maxObjectSize is EntityTooLarge from its Content-Length; the kept-alive connection serves the next request', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const big = signed({ key: 'limits/big.bin', method: 'PUT' });
      const refused = await viaAgent(agent, big.url, {
        method: 'PUT',
        headers: big.headers,
        body: Buffer.alloc(MAX_OBJECT + 1),
      });
      expect([refused.status, refused.code]).toEqual([400, 'EntityTooLarge']);
      expect(oss.getObject(BUCKET, 'limits/big.bin')).toBeUndefined();
      const exact = await viaAgent(agent, big.url, {
        method: 'PUT',
        headers: big.headers,
        body: Buffer.alloc(MAX_OBJECT),
      });
      expect([exact.status, exact.reused]).toEqual([200, true]);
      expect(oss.getObject(BUCKET, 'limits/big.bin')?.body.length).toBe(MAX_OBJECT);
    } finally {
      agent.destroy();
    }
  });

  test('a chunked PUT is refused once its bytes pass the limit, read to its end, and the connection kept', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const url = signed({ key: 'limits/chunked.bin', method: 'PUT' });
      const chunks = Array.from({ length: 40 }, () => Buffer.alloc(64 * 1024, 1));
      const refused = await viaAgent(agent, url.url, { method: 'PUT', headers: url.headers, chunks });
      expect([refused.status, refused.code]).toEqual([400, 'EntityTooLarge']);
      const next = signed({ key: 'limits/chunked.bin', method: 'PUT' });
      const small = await viaAgent(agent, next.url, {
        method: 'PUT',
        headers: next.headers,
        chunks: [Buffer.from('small')],
      });
      expect([small.status, small.reused]).toEqual([200, true]);
      expect(Buffer.from(oss.getObject(BUCKET, 'limits/chunked.bin')?.body ?? []).toString()).toBe('small');
    } finally {
      agent.destroy();
    }
  });

  test('operations that take no body refuse more than 64 KiB; a CompleteMultipartUpload body over 2.5 MB is refused', async () => {
    const get = signed({ key: 'limits/none.txt' });
    const body = Buffer.alloc(65 * 1024);
    // Node sends a GET body without Content-Length unless told.
    const headers = { ...get.headers, 'content-length': String(body.length) };
    const withBody = await send(get.url, { method: 'GET', headers, body });
    expect([withBody.status, withBody.code]).toEqual([400, 'InvalidArgument']);
    const uploadId = await initiate('limits/complete.bin');
    const complete = signed({ key: 'limits/complete.bin', method: 'POST', query: { uploadId } });
    const huge = await send(complete.url, {
      method: 'POST',
      headers: complete.headers,
      body: Buffer.alloc(2_600_000, 32),
    });
    expect([huge.status, huge.code]).toEqual([400, 'InvalidArgument']);
  });

  test('a multipart upload whose parts pass maxObjectSize is refused at the part', async () => {
    const key = 'limits/parts.bin';
    const uploadId = await initiate(key);
    const put = (partNumber: number, size: number) => {
      const url = signed({ key, method: 'PUT', query: { uploadId, partNumber: String(partNumber) } });
      return send(url.url, { method: 'PUT', headers: url.headers, body: Buffer.alloc(size) });
    };
    expect((await put(1, MAX_OBJECT - 10)).status).toBe(200);
    const over = await put(2, 11);
    expect([over.status, over.code]).toEqual([400, 'EntityTooLarge']);
    expect((await put(2, 10)).status).toBe(200);
  });

  test('a PostObject file over maxObjectSize is EntityTooLarge, nothing stored', async () => {
    const boundary = 'b0undary';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\nlimits/form.bin\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\n`,
      ),
      Buffer.alloc(MAX_OBJECT + 1),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const response = await send(`${oss.url}/${BUCKET}`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
    });
    expect([response.status, response.code]).toEqual([400, 'EntityTooLarge']);
    expect(oss.getObject(BUCKET, 'limits/form.bin')).toBeUndefined();
  });
});

describe('bytes that are not HTTP', () => {
  test.each([
    { what: 'a request line of garbage', chunks: ['GARBAGE\r\n\r\n', 'x'.repeat(200_000)] },
    {
      what: 'headers over 16 KiB',
      chunks: [`GET /${BUCKET}/x HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`],
    },
    {
      what: 'a bad chunk size',
      chunks: [
        `PUT /${BUCKET}/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n`,
        'y'.repeat(100_000),
      ],
    },
    {
      what: 'Content-Length and Transfer-Encoding together',
      chunks: [
        `PUT /${BUCKET}/x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
      ],
    },
  ])('$what: an XML 400 and a graceful close', async ({ chunks }) => {
    const answer = await rawExchange(oss.url, chunks);
    expect(answer.reset).toBe(false);
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('<Code>InvalidRequest</Code>');
    // The server still answers.
    expect((await send(`${oss.url}/${BUCKET}/x`)).status).toBe(403);
  });
});

describe('requests Node would answer itself', () => {
  test('CONNECT gets an XML 405 and a graceful close, not a silent hang-up', async () => {
    const answer = await rawExchange(oss.url, [
      'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n',
    ]);
    expect(answer.reset).toBe(false);
    expect(answer.status).toBe(405);
    expect(answer.text).toContain('<Code>MethodNotAllowed</Code>');
    expect((await send(`${oss.url}/${BUCKET}/x`)).status).toBe(403);
  });

  test('an Expect other than 100-continue is ignored, as OSS does, not answered 417 by Node', async () => {
    const url = signed({ key: 'expect.txt', method: 'PUT' });
    const response = await send(url.url, {
      method: 'PUT',
      headers: { ...url.headers, expect: 'something-else' },
      body: 'abc',
    });
    expect(response.status).toBe(200);
    expect(Buffer.from(oss.getObject(BUCKET, 'expect.txt')?.body ?? []).toString()).toBe('abc');
  });

  test('Expect: 100-continue with a body over the limit is refused without inviting the body', async () => {
    const url = new URL(signed({ key: 'big.bin', method: 'PUT' }).url);
    const answer = await rawExchange(oss.url, [
      `PUT ${url.pathname}${url.search} HTTP/1.1\r\nHost: a\r\nContent-Length: ${MAX_OBJECT + 1}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
    ]);
    expect(answer.reset).toBe(false);
    expect(answer.text).not.toContain('100 Continue');
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('<Code>EntityTooLarge</Code>');
  });

  test("a request that timed out (headers or body too slow) gets OSS's RequestTimeout, not a parse error", async () => {
    // Node's timeouts take a minute and more: the answer is checked on a socket pair, with Node's error.
    const server = createTcpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
    const client = connect((server.address() as { port: number }).port, '127.0.0.1');
    const received: Buffer[] = [];
    client.on('data', (chunk: Buffer) => received.push(chunk));
    const closed = new Promise((resolve) => client.on('close', resolve));
    const socket = await accepted;
    refuseUnparsable(
      Object.assign(new Error('Request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }),
      socket,
    );
    client.end();
    await closed;
    server.close();
    const text = Buffer.concat(received).toString();
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(text).toContain('<Code>RequestTimeout</Code>');
  });
});
