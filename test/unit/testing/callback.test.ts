/**
 * Upload callbacks through the local endpoint, end to end in Node: uploads (presigned and header-signed
 * PUT, PostObject, CompleteMultipartUpload; ali-oss building its own callbacks) reach a real application
 * server on 127.0.0.1, which verifies them with verifyOssCallback, and the uploader gets its JSON reply;
 * then every way a callback fails (203 CallbackFailed, object stored) or is refused (400, nothing stored).
 */
import { createHash, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type CallbackOptions,
  createPostPolicy,
  presignUrl,
  signRequest,
  verifyOssCallback,
} from '../../../src/index.js';
import { createLocalOss, type LocalOss } from '../../../src/testing/index.js';
import { countingServer, rsaKey, signCallback } from '../../support/callback.js';
import {
  appReply,
  type CallbackApp,
  type ReceivedCallback,
  startCallbackApp,
} from '../../support/callback-app.js';
import { type AliOssError, aliOss, BUCKET, rejection, send } from '../../support/clients.js';

let oss: LocalOss;
let app: CallbackApp;
let workDir: string;

beforeAll(async () => {
  oss = await createLocalOss();
  app = await startCallbackApp({ publicKey: oss.callbackPublicKey });
  workDir = await mkdtemp(join(tmpdir(), 'local-oss-callback-'));
});

afterAll(async () => {
  await app?.close();
  await oss?.close();
  await rm(workDir, { recursive: true, force: true });
});

beforeEach(() => {
  app.reply = 'json';
  app.received.length = 0;
});

const target = () => ({
  bucket: BUCKET,
  region: oss.region,
  endpoint: oss.url,
  credentials: oss.credentials,
});
const FORM_BODY =
  'bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}&crc64=${crc64}&contentMd5=${contentMd5}&clientIp=${clientIp}&reqId=${reqId}&operation=${operation}&vpcId=${vpcId}&width=${imageInfo.width}&uid=${x:uid}';
const callbackTo = (path = '/oss-callback?upload=7f3c'): CallbackOptions => ({
  url: `${app.origin}${path}`,
  body: FORM_BODY,
  vars: { uid: '42 & co' },
});

