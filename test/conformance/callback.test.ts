// The official callback vectors: the callback parameters the v2 SDK helpers write (createCallback) and
// callbacks signed by OSS itself (verifyOssCallback, with the bundled key and no network).
import { verify as rsaVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { OSS_PUBLIC_KEY } from '../../src/callback/oss-public-key.js';
import { callbackStringToVerify } from '../../src/callback/string-to-verify.js';
import { type CallbackOptions, createCallback, OssSignError, verifyOssCallback } from '../../src/index.js';

interface VectorMeta {
  id: string;
  source: string;
}
interface CallbackParamVector extends VectorMeta {
  kind: 'callback-param';
  input: { json: string };
  expected: { base64: string };
}
interface CallbackVerifyVector extends VectorMeta {
  kind: 'callback-verify';
  input: {
    public_key_pem: string;
    request_path_raw: string;
    query_string: string;
    body: string;
    authorization: string;
    x_oss_pub_key_url: string;
  };
  expected: {
    valid: true;
    string_to_verify: string;
    pub_key_url_decoded: string;
    negative_case: { valid: false; authorization?: string; string_to_verify?: string };
  };
}
type Vector = CallbackParamVector | CallbackVerifyVector;

const vectors = JSON.parse(
  readFileSync(new URL('./callback-vectors.json', import.meta.url), 'utf8'),
) as Vector[];
const paramVectors = vectors.filter((v): v is CallbackParamVector => v.kind === 'callback-param');
const verifyVectors = vectors.filter((v): v is CallbackVerifyVector => v.kind === 'callback-verify');

const decodeJson = (base64: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));

/** Key order and values OSS assumes when absent are free: compare without the written defaults. */
function withoutDefaults(json: Record<string, unknown>): Record<string, unknown> {
  const { callbackBodyType, callbackSNI, ...rest } = json;
  return {
    ...rest,
    ...(callbackBodyType !== 'application/x-www-form-urlencoded' &&
      callbackBodyType !== undefined && {
        callbackBodyType,
      }),
    ...(callbackSNI === true && { callbackSNI }),
  };
}

/** The vector's JSON fields as createCallback options. */
function optionsOf(json: Record<string, unknown>): Partial<CallbackOptions> {
  const names: Record<string, keyof CallbackOptions> = {
    callbackUrl: 'url',
    callbackHost: 'host',
    callbackBody: 'body',
    callbackBodyType: 'bodyType',
    callbackSNI: 'sni',
  };
  return Object.fromEntries(
    Object.entries(json).map(([field, value]) => {
      const name = names[field];
      if (!name) throw new Error(`no option for the vector field ${field}`);
      return [name, value];
    }),
  );
}

function expectRefused(fn: () => unknown, argument: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(OssSignError);
  expect((caught as OssSignError).code).toBe('INVALID_CALLBACK');
  expect((caught as OssSignError).message).toContain(argument);
}

// What a test adds to a vector that lacks it (OSS refuses a callback without a URL or a body).
const FILL = { url: 'https://app.example.com/oss-callback', body: 'object=${object}&size=${size}' };

describe('callback-param vectors: createCallback writes the JSON of the official helpers', () => {
  it('has the 7 vectors', () => {
    expect(paramVectors).toHaveLength(7);
  });

  for (const vector of paramVectors) {
    it(vector.id, () => {
      const json = JSON.parse(vector.input.json) as Record<string, unknown>;
      expect(decodeJson(vector.expected.base64)).toEqual(json);

      const names = Object.keys(json);
      if (names.length > 0 && names.every((name) => name.startsWith('x:'))) {
        // callback-var: the vars option, each name without its 'x:'.
        const vars = Object.fromEntries(Object.entries(json).map(([name, value]) => [name.slice(2), value]));
        const { callbackVar } = createCallback({ ...FILL, vars: vars as Record<string, string> });
        expect(callbackVar).toBe(vector.expected.base64);
        return;
      }

      const options = optionsOf(json);
      const filled: Record<string, unknown> = {};
      if (options.url === undefined) {
        expectRefused(() => createCallback(options as CallbackOptions), 'url');
        expectRefused(() => createCallback({ ...options, body: FILL.body } as CallbackOptions), 'url');
        filled.callbackUrl = FILL.url;
      }
      if (options.body === undefined) {
        if (options.url !== undefined)
          expectRefused(() => createCallback(options as CallbackOptions), 'body');
        filled.callbackBody = FILL.body;
      }
      const { callback, callbackVar } = createCallback({
        url: FILL.url,
        body: FILL.body,
        ...options,
      } as CallbackOptions);
      expect(callbackVar).toBeUndefined();
      expect(withoutDefaults(decodeJson(callback))).toEqual(withoutDefaults({ ...json, ...filled }));
      // Where the vector's key order is createCallback's, the bytes are the official helper's too.
      const order = ['callbackUrl', 'callbackHost', 'callbackBody', 'callbackBodyType', 'callbackSNI'];
      const keys = Object.keys(json);
      if (Object.keys(filled).length === 0 && keys.join() === order.filter((k) => keys.includes(k)).join()) {
        expect(callback).toBe(vector.expected.base64);
      }
    });
  }

  it('compared byte for byte where the key order allows (the check above is not vacuous)', () => {
    const exact = paramVectors.filter((v) => {
      const json = JSON.parse(v.input.json) as Record<string, unknown>;
      return 'callbackUrl' in json && 'callbackBody' in json && Object.keys(json)[0] === 'callbackUrl';
    });
    expect(exact.map((v) => v.id)).toEqual(['callback-param-full-urlencoded', 'callback-param-json-body']);
  });
});

