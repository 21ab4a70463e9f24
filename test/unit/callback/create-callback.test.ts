import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CallbackOptions, createCallback, OssSignError } from '../../../src/index.js';
import { expectSignError } from '../../support/errors.js';

const URL_A = 'https://app.example.com/oss-callback';
const BODY = 'bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&uid=${x:uid}';
const base: CallbackOptions = { url: URL_A, body: BODY };

const decode = (base64: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));

/** Runs `fn` expecting INVALID_CALLBACK with a message containing each of `words`. */
function expectInvalid(fn: () => unknown, ...words: string[]): OssSignError {
  const error = expectSignError(fn, 'INVALID_CALLBACK');
  for (const word of words) expect(error.message).toContain(word);
  return error;
}

describe('createCallback writes what OSS reads', () => {
  it('url and body, nothing else unless given', () => {
    const result = createCallback(base);
    expect(result).toEqual({ callback: expect.any(String) });
    expect(Object.keys(result)).toEqual(['callback']);
    expect(decode(result.callback)).toEqual({ callbackUrl: URL_A, callbackBody: BODY });
  });

  it('host, bodyType, sni and vars', () => {
    const result = createCallback({
      url: URL_A,
      body: '{"object":${object},"uid":${x:uid}}',
      bodyType: 'application/json',
      host: 'app.example.com:8443',
      sni: true,
      vars: { uid: '42', order_id: 'A-7' },
    });
    expect(decode(result.callback)).toEqual({
      callbackUrl: URL_A,
      callbackHost: 'app.example.com:8443',
      callbackBody: '{"object":${object},"uid":${x:uid}}',
      callbackBodyType: 'application/json',
      callbackSNI: true,
    });
    expect(result.callbackVar && decode(result.callbackVar)).toEqual({ 'x:uid': '42', 'x:order_id': 'A-7' });
  });

  it('explicit undefined is the same as absent', () => {
    const result = createCallback({
      ...base,
      host: undefined,
      bodyType: undefined,
      sni: undefined,
      vars: undefined,
    });
    expect(result).toEqual(createCallback(base));
  });

  it('no variables, no callbackVar', () => {
    expect(createCallback({ ...base, vars: {} })).toEqual(createCallback(base));
  });

  it('UTF-8 text in body and vars survives base64', () => {
    const result = createCallback({ ...base, body: '名前=${x:name}&emoji=😀', vars: { name: '张三 😀' } });
    expect(decode(result.callback).callbackBody).toBe('名前=${x:name}&emoji=😀');
    expect(result.callbackVar && decode(result.callbackVar)).toEqual({ 'x:name': '张三 😀' });
  });

  it('up to 5 URLs, joined by ";" as OSS splits them', () => {
    const urls = [1, 2, 3, 4, 5].map((n) => `https://cb${n}.example.com/x`);
    expect(decode(createCallback({ ...base, url: urls }).callback).callbackUrl).toBe(urls.join(';'));
    expect(decode(createCallback({ ...base, url: urls.join(';') }).callback).callbackUrl).toBe(
      urls.join(';'),
    );
  });

  it("the OSS docs' encoding example: non-ASCII path and query percent-encoded (UTF-8)", () => {
    const url = 'https://example.com/中文.php?key=value&中文名称=中文值';
    expect(decode(createCallback({ ...base, url }).callback).callbackUrl).toBe(
      'https://example.com/%E4%B8%AD%E6%96%87.php?key=value&%E4%B8%AD%E6%96%87%E5%90%8D%E7%A7%B0=%E4%B8%AD%E6%96%87%E5%80%BC',
    );
  });

  it('existing escapes are kept, spaces and characters a request line cannot carry are escaped', () => {
    const url = 'http://example.com/a%20b/c d?q={x}|"y"&t=%E4%B8%AD';
    expect(decode(createCallback({ ...base, url }).callback).callbackUrl).toBe(
      'http://example.com/a%20b/c%20d?q=%7Bx%7D%7C%22y%22&t=%E4%B8%AD',
    );
  });

  it.each([
    ['oss-demo.aliyuncs.com:23450'],
    ['121.43.113.8:23456/index.html'],
    ['HTTPS://Example.COM'],
    ['http://127.0.0.1:9000/cb'],
    ['https://under_score.example.com/'],
  ])('accepts %s as written (a URL without a scheme is what OSS calls over http)', (url) => {
    expect(decode(createCallback({ ...base, url }).callback).callbackUrl).toBe(url);
  });

  it('every system variable and lower-case custom names', () => {
    const body = [
      'bucket',
      'object',
      'etag',
      'size',
      'mimeType',
      'imageInfo.height',
      'imageInfo.width',
      'imageInfo.format',
      'crc64',
      'contentMd5',
      'vpcId',
      'clientIp',
      'reqId',
      'operation',
      'x:a',
      'x:my_var-1.b',
    ]
      .map((name) => `${name}=\${${name}}`)
      .join('&');
    expect(decode(createCallback({ ...base, body }).callback).callbackBody).toBe(body);
  });

  it('a lone "$", "{" or "}" is text', () => {
    const body = 'price=$5&set={a}&x=}&y=$&object=${object}';
    expect(decode(createCallback({ ...base, body }).callback).callbackBody).toBe(body);
  });

  it('the callback and callback-var values may be 5 KB (5120 base64 characters), not more', () => {
    const overhead = JSON.stringify({ callbackUrl: URL_A, callbackBody: '' }).length;
    const body = 'a'.repeat(3840 - overhead); // JSON of 3840 bytes -> 5120 base64 characters
    expect(createCallback({ ...base, body }).callback).toHaveLength(5120);
    expectInvalid(() => createCallback({ ...base, body: `${body}a` }), '5120', 'callback');

    const varOverhead = JSON.stringify({ 'x:v': '' }).length;
    const value = 'b'.repeat(3840 - varOverhead);
    expect(createCallback({ ...base, vars: { v: value } }).callbackVar).toHaveLength(5120);
    expectInvalid(() => createCallback({ ...base, vars: { v: `${value}b` } }), '5120', 'callback-var');
  });
});