/** CRC-64/ECMA-182 bit by bit (the textbook definition), to check the endpoint's table-driven one. */
function crc64Reference(bytes: Uint8Array): string {
  const poly = 0xc96c5795d7870f42n;
  let crc = 0xffffffffffffffffn;
  for (const byte of bytes) {
    crc ^= BigInt(byte);
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return (crc ^ 0xffffffffffffffffn).toString();
}

/** The OSS API reference's formula, with node:crypto and the endpoint's public key. */
function signedByEndpoint(received: ReceivedCallback): boolean {
  const question = received.url.indexOf('?');
  const path = question === -1 ? received.url : received.url.slice(0, question);
  const query = question === -1 ? '' : received.url.slice(question);
  const signed = Buffer.concat([Buffer.from(`${decodeURIComponent(path)}${query}\n`), received.body]);
  const signature = Buffer.from(String(received.headers.authorization), 'base64');
  return verify('RSA-MD5', signed, oss.callbackPublicKey, signature);
}

function presignedPut(key: string, callback: CallbackOptions | string, extra: object = {}) {
  return presignUrl({ ...target(), key, method: 'PUT', callback, ...extra });
}

describe('a callback the application confirms', () => {
  it('presigned PUT: every variable, signed with the endpoint key, and the JSON reply relayed with the ETag', async () => {
    const body = Buffer.from('hello callbacks');
    const signed = presignedPut('docs/a b+中.txt', callbackTo(), { contentType: 'text/plain' });
    const response = await send(signed.url, { method: 'PUT', headers: signed.headers, body });

    const stored = oss.getObject(BUCKET, 'docs/a b+中.txt');
    expect(stored?.body).toEqual(new Uint8Array(body));
    const [received] = app.received;
    expect(app.received).toHaveLength(1);
    expect(received?.url).toBe('/oss-callback?upload=7f3c');
    expect(received?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(signedByEndpoint(received as ReceivedCallback)).toBe(true);
    expect(Object.fromEntries(new URLSearchParams(received?.body.toString()))).toEqual({
      bucket: BUCKET,
      object: 'docs/a b+中.txt',
      etag: createHash('md5').update(body).digest('hex').toUpperCase(),
      size: String(body.length),
      mimeType: 'text/plain',
      crc64: crc64Reference(body),
      contentMd5: createHash('md5').update(body).digest('base64'),
      clientIp: '127.0.0.1',
      reqId: response.headers['x-oss-request-id'],
      operation: 'PutObject',
      vpcId: '',
      width: '',
      uid: '42 & co',
    });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers.etag).toBe(stored?.headers.etag);
    expect(response.body.toString()).toBe(appReply(received?.params));
  });

  it('the key URL in x-oss-pub-key-url serves the same key, which an allow-listed app fetches', async () => {
    const fetching = await startCallbackApp({ allowedKeyUrls: [`${oss.url}/`] });
    try {
      const signed = presignedPut('docs/fetched-key.txt', {
        url: `${fetching.origin}/cb`,
        body: 'o=${object}',
      });
      const response = await send(signed.url, {
        method: 'PUT',
        headers: signed.headers,
        body: Buffer.from('x'),
      });
      const keyUrl = Buffer.from(
        String(fetching.received[0]?.headers['x-oss-pub-key-url']),
        'base64',
      ).toString();
      expect(keyUrl).toBe(`${oss.url}/callback-public-key.pem`);
      expect((await send(keyUrl)).body.toString()).toBe(oss.callbackPublicKey);
      expect([response.status, fetching.received[0]?.params]).toEqual([200, { o: 'docs/fetched-key.txt' }]);
    } finally {
      await fetching.close();
    }
  });

  it.each([
    ['V1 presigned PUT', () => presignedPut('v/v1.txt', callbackTo(), { signatureVersion: 'v1' })],
    ['V4 header-signed PUT', () => header('v/v4h.txt', 'v4')],
    ['V1 header-signed PUT', () => header('v/v1h.txt', 'v1')],
  ])('%s', async (_how, sign) => {
    const signed = sign();
    const response = await send(signed.url, {
      method: 'PUT',
      headers: signed.headers,
      body: Buffer.from('v'),
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body.toString())).toMatchObject({
      ok: true,
      params: { uid: '42 & co', size: '1' },
    });
  });

  function header(key: string, signatureVersion: 'v1' | 'v4') {
    const { headers } = signRequest({
      ...target(),
      key,
      method: 'PUT',
      signatureVersion,
      callback: callbackTo(),
    });
    return { url: `${oss.url}/${BUCKET}/${key}`, headers };
  }

  it('a JSON body: strings quoted, numbers bare, image sizes read from the bytes', async () => {
    // A PNG header: 640 x 480.
    const png = Buffer.alloc(64);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).copy(png);
    png.write('IHDR', 12, 'latin1');
    png.writeUInt32BE(640, 16);
    png.writeUInt32BE(480, 20);
    const signed = presignedPut('img/a "b".png', {
      url: `${app.origin}/cb`,
      bodyType: 'application/json',
      body: '{"object":${object},"size":${size},"w":${imageInfo.width},"h":${imageInfo.height},"f":${imageInfo.format},"vpc":${vpcId},"uid":${x:uid},"none":${x:none}}',
      vars: { uid: '"quoted"' },
    });
    const response = await send(signed.url, { method: 'PUT', headers: signed.headers, body: png });
    expect(response.status).toBe(200);
    expect(app.received[0]?.headers['content-type']).toBe('application/json');
    expect(app.received[0]?.body.toString()).toBe(
      '{"object":"img/a \\"b\\".png","size":64,"w":640,"h":480,"f":"png","vpc":null,"uid":"\\"quoted\\"","none":null}',
    );
  });

  it('a JSON body with image sizes of a file that is not an image is not JSON, as OSS sends it', async () => {
    const signed = presignedPut('img/not-an-image.png', {
      url: `${app.origin}/cb`,
      bodyType: 'application/json',
      body: '{"w":${imageInfo.width},"f":${imageInfo.format}}',
    });
    const response = await send(signed.url, {
      method: 'PUT',
      headers: signed.headers,
      body: Buffer.from('no'),
    });
    expect(app.received[0]?.body.toString()).toBe('{"w":,"f":null}');
    expect(app.received[0]?.refused).toBe('CALLBACK_BODY_INVALID');
    expect([response.status, response.code]).toEqual([203, 'CallbackFailed']);
  });

  it('callbackHost is the Host header; URLs are tried in order until one answers', async () => {
    const down = await countingServer(() => {});
    await down.close();
    const signed = presignedPut('docs/host.txt', {
      url: [`${down.origin}/first`, `${app.origin}/second`],
      host: 'app.example.com:8443',
      body: 'o=${object}',
    });
    const response = await send(signed.url, {
      method: 'PUT',
      headers: signed.headers,
      body: Buffer.from('h'),
    });
    expect(response.status).toBe(200);
    expect(app.received.map((r) => [r.url, r.headers.host])).toEqual([['/second', 'app.example.com:8443']]);
  });

  it('PostObject: the callback and x: fields pinned by the policy; the reply replaces success_action_status', async () => {
    const policy = createPostPolicy({
      ...target(),
      key: 'forms/${filename}',
      contentLengthRange: [0, 1000],
      successActionStatus: 201,
      callback: {
        url: `${app.origin}/form`,
        body: 'o=${object}&op=${operation}&uid=${x:uid}',
        vars: { uid: '7' },
      },
    });
    const form = new FormData();
    for (const [name, value] of Object.entries(policy.fields)) form.append(name, value);
    form.append('file', new Blob(['form bytes']), 'a.txt');
    const response = await fetch(policy.url, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      ok: true,
      params: { o: 'forms/a.txt', op: 'PostObject', uid: '7' },
    });
    expect(response.headers.get('etag')).toBe(oss.getObject(BUCKET, 'forms/a.txt')?.headers.etag);
  });

  it('PostObject: a swapped callback field or variable is refused by the policy, nothing stored, no call', async () => {
    const policy = createPostPolicy({
      ...target(),
      key: 'forms/swapped.txt',
      contentLengthRange: [0, 1000],
      callback: { url: `${app.origin}/form`, body: 'uid=${x:uid}', vars: { uid: '7' } },
    });
    const evil = await countingServer((_req, res) => res.writeHead(200, { 'content-length': '2' }).end('{}'));
    try {
      const swaps = {
        callback: Buffer.from(
          JSON.stringify({ callbackUrl: `${evil.origin}/`, callbackBody: 'uid=${x:uid}' }),
        ).toString('base64'),
        'x:uid': '1',
      };
      for (const [name, value] of Object.entries(swaps)) {
        const form = new FormData();
        for (const [field, given] of Object.entries({ ...policy.fields, [name]: value }))
          form.append(field, given);
        form.append('file', new Blob(['x']), 'x.txt');
        const response = await fetch(policy.url, { method: 'POST', body: form });
        expect(response.status).toBe(403);
        expect(await response.text()).toContain('<Code>AccessDenied</Code>');
      }
      expect(oss.getObject(BUCKET, 'forms/swapped.txt')).toBeUndefined();
      expect([evil.hits, app.received]).toEqual([[], []]);
    } finally {
      await evil.close();
    }
  });
});

