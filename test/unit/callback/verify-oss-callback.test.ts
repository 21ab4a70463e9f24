import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  type MockInstance,
  vi,
} from 'vitest';
import {
  OssSignError,
  type RawCallbackRequest,
  type VerifyOssCallbackOptions,
  verifyOssCallback,
} from '../../../src/index.js';
import { base64, type CountingServer, countingServer, rsaKey, signCallback } from '../../support/callback.js';

const key = rsaKey();
const otherKey = rsaKey();
const BODY = 'bucket=examplebucket&object=photos%2Fcat.jpg&size=1024&uid=42';
const FORM = 'application/x-www-form-urlencoded';

/** A callback as OSS sends it to `target`, signed with `privateKey`. */
function callback(
  target: string,
  body: string = BODY,
  extra: Record<string, string> = {},
  privateKey = key.privateKey,
): RawCallbackRequest & { headers: Record<string, string> } {
  return {
    url: target,
    headers: { 'content-type': FORM, authorization: signCallback(privateKey, target, body), ...extra },
    body,
  };
}

async function rejection(promise: Promise<unknown>): Promise<OssSignError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OssSignError);
  return error as OssSignError;
}

const pinned: VerifyOssCallbackOptions = { publicKey: key.publicKey };

describe('verifyOssCallback with a pinned key', () => {
  it('resolves the body and its form params', async () => {
    const result = await verifyOssCallback(callback('/oss-callback?id=1&index=2'), pinned);
    expect(result).toEqual({
      body: BODY,
      params: { bucket: 'examplebucket', object: 'photos/cat.jpg', size: '1024', uid: '42' },
    });
  });

  it('takes a Fetch Request (absolute URL, Headers, body stream) and parses JSON', async () => {
    const body = JSON.stringify({ object: 'a b.jpg', size: 5, uid: '42' });
    const request = new Request('https://app.example.com/cb/json?sig=abc', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        authorization: signCallback(key.privateKey, '/cb/json?sig=abc', body),
      },
      body,
    });
    expect(await verifyOssCallback(request, pinned)).toEqual({ body, params: JSON.parse(body) });
  });

  it('takes the body as a Buffer or Uint8Array, headers as Headers or any-case record with arrays', async () => {
    const signed = callback('/cb');
    const authorization = signed.headers.authorization as string;
    for (const request of [
      { ...signed, body: Buffer.from(BODY) },
      { ...signed, body: new TextEncoder().encode(BODY) },
      { ...signed, headers: new Headers({ Authorization: authorization }) },
      { ...signed, headers: { AUTHORIZATION: [authorization], 'Content-Type': undefined } },
    ]) {
      expect((await verifyOssCallback(request, pinned)).body).toBe(BODY);
    }
  });

  it('an absolute URL in `url` is taken for its path and query', async () => {
    const signed = callback('/cb?x=1');
    expect((await verifyOssCallback({ ...signed, url: 'http://10.0.0.5:8080/cb?x=1' }, pinned)).body).toBe(
      BODY,
    );
  });

  it('the path is URL-decoded (to bytes, as OSS decodes it), the query is taken as sent', async () => {
    for (const target of [
      '/回调/%E4%B8%AD%E6%96%87?name=%E4%B8%AD&x=a+b',
      '/a+b/c%2Fd?q=%2F',
      '/%7Euser/cb',
    ]) {
      const encoded = target.replace('/回调', '/%E5%9B%9E%E8%B0%83');
      expect((await verifyOssCallback(callback(encoded), pinned)).body).toBe(BODY);
    }
    // %FF is not UTF-8: decodeURIComponent would throw; OSS decodes it to the byte 0xFF.
    const body = 'x=1';
    const signed = Buffer.concat([
      Buffer.from('/bin/'),
      Buffer.from([0xff]),
      Buffer.from('\n'),
      Buffer.from(body),
    ]);
    const { sign } = await import('node:crypto');
    const authorization = sign('RSA-MD5', signed, key.privateKey).toString('base64');
    expect(
      (await verifyOssCallback({ url: '/bin/%FF', headers: { authorization }, body }, pinned)).body,
    ).toBe(body);
  });

  it('a proxy that rewrote the path: options.path gives the path (and query) OSS called', async () => {
    const signed = callback('/api/oss-callback?token=t1');
    const rewritten = { ...signed, url: '/oss-callback?token=t1' };
    const error = await rejection(verifyOssCallback(rewritten, pinned));
    expect(error.code).toBe('CALLBACK_SIGNATURE_INVALID');
    expect(error.message).toContain('options.path');
    expect(error.message).not.toContain('token=t1');
    expect((await verifyOssCallback(rewritten, { ...pinned, path: '/api/oss-callback' })).body).toBe(BODY);
    const requery = { ...signed, url: '/oss-callback?other=1' };
    expect((await verifyOssCallback(requery, { ...pinned, path: '/api/oss-callback?token=t1' })).body).toBe(
      BODY,
    );
  });

  it('the pinned key alone decides: an x-oss-pub-key-url header is not read', async () => {
    const request = callback('/cb', BODY, {
      'x-oss-pub-key-url': base64('https://evil.example.com/key.pem'),
    });
    expect((await verifyOssCallback(request, pinned)).body).toBe(BODY);
  });
});