describe('createCallback refuses what OSS refuses (INVALID_CALLBACK, naming the argument)', () => {
  it.each([
    [{ body: BODY }, 'url'],
    [{ url: URL_A }, 'body'],
    [{ url: URL_A, body: '' }, 'body'],
    [{ url: [], body: BODY }, 'url'],
    [{ url: '', body: BODY }, 'url'],
  ])('missing or empty: %j', (options, argument) => {
    expectInvalid(() => createCallback(options as CallbackOptions), argument);
  });

  it('more than 5 URLs, however they are written', () => {
    const six = [1, 2, 3, 4, 5, 6].map((n) => `https://cb${n}.example.com/`);
    expectInvalid(() => createCallback({ ...base, url: six }), '6 URLs', '5');
    expectInvalid(() => createCallback({ ...base, url: six.join(';') }), '6 URLs');
    expectInvalid(
      () => createCallback({ ...base, url: [six.slice(0, 3).join(';'), ...six.slice(3)] }),
      '6 URLs',
    );
  });

  it.each([
    ['https://a.example.com/;', 'empty'],
    ['ftp://files.example.com/', 'http or https'],
    ['https://', 'host'],
    ['https:///path', 'host'],
    ['https://a.example.com:0/', 'port'],
    ['https://a.example.com:65536/', 'port'],
    ['https://a.example.com:test/', 'port'],
    ['www.callback-example.com:test', 'port'],
    ['https://a.example.com:/', 'port'],
    ['https://[::1]/cb', 'IPv6'],
    ['https://[2001:db8::1]:8080/cb', 'IPv6'],
    ['2001:db8::1/cb', 'IPv6'],
    ['https://user:pass@a.example.com/', 'password'],
    ['https://a.example.com/cb#top', 'fragment'],
    ['https://a.example.com/100%', '%XX'],
    ['https://a.example.com/%zz', '%XX'],
    ['https://a.example.com/a\nb', 'control'],
    ['https://a.exa mple.com/', 'host'],
    ['https://bücher.example/', 'xn--'],
    ['https://a.example.com/\uD800', 'surrogate'],
  ])('url %j', (url, word) => {
    expectInvalid(() => createCallback({ ...base, url }), 'callback.url', word);
  });

  it('names the item of a URL list', () => {
    expectInvalid(() => createCallback({ ...base, url: [URL_A, 'ftp://x'] }), 'callback.url[1]');
    expectInvalid(() => createCallback({ ...base, url: [URL_A, 7 as unknown as string] }), 'callback.url[1]');
  });

  it.each([
    ['object=${object', "closing '}'"],
    ['a=${}', 'unknown variable'],
    ['a=${Bucket}', 'unknown variable'],
    ['a=${bucket_name}', 'unknown variable'],
    ['a=${imageInfo}', 'unknown variable'],
    ['a=${ bucket }', 'unknown variable'],
    ['a=${X:uid}', 'unknown variable'],
    ['a=${x:UID}', 'lower-case'],
    ['a=${x:}', 'lower-case'],
    ['a=${x:my var}', 'lower-case'],
    ['key=$(object)', '${object}'],
    ['v=$(x:my_var)', '${x:my_var}'],
    ['a=\uDC00', 'surrogate'],
  ])('body %j', (body, word) => {
    expectInvalid(() => createCallback({ ...base, body }), 'callback.body', word);
  });

  it.each([['application/xml'], ['APPLICATION/JSON'], ['application/json; charset=utf-8'], [''], [1]])(
    'bodyType %j',
    (bodyType) => {
      expectInvalid(
        () => createCallback({ ...base, bodyType: bodyType as 'application/json' }),
        'callback.bodyType',
      );
    },
  );

  it.each([[''], ['[::1]'], ['a b.example.com'], ['a.example.com:99999'], ['a.example.com/path'], [42]])(
    'host %j',
    (host) => {
      expectInvalid(() => createCallback({ ...base, host: host as string }), 'callback.host');
    },
  );

  it.each([['true'], [1], [null]])('sni %j', (sni) => {
    expectInvalid(() => createCallback({ ...base, sni: sni as unknown as boolean }), 'callback.sni');
  });

  it.each([
    [{ UID: '1' }, 'lower-case'],
    [{ 'x:uid': '1' }, "'x:' is added for you"],
    [{ 'my var': '1' }, 'lower-case'],
    [{ '': '1' }, 'lower-case'],
    [{ uid: 1 }, 'must be a string'],
    [{ uid: 10n }, '10n'],
    [{ uid: null }, 'must be a string'],
    [{ uid: '\uD800' }, 'surrogate'],
  ])('vars %s', (vars, word) => {
    expectInvalid(
      () => createCallback({ ...base, vars: vars as unknown as Record<string, string> }),
      'callback.vars',
      word,
    );
  });

  it('vars that are not an object', () => {
    for (const vars of [null, 'uid=1', ['1'], 3]) {
      expectInvalid(
        () => createCallback({ ...base, vars: vars as unknown as Record<string, string> }),
        'callback.vars',
      );
    }
  });

  it("other SDKs' option names are refused with the name to use", () => {
    expectInvalid(
      () => createCallback({ ...base, contentType: 'application/json' } as CallbackOptions),
      'bodyType',
    );
    expectInvalid(() => createCallback({ ...base, customValue: { uid: '1' } } as CallbackOptions), 'vars');
    expectInvalid(() => createCallback({ ...base, callbackUrl: URL_A } as CallbackOptions), 'url');
    expectInvalid(() => createCallback({ ...base, bogus: 1 } as CallbackOptions), 'bogus');
  });
});

