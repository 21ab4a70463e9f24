// The official callback vectors: the callback parameters the v2 SDK helpers write (createCallback) and
// callbacks signed by OSS itself (verifyOssCallback, with the bundled key and no network).
import { verify as rsaVerify } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { OSS_PUBLIC_KEY } from '../../src/callback/oss-public-key.js';
import { callbackStringToVerify } from '../../src/callback/string-to-verify.js';
import { type CallbackOptions, createCallback, verifyOssCallback } from '../../src/index.js';
import { expectSignError } from '../support/errors.js';
import {
  callbackParamCase,
  decodeJson,
  paramVectors,
  verifyVectors,
  withoutDefaults,
} from './callback-vectors.js';

function expectRefused(fn: () => unknown, argument: string): void {
  expectSignError(fn, 'INVALID_CALLBACK', argument);
}

describe('callback-param vectors: createCallback writes the JSON of the official helpers', () => {
  it('has the 7 vectors', () => {
    expect(paramVectors).toHaveLength(7);
  });

  for (const vector of paramVectors) {
    it(vector.id, () => {
      expect(decodeJson(vector.expected.base64)).toEqual(JSON.parse(vector.input.json));
      const call = callbackParamCase(vector);
      if (call.parameter === 'callbackVar') {
        expect(createCallback(call.options).callbackVar).toBe(call.base64);
        return;
      }
      if (call.missing.includes('url')) {
        expectRefused(() => createCallback(call.given as CallbackOptions), 'url');
        expectRefused(
          () => createCallback({ ...call.given, body: call.options.body } as CallbackOptions),
          'url',
        );
      } else if (call.missing.includes('body')) {
        expectRefused(() => createCallback(call.given as CallbackOptions), 'body');
      }
      const { callback, callbackVar } = createCallback(call.options);
      expect(callbackVar).toBeUndefined();
      expect(withoutDefaults(decodeJson(callback))).toEqual(withoutDefaults(call.json));
      // Where the vector's key order is createCallback's, the bytes are the official helper's too.
      if (call.base64 !== undefined) expect(callback).toBe(call.base64);
    });
  }

  it('compared byte for byte where the key order allows (the check above is not vacuous)', () => {
    const exact = paramVectors.filter((v) => {
      const call = callbackParamCase(v);
      return call.parameter === 'callback' && call.base64 !== undefined;
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