describe('verifyOssCallback refuses what OSS did not sign (CALLBACK_SIGNATURE_INVALID)', () => {
  const target = '/oss-callback?id=1&index=2';
  const signed = callback(target);
  const authorization = signed.headers.authorization as string;
  const flip = (text: string, at: number) =>
    `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;

  it.each([
    ['a changed byte of the body', { ...signed, body: BODY.replace('42', '43') }],
    ['a byte added to the body', { ...signed, body: `${BODY}&` }],
    ['a changed byte of the path', { ...signed, url: target.replace('callback', 'callbacc') }],
    ['a changed byte of the query', { ...signed, url: target.replace('index=2', 'index=3') }],
    ['a query dropped', { ...signed, url: '/oss-callback' }],
    ['a changed byte of the signature', { ...signed, headers: { authorization: flip(authorization, 10) } }],
    ['a signature by another key', callback(target, BODY, {}, otherKey.privateKey)],
    ['no authorization header', { ...signed, headers: {} }],
    ['an authorization that is not base64', { ...signed, headers: { authorization: 'OSS abc:def' } }],
    ['two authorization headers', { ...signed, headers: { authorization: [authorization, authorization] } }],
  ])('%s', async (_, request) => {
    expect((await rejection(verifyOssCallback(request as RawCallbackRequest, pinned))).code).toBe(
      'CALLBACK_SIGNATURE_INVALID',
    );
  });

  it("OSS's bundled key does not verify someone else's signature", async () => {
    const request = callback(target, BODY, {
      'x-oss-pub-key-url': base64('https://gosspublic.alicdn.com/callback_pub_key_v1.pem'),
    });
    expect((await rejection(verifyOssCallback(request))).code).toBe('CALLBACK_SIGNATURE_INVALID');
  });
});

describe('key URLs: the allow-list decides before any request', () => {
  let server: CountingServer;
  let fetchSpy: MockInstance<typeof fetch>;
  const routes: Record<string, (response: import('node:http').ServerResponse) => void> = {
    '/keys/good.pem': (response) => response.end(key.publicKey),
    '/keys/missing.pem': (response) => response.writeHead(404).end('no'),
    '/keys/redirect.pem': (response) => response.writeHead(302, { location: '/keys/good.pem' }).end(),
    '/keys/slow.pem': () => {},
    '/keys/huge.pem': (response) => response.end(`${key.publicKey}${' '.repeat(20_000)}`),
    '/keys/garbage.pem': (response) => response.end('not a key'),
    '/keys/private.pem': (response) => response.end(key.privateKey),
    '/evil.pem': (response) => response.end(otherKey.publicKey),
  };

  beforeAll(async () => {
    server = await countingServer((request, response) => {
      const route = routes[(request.url ?? '').split('?')[0] ?? ''];
      if (route) route(response);
      else response.writeHead(404).end();
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    fetchSpy = vi.spyOn(globalThis, 'fetch');
  });
  afterEach(() => fetchSpy.mockRestore());

  /** A callback naming `keyUrl`, signed with the key served at /keys/good.pem. */
  const naming = (keyUrl: string) => callback('/cb', BODY, { 'x-oss-pub-key-url': base64(keyUrl) });
  const allowLocal = () => ({ allowedKeyUrls: [`${server.origin}/keys/`] });

  it.each([
    ['another host', 'https://evil.example.com/callback_pub_key_v1.pem'],
    [
      "OSS's host name as a prefix of another",
      'https://gosspublic.alicdn.com.evil.example/callback_pub_key_v1.pem',
    ],
    ["OSS's host name in the path", 'https://evil.example/gosspublic.alicdn.com/callback_pub_key_v1.pem'],
    ["OSS's host name as a user name", 'https://gosspublic.alicdn.com@evil.example/callback_pub_key_v1.pem'],
    ["OSS's host on another port", 'https://gosspublic.alicdn.com:8443/callback_pub_key_v1.pem'],
    ["OSS's host over http on another port", 'http://gosspublic.alicdn.com:8080/callback_pub_key_v1.pem'],
    ['a file URL', 'file:///etc/passwd'],
    ['not a URL', 'gosspublic.alicdn.com/callback_pub_key_v1.pem'],
  ])('%s -> CALLBACK_KEY_NOT_TRUSTED, no request', async (_, keyUrl) => {
    const error = await rejection(verifyOssCallback(naming(keyUrl)));
    expect(error.code).toBe('CALLBACK_KEY_NOT_TRUSTED');
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('a header that is not base64, or not of text -> CALLBACK_KEY_NOT_TRUSTED, no request', async () => {
    for (const header of [
      '%%%',
      'aHR0cHM6Ly9ldmlsLmV4YW1wbGU',
      Buffer.from([0xff, 0xfe, 0x00]).toString('base64'),
    ]) {
      const request = callback('/cb', BODY, { 'x-oss-pub-key-url': header });
      expect((await rejection(verifyOssCallback(request))).code).toBe('CALLBACK_KEY_NOT_TRUSTED');
    }
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('a local key server off the list is never contacted (the server counts zero hits)', async () => {
    const request = naming(`${server.origin}/evil.pem`);
    expect((await rejection(verifyOssCallback(request))).code).toBe('CALLBACK_KEY_NOT_TRUSTED');
    expect((await rejection(verifyOssCallback(request, allowLocal()))).code).toBe('CALLBACK_KEY_NOT_TRUSTED');
    const secureOnly = { allowedKeyUrls: [`${server.origin.replace('http:', 'https:')}/`] };
    expect((await rejection(verifyOssCallback(request, secureOnly))).code).toBe('CALLBACK_KEY_NOT_TRUSTED');
    expect(server.hits.filter((hit) => hit.startsWith('/evil'))).toEqual([]);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('an allow-listed key is fetched once, then served from the cache', async () => {
    const request = naming(`${server.origin}/keys/good.pem?case=cache`);
    const before = server.hits.length;
    const results = await Promise.all([1, 2, 3].map(() => verifyOssCallback(request, allowLocal())));
    expect(results.map((result) => result.body)).toEqual([BODY, BODY, BODY]);
    await verifyOssCallback(request, allowLocal());
    expect(server.hits.slice(before)).toEqual(['/keys/good.pem?case=cache']);
  });

  it('an allow-listed key verifies only its own signatures', async () => {
    const forged = callback(
      '/cb',
      BODY,
      { 'x-oss-pub-key-url': base64(`${server.origin}/keys/good.pem?case=forged`) },
      otherKey.privateKey,
    );
    expect((await rejection(verifyOssCallback(forged, allowLocal()))).code).toBe(
      'CALLBACK_SIGNATURE_INVALID',
    );
  });

  it.each([
    ['missing.pem', 'HTTP 404'],
    ['redirect.pem', 'request failed'],
    ['huge.pem', 'over'],
    ['garbage.pem', 'not a PEM RSA public key'],
    ['private.pem', 'not a PEM RSA public key'],
  ])('%s -> CALLBACK_KEY_FETCH_FAILED', async (name, reason) => {
    const error = await rejection(verifyOssCallback(naming(`${server.origin}/keys/${name}`), allowLocal()));
    expect(error.code).toBe('CALLBACK_KEY_FETCH_FAILED');
    expect(error.message).toContain(reason);
  });

  it('a key server that does not answer -> CALLBACK_KEY_FETCH_FAILED after fetchTimeoutMs', async () => {
    const started = Date.now();
    const request = naming(`${server.origin}/keys/slow.pem`);
    const error = await rejection(verifyOssCallback(request, { ...allowLocal(), fetchTimeoutMs: 150 }));
    expect(error.code).toBe('CALLBACK_KEY_FETCH_FAILED');
    expect(error.message).toContain('150 ms');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a failure is remembered briefly: a flood of callbacks is not a flood of fetches', async () => {
    const request = naming(`${server.origin}/keys/missing.pem?case=flood`);
    for (let i = 0; i < 5; i++) {
      expect((await rejection(verifyOssCallback(request, allowLocal()))).code).toBe(
        'CALLBACK_KEY_FETCH_FAILED',
      );
    }
    expect(server.hits.filter((hit) => hit === '/keys/missing.pem?case=flood')).toHaveLength(1);
  });

  it("OSS's key URL, http or https, is the bundled key: no request", async () => {
    // Signed by a test key, so the bundled key refuses it, but only after deciding without a request.
    for (const keyUrl of [
      'https://gosspublic.alicdn.com/callback_pub_key_v1.pem',
      'http://gosspublic.alicdn.com/callback_pub_key_v1.pem',
    ]) {
      expect((await rejection(verifyOssCallback(naming(keyUrl)))).code).toBe('CALLBACK_SIGNATURE_INVALID');
      expect((await rejection(verifyOssCallback(naming(keyUrl), { allowedKeyUrls: [] }))).code).toBe(
        'CALLBACK_SIGNATURE_INVALID',
      );
    }
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it("another key on OSS's host is fetched over https, even when named over http", async () => {
    fetchSpy.mockImplementation(async () => new Response(key.publicKey));
    const request = naming('http://gosspublic.alicdn.com/callback_pub_key_v2.pem');
    expect((await verifyOssCallback(request)).body).toBe(BODY);
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(fetchSpy.mock.calls[0]?.[0]).toBe('https://gosspublic.alicdn.com/callback_pub_key_v2.pem');
    expect(fetchSpy.mock.calls[0]?.[1]).toMatchObject({ redirect: 'error' });
  });

  it('no allow-list entries: only the bundled key', async () => {
    const request = naming('https://gosspublic.alicdn.com/callback_pub_key_v3.pem');
    expect((await rejection(verifyOssCallback(request, { allowedKeyUrls: [] }))).code).toBe(
      'CALLBACK_KEY_NOT_TRUSTED',
    );
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

describe('verifyOssCallback: bad arguments are INVALID_ARGUMENT', () => {
  const signed = callback('/cb');

  it.each([
    ['publicKey not a PEM', { publicKey: 'not a pem' }, 'publicKey'],
    ['publicKey a private key', { publicKey: otherKey.privateKey }, 'publicKey'],
    ['publicKey a number', { publicKey: 42 }, 'publicKey'],
    ['allowedKeyUrls a string', { allowedKeyUrls: 'https://gosspublic.alicdn.com/' }, 'allowedKeyUrls'],
    ['allowedKeyUrls ftp', { allowedKeyUrls: ['ftp://keys.example.com/'] }, 'allowedKeyUrls[0]'],
    [
      'allowedKeyUrls with a query',
      { allowedKeyUrls: ['https://keys.example.com/?v=1'] },
      'allowedKeyUrls[0]',
    ],
    [
      'allowedKeyUrls with a user',
      { allowedKeyUrls: ['https://user@keys.example.com/'] },
      'allowedKeyUrls[0]',
    ],
    ['allowedKeyUrls not absolute', { allowedKeyUrls: ['keys.example.com'] }, 'allowedKeyUrls[0]'],
    ['fetchTimeoutMs 0', { fetchTimeoutMs: 0 }, 'fetchTimeoutMs'],
    ['fetchTimeoutMs 1.5', { fetchTimeoutMs: 1.5 }, 'fetchTimeoutMs'],
    ['fetchTimeoutMs a string', { fetchTimeoutMs: '100' }, 'fetchTimeoutMs'],
    ['path without a slash', { path: 'cb' }, 'path'],
    ['path a number', { path: 7 }, 'path'],
    ['a misspelt option', { allowedKeyURLs: [] }, 'allowedKeyURLs'],
    ['options not an object', 'strict', 'options'],
  ])('%s', async (_, options, argument) => {
    const error = await rejection(verifyOssCallback(signed, options as VerifyOssCallbackOptions));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain(argument);
  });

  it.each([
    ['null', null, 'Fetch Request'],
    ['a string', 'POST /cb', 'Fetch Request'],
    ['no url', { ...signed, url: undefined }, 'request.url'],
    ['a relative url', { ...signed, url: 'cb?x=1' }, 'request.url'],
    ['a parsed body', { ...signed, body: { bucket: 'examplebucket' } }, 'body parser'],
    ['no body', { ...signed, body: undefined }, 'raw body'],
    ['headers a string', { ...signed, headers: 'authorization: x' }, 'request.headers'],
    ['a header a number', { ...signed, headers: { authorization: 5 } }, 'request.headers'],
  ])('request with %s', async (_, request, words) => {
    const error = await rejection(verifyOssCallback(request as RawCallbackRequest, pinned));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain(words);
  });

  it('a Fetch Request whose body was already read', async () => {
    const request = new Request('http://app/cb', { method: 'POST', body: BODY });
    await request.text();
    const error = await rejection(verifyOssCallback(request, pinned));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('clone');
  });
});

describe('params follow the Content-Type', () => {
  const withType = (contentType: string | undefined, body: string) => {
    const request = callback('/cb', body);
    const headers = { ...(request.headers as Record<string, string>) };
    if (contentType === undefined) delete headers['content-type'];
    else headers['content-type'] = contentType;
    return verifyOssCallback({ ...request, headers }, pinned);
  };

  it('form: names sent twice give arrays; __proto__ stays a field', async () => {
    const { params } = await withType(`${FORM}; charset=utf-8`, 'a=1&a=2&b=x+y%21&__proto__=p');
    expect(params).toEqual({ a: ['1', '2'], b: 'x y!', ['__proto__']: 'p' });
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).p).toBeUndefined();
  });

  it('JSON, any case of the type', async () => {
    expect((await withType('Application/JSON', '{"size":5}')).params).toEqual({ size: 5 });
  });

  it('JSON that does not parse: CALLBACK_BODY_INVALID (after the signature held)', async () => {
    const error = await rejection(withType('application/json', '{"object":""a.jpg""}'));
    expect(error.code).toBe('CALLBACK_BODY_INVALID');
    expect(error.message).toContain('{"object":${object}}');
  });

  it('another or no type: params undefined, the body as sent', async () => {
    expect(await withType('text/plain', 'hello')).toEqual({ body: 'hello', params: undefined });
    expect(await withType(undefined, 'hello')).toEqual({ body: 'hello', params: undefined });
  });
});