describe('createCallback: any input works or throws OssSignError', () => {
  it.each([[undefined], [null], ['https://x'], [[URL_A, BODY]], [42], [10n], [Symbol('s')], [() => base]])(
    'options %s',
    (options) => {
      expectInvalid(() => createCallback(options as unknown as CallbackOptions), 'callback');
    },
  );

  it('a null-prototype options object works', () => {
    const options = Object.assign(Object.create(null), base) as CallbackOptions;
    expect(createCallback(options)).toEqual(createCallback(base));
  });

  it('reads only own enumerable properties, each once', () => {
    const inherited = Object.create({ url: URL_A, body: BODY, bogus: 'never read' }) as CallbackOptions;
    expectInvalid(() => createCallback(inherited), 'url');

    const hidden = { ...base };
    Object.defineProperty(hidden, 'sni', { value: 'not a boolean', enumerable: false });
    expect(createCallback(hidden)).toEqual(createCallback(base));

    let reads = 0;
    const counted = {
      body: BODY,
      get url() {
        reads++;
        return reads === 1 ? URL_A : 'ftp://changed-on-second-read';
      },
    };
    expect(decode(createCallback(counted).callback).callbackUrl).toBe(URL_A);
    expect(reads).toBe(1);
  });

  it('a throwing getter or proxy, a revoked proxy, a circular value', () => {
    const throwing = {
      body: BODY,
      get url(): string {
        throw new TypeError('boom');
      },
    };
    expectInvalid(() => createCallback(throwing), 'could not be read');

    const { proxy, revoke } = Proxy.revocable({ ...base }, {});
    revoke();
    expectInvalid(() => createCallback(proxy), 'callback');

    const throwingArray = new Proxy([URL_A], {
      get(target, key) {
        if (key === '0') throw new Error('boom');
        return Reflect.get(target, key);
      },
    });
    expectInvalid(() => createCallback({ ...base, url: throwingArray }), 'callback.url');

    const revokedUrl = Proxy.revocable([URL_A], {});
    revokedUrl.revoke();
    expectInvalid(() => createCallback({ ...base, url: revokedUrl.proxy }), 'callback.url');

    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expectInvalid(() =>
      createCallback({ ...base, vars: { uid: circular } as unknown as Record<string, string> }),
    );
    expectInvalid(() => createCallback({ ...base, body: circular as unknown as string }), 'callback.body');
  });

  it('fuzzed options (fast-check): a result or an OssSignError, never another error', () => {
    const field = fc.oneof(
      fc.anything(),
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.constantFrom(URL_A, BODY, 'application/json', '${x:uid}', '${', ';', '[::1]'),
    );
    const options = fc.oneof(
      fc.anything(),
      fc.record(
        {
          url: fc.oneof(field, fc.array(field, { maxLength: 7 })),
          body: field,
          bodyType: field,
          host: field,
          sni: field,
          vars: fc.oneof(field, fc.dictionary(fc.string(), field)),
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(options, (input) => {
        try {
          createCallback(input as CallbackOptions);
        } catch (error) {
          if (!(error instanceof OssSignError) || error.code !== 'INVALID_CALLBACK') throw error;
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('createCallback round trip (fast-check)', () => {
  const segment = fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 8 })
    .filter((s) => !/[;#%?/]/.test(s));
  const name = fc.stringMatching(/^[a-z0-9_.-]{1,12}$/);
  const text = fc.string({ unit: 'grapheme', maxLength: 30 });

  it('decoding the parameters gives back the URLs (percent-decoded), body and variables', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(segment, { maxLength: 3 }), { minLength: 1, maxLength: 5 }),
        fc.array(
          fc.oneof(
            text.filter((s) => !s.includes('$')),
            fc.constantFrom('${object}', '${size}'),
          ),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        fc.dictionary(name, text, { maxKeys: 4 }),
        (paths, bodyParts, vars) => {
          const urls = paths.map((parts, index) => `https://cb${index}.example.com/${parts.join('/')}`);
          const body = bodyParts.join('') || 'x';
          const result = createCallback({ url: urls, body, vars });
          const json = decode(result.callback);
          const written = String(json.callbackUrl).split(';');
          expect(written.map(decodeURI)).toEqual(urls);
          for (const url of written) expect(url).toMatch(/^[\x21-\x7e]+$/);
          expect(json.callbackBody).toBe(body);
          const expectedVars = Object.fromEntries(Object.entries(vars).map(([k, v]) => [`x:${k}`, v]));
          expect(result.callbackVar === undefined ? {} : decode(result.callbackVar)).toEqual(expectedVars);
        },
      ),
      { numRuns: 300 },
    );
  });
});