describe('ali-oss, building its own callback', () => {
  const client = () => aliOss(oss.credentials, { endpoint: oss.url });
  const aliCallback = (path: string) => ({
    url: `${app.origin}${path}`,
    body: 'object=${object}&size=${size}&etag=${etag}&operation=${operation}&md5=${contentMd5}&uid=${x:uid}',
    contentType: 'application/x-www-form-urlencoded',
    customValue: { uid: '99' },
  });

  it('put: the application JSON is the result', async () => {
    const result = await client().put('ali/put.txt', Buffer.from('ali put'), {
      callback: aliCallback('/ali-put'),
    });
    expect(result.res.status).toBe(200);
    expect(result.data).toEqual({ ok: true, params: app.received[0]?.params });
    expect(app.received[0]?.params).toMatchObject({ object: 'ali/put.txt', size: '7', uid: '99' });
  });

  it('multipartUpload: the callback on CompleteMultipartUpload, with the multipart ETag and no Content-MD5', async () => {
    const content = Buffer.alloc(2 * 100 * 1024 + 500, 7);
    const file = join(workDir, 'multipart.bin');
    await writeFile(file, content);
    const result = await client().multipartUpload('ali/multi.bin', file, {
      partSize: 100 * 1024,
      callback: aliCallback('/ali-multi'),
    });
    const stored = oss.getObject(BUCKET, 'ali/multi.bin');
    expect(app.received).toHaveLength(1);
    expect(app.received[0]?.params).toEqual({
      object: 'ali/multi.bin',
      size: String(content.length),
      etag: stored?.headers.etag?.replaceAll('"', ''),
      operation: 'CompleteMultipartUpload',
      md5: '',
      uid: '99',
    });
    expect(stored?.headers.etag).toMatch(/-3"$/);
    expect(result.data).toEqual({ ok: true, params: app.received[0]?.params });
  });

  it('a failed callback: ali-oss rejects with CallbackFailed, the object is stored', async () => {
    app.reply = 'status500';
    const error = await rejection<AliOssError>(
      client().put('ali/failed.txt', Buffer.from('x'), { callback: aliCallback('/ali-fail') }),
    );
    expect([error.status, error.code]).toEqual([203, 'CallbackFailed']);
    expect(oss.getObject(BUCKET, 'ali/failed.txt')).toBeDefined();
  });
});

describe('a callback that fails: 203 CallbackFailed, the object stored', () => {
  const KEY_STORED = 'failed/object.txt';

  it.each([
    ['text', 'Response body is not valid json format.'],
    ['bom', 'Response body is not valid json format.'],
    ['status500', 'Error status : 500.'],
    ['chunked', 'Error status : 400.User server missing content-length.'],
  ] as const)('the application answers %s: %s', async (reply, message) => {
    app.reply = reply;
    const key = `${KEY_STORED}.${reply}`;
    const signed = presignedPut(key, callbackTo());
    const response = await send(signed.url, {
      method: 'PUT',
      headers: signed.headers,
      body: Buffer.from('kept'),
    });
    expect([response.status, response.code]).toEqual([203, 'CallbackFailed']);
    expect(response.body.toString()).toContain(`<Message>${message}</Message>`);
    expect(response.headers.etag).toBe(oss.getObject(BUCKET, key)?.headers.etag);
    expect(app.received).toHaveLength(1);
  });

  it('an application signed for by another key refuses the callback (401)', async () => {
    const strict = await startCallbackApp({ publicKey: rsaKey().publicKey });
    try {
      const signed = presignedPut('failed/other-key.txt', {
        url: `${strict.origin}/cb`,
        body: 'o=${object}',
      });
      const response = await send(signed.url, {
        method: 'PUT',
        headers: signed.headers,
        body: Buffer.from('k'),
      });
      expect(strict.received[0]?.refused).toBe('CALLBACK_SIGNATURE_INVALID');
      expect([response.status, response.code]).toEqual([203, 'CallbackFailed']);
      expect(response.body.toString()).toContain('<Message>Error status : 401.</Message>');
      expect(oss.getObject(BUCKET, 'failed/other-key.txt')).toBeDefined();
    } finally {
      await strict.close();
    }
  });

  it('nothing listens at the callback URL', async () => {
    const down = await countingServer(() => {});
    await down.close();
    const signed = presignedPut('failed/down.txt', { url: `${down.origin}/cb`, body: 'o=${object}' });
    const response = await send(signed.url, {
      method: 'PUT',
      headers: signed.headers,
      body: Buffer.from('d'),
    });
    expect([response.status, response.code]).toEqual([203, 'CallbackFailed']);
    expect(response.body.toString()).toContain('Error status : -1. OSS can not connect to your callbackUrl');
    expect(oss.getObject(BUCKET, 'failed/down.txt')).toBeDefined();
  });

  it('the application takes more than 5 seconds', { timeout: 15_000 }, async () => {
    app.reply = 'slow';
    const started = Date.now();
    const signed = presignedPut('failed/slow.txt', callbackTo());
    const response = await send(signed.url, {
      method: 'PUT',
      headers: signed.headers,
      body: Buffer.from('s'),
    });
    const took = Date.now() - started;
    expect([response.status, response.code]).toEqual([203, 'CallbackFailed']);
    expect(response.body.toString()).toMatch(/Error status : -1 127\.0\.0\.1:\d+ reply timeout, cost:5000ms/);
    expect(took).toBeGreaterThanOrEqual(4900);
    expect(took).toBeLessThan(9000);
    expect(oss.getObject(BUCKET, 'failed/slow.txt')).toBeDefined();
  });
});

describe('a callback parameter OSS refuses: 400 InvalidArgument, nothing stored, no call', () => {
  const b64 = (json: unknown) =>
    Buffer.from(typeof json === 'string' ? json : JSON.stringify(json)).toString('base64');

  it.each([
    ['not base64', { callback: 'not base64!' }, {}],
    ['not JSON', { callback: b64('callbackUrl=x') }, {}],
    [
      'six URLs',
      { callback: b64({ callbackUrl: 'a.com;b.com;c.com;d.com;e.com;f.com', callbackBody: 'x' }) },
      {},
    ],
    ['an empty body', { callback: b64({ callbackUrl: 'a.com', callbackBody: '' }) }, {}],
    ['a bad port', { callback: b64({ callbackUrl: 'a.com:0', callbackBody: 'x' }) }, {}],
    [
      'an upper-case variable',
      { callback: b64({ callbackUrl: 'a.com', callbackBody: 'x' }), 'callback-var': b64({ 'x:A': '1' }) },
      {},
    ],
    [
      'query and header both',
      { callback: b64({ callbackUrl: 'a.com', callbackBody: 'x' }) },
      { 'x-oss-callback': b64({ callbackUrl: 'a.com', callbackBody: 'x' }) },
    ],
  ])('%s', async (_what, query, headers) => {
    const key = `refused/${_what}.txt`;
    const signed = presignUrl({ ...target(), key, method: 'PUT', query, headers });
    const response = await send(signed.url, {
      method: 'PUT',
      headers: signed.headers,
      body: Buffer.from('no'),
    });
    expect([response.status, response.code]).toEqual([400, 'InvalidArgument']);
    expect(oss.getObject(BUCKET, key)).toBeUndefined();
  });

  it('PostObject with a callback field OSS refuses', async () => {
    const policy = createPostPolicy({ ...target(), key: 'refused/form.txt', contentLengthRange: [0, 10] });
    const form = new FormData();
    for (const [name, value] of Object.entries(policy.fields)) form.append(name, value);
    form.append('callback', b64({ callbackUrl: `${app.origin}/`, callbackBody: '${Object}' }));
    form.append('file', new Blob(['x']), 'x.txt');
    const response = await fetch(policy.url, { method: 'POST', body: form });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(
      /<Code>InvalidArgument<\/Code>[\s\S]*<ArgumentName>callback<\/ArgumentName>/,
    );
    expect(oss.getObject(BUCKET, 'refused/form.txt')).toBeUndefined();
    expect(app.received).toEqual([]);
  });
});

describe('verifyOssCallback against forged callbacks', () => {
  it("a callback signed with the forger's key and naming the forger's key URL: refused, nothing fetched", async () => {
    const keyServer = await countingServer((_req, res) => res.end('not fetched'));
    try {
      const attacker = generateKeyPairSync('rsa', { modulusLength: 1024 });
      const privateKey = attacker.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const body = 'object=forged.txt';
      const refusal = await rejection<{ code: string }>(
        verifyOssCallback(
          {
            url: '/oss-callback',
            headers: {
              authorization: signCallback(privateKey, '/oss-callback', body),
              'x-oss-pub-key-url': Buffer.from(`${keyServer.origin}/key.pem`).toString('base64'),
            },
            body,
          },
          { allowedKeyUrls: [`${oss.url}/`] },
        ),
      );
      expect(refusal.code).toBe('CALLBACK_KEY_NOT_TRUSTED');
      expect(keyServer.hits).toEqual([]);
    } finally {
      await keyServer.close();
    }
  });
});

describe('closing the endpoint', () => {
  it('ends the callbacks in flight', async () => {
    const local = await createLocalOss();
    const silent = await countingServer(() => {});
    try {
      const signed = presignUrl({
        bucket: BUCKET,
        region: local.region,
        endpoint: local.url,
        credentials: local.credentials,
        key: 'k.txt',
        method: 'PUT',
        callback: { url: `${silent.origin}/cb`, body: 'o=${object}' },
      });
      const upload = send(signed.url, {
        method: 'PUT',
        headers: signed.headers,
        body: Buffer.from('c'),
      }).catch((error: Error) => error);
      await expect.poll(() => silent.hits).toEqual(['/cb']);
      const started = Date.now();
      await local.close();
      expect(Date.now() - started).toBeLessThan(1000);
      expect(await upload).toBeInstanceOf(Error);
    } finally {
      await silent.close();
    }
  });
});