describe('callback-verify vectors: callbacks signed by OSS', () => {
  let fetchSpy: MockInstance<typeof fetch>;
  beforeEach(() => {
    fetchSpy = vi.spyOn(globalThis, 'fetch');
  });
  afterEach(() => {
    // The bundled key serves every one of them: not a single request.
    expect(fetchSpy).not.toHaveBeenCalled();
    fetchSpy.mockRestore();
  });

  it('has the 2 vectors', () => {
    expect(verifyVectors.map((v) => v.id)).toEqual([
      'callback-verify-real-oss-signature',
      'callback-verify-doc-example',
    ]);
  });

  it('the bundled key is the key these OSS signatures verify with', () => {
    for (const vector of verifyVectors) {
      expect(OSS_PUBLIC_KEY.trim()).toBe(vector.input.public_key_pem.trim());
      expect(Buffer.from(vector.input.x_oss_pub_key_url, 'base64').toString()).toBe(
        vector.expected.pub_key_url_decoded,
      );
    }
  });

  for (const vector of verifyVectors) {
    const { input, expected } = vector;
    const query = input.query_string === '' ? '' : `?${input.query_string}`;
    const request = (
      changes: { path?: string; query?: string; body?: string; authorization?: string } = {},
    ) => ({
      url: `${changes.path ?? input.request_path_raw}${changes.query ?? query}`,
      headers: {
        authorization: changes.authorization ?? input.authorization,
        'x-oss-pub-key-url': input.x_oss_pub_key_url,
      },
      body: changes.body ?? input.body,
    });

    describe(vector.id, () => {
      it('string to verify', () => {
        const bytes = callbackStringToVerify(input.request_path_raw, query, Buffer.from(input.body));
        expect(Buffer.from(bytes).toString()).toBe(expected.string_to_verify);
        // Independently of this library: node:crypto agrees that OSS signed exactly this string.
        const signature = Buffer.from(input.authorization, 'base64');
        expect(
          rsaVerify('RSA-MD5', Buffer.from(expected.string_to_verify), input.public_key_pem, signature),
        ).toBe(true);
      });

      it('verifies with the bundled key (no key given, no network)', async () => {
        const result = await verifyOssCallback(request());
        expect(result.body).toBe(input.body);
      });

      it('verifies with the key pinned by publicKey', async () => {
        const result = await verifyOssCallback(request(), { publicKey: input.public_key_pem });
        expect(result.body).toBe(input.body);
      });

      it('verifies from a Fetch Request', async () => {
        const fetchRequest = new Request(`http://app.example.com${request().url}`, {
          method: 'POST',
          headers: request().headers,
          body: input.body,
        });
        expect((await verifyOssCallback(fetchRequest)).body).toBe(input.body);
      });

      const negatives: [string, Parameters<typeof request>[0]][] = [
        [
          'a changed byte of the body',
          { body: `${input.body.slice(0, -1)}${input.body.endsWith('}') ? ']' : 'x'}` },
        ],
        ['a changed byte of the path', { path: `${input.request_path_raw.slice(0, -1)}_` }],
        ['a query added or changed', { query: query === '' ? '?a=1' : `${query.slice(0, -1)}9` }],
        ['a changed byte of the signature', { authorization: flipFirstChar(input.authorization) }],
      ];
      if (expected.negative_case.authorization) {
        negatives.push([
          'the vector negative signature',
          { authorization: expected.negative_case.authorization },
        ]);
      }
      for (const [name, changes] of negatives) {
        it(`refuses ${name}`, async () => {
          await expect(verifyOssCallback(request(changes))).rejects.toMatchObject({
            code: 'CALLBACK_SIGNATURE_INVALID',
          });
        });
      }

      if (expected.negative_case.string_to_verify) {
        const negative = expected.negative_case.string_to_verify;
        it('the string to verify keeps the leading slash of the path', () => {
          const signature = Buffer.from(input.authorization, 'base64');
          expect(rsaVerify('RSA-MD5', Buffer.from(negative), input.public_key_pem, signature)).toBe(false);
        });
      }
    });
  }
});

describe("the OSS API reference's example callback (issue 10)", () => {
  it('verifies with the bundled key, parses the form body, makes no request', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    try {
      const result = await verifyOssCallback({
        url: '/index.php?id=1&index=2',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          authorization:
            'kKQeGTRccDKyHB3H9vF+xYMSrmhMZjzzl2/kdD1ktNVgbWEfYTQG0G2SU/RaHBovRCE8OkQDjC3uG33esH2txA==',
          'x-oss-pub-key-url': Buffer.from('http://gosspublic.alicdn.com/callback_pub_key_v1.pem').toString(
            'base64',
          ),
        },
        body: 'bucket=yonghu-test',
      });
      expect(result).toEqual({ body: 'bucket=yonghu-test', params: { bucket: 'yonghu-test' } });
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      fetchSpy.mockRestore();
    }
  });
});

function flipFirstChar(base64: string): string {
  return `${base64[0] === 'A' ? 'B' : 'A'}${base64.slice(1)}`;
}
