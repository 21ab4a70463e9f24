// The `callback` option of every upload method: the carrier each one uses, what is signed or pinned, and
// what is refused (a bad callback, two carriers, a callback sent twice).
import { describe, expect, it } from 'vitest';
import {
  type CallbackOptions,
  checkPostPolicy,
  createCallback,
  createPostPolicy,
  createSigner,
  presignMultipart,
  presignUrl,
  signRequest,
} from '../../../src/index.js';
import { expectSignError } from '../../support/errors.js';

const SECRET = 'callback-option-secret-4d3c2b';
const location = { bucket: 'examplebucket', region: 'cn-hangzhou' };
const credentials = { accessKeyId: 'LTAI5tCallbackTest', accessKeySecret: SECRET };
const now = new Date('2026-05-06T07:08:09Z');
const options: CallbackOptions = {
  url: 'https://app.example.com/oss-callback?upload=7f3c',
  body: 'object=${object}&size=${size}&uid=${x:uid}',
  vars: { uid: '42' },
};
const base64 = (text: string) => Buffer.from(text).toString('base64');
const decode = (value: string | null | undefined) =>
  JSON.parse(Buffer.from(value ?? '', 'base64').toString());
/** A callback parameter written by hand, as another SDK would. */
const prebuilt = base64(
  JSON.stringify({ callbackUrl: 'http://10.0.0.1:8080/cb', callbackBody: 'o=${object}' }),
);

function expectRefused(fn: () => unknown, code: string, ...words: string[]): void {
  const { message } = expectSignError(fn, code);
  for (const word of words) expect(message).toContain(word);
  expect(message).not.toContain(SECRET);
}

describe('presignUrl: signed callback and callback-var query parameters', () => {
  it.each(['v4', 'v1'] as const)(
    '%s: the URL is the one with those parameters in query',
    (signatureVersion) => {
      const common = {
        ...location,
        credentials,
        key: 'a.png',
        method: 'PUT' as const,
        now,
        signatureVersion,
      };
      const signed = presignUrl({ ...common, callback: options });
      const { callback, callbackVar } = createCallback(options);
      const params = new URL(signed.url).searchParams;
      expect(decode(params.get('callback'))).toEqual({
        callbackUrl: 'https://app.example.com/oss-callback?upload=7f3c',
        callbackBody: 'object=${object}&size=${size}&uid=${x:uid}',
      });
      expect(decode(params.get('callback-var'))).toEqual({ 'x:uid': '42' });
      expect(signed).toEqual(
        presignUrl({ ...common, query: { callback, 'callback-var': callbackVar as string } }),
      );
    },
  );

  it('a pre-built string is sent as given, its callback-var taken from query', () => {
    const vars = base64('{"x:uid":"7"}');
    const signed = presignUrl({
      ...location,
      credentials,
      key: 'a',
      method: 'PUT',
      now,
      callback: prebuilt,
      query: { 'callback-var': vars },
    });
    const params = new URL(signed.url).searchParams;
    expect(params.get('callback')).toBe(prebuilt);
    expect(params.get('callback-var')).toBe(vars);
  });

  it('refuses a callback given twice or in two carriers, and with GET', () => {
    const common = { ...location, credentials, key: 'a', method: 'PUT' as const, callback: options };
    expectRefused(() => presignUrl({ ...common, query: { callback: prebuilt } }), 'INVALID_CALLBACK', 'once');
    expectRefused(
      () => presignUrl({ ...common, query: { 'callback-var': base64('{"x:uid":"1"}') } }),
      'INVALID_CALLBACK',
      'callback.vars',
    );
    expectRefused(
      () => presignUrl({ ...common, headers: { 'X-OSS-Callback': prebuilt } }),
      'INVALID_CALLBACK',
      'x-oss-callback',
      'both',
    );
    expectRefused(() => presignUrl({ ...common, method: 'GET' }), 'INVALID_CALLBACK', 'GET');
  });

  it('refuses a callback-var of a pre-built string that OSS would refuse', () => {
    expectRefused(
      () =>
        presignUrl({
          ...location,
          credentials,
          key: 'a',
          method: 'PUT',
          callback: prebuilt,
          query: { 'callback-var': base64('{"x:UID":"7"}') },
        }),
      'INVALID_CALLBACK',
      'lower-case',
    );
  });

  it('refuses custom variables over 5 KB in the query', () => {
    expectRefused(
      () =>
        presignUrl({
          ...location,
          credentials,
          key: 'a',
          method: 'PUT',
          callback: { ...options, vars: { uid: 'x'.repeat(4000) } },
        }),
      'INVALID_CALLBACK',
      'callback-var',
      '5 KB',
    );
  });
});

describe('signRequest: signed x-oss-callback and x-oss-callback-var headers', () => {
  it.each(['v4', 'v1'] as const)('%s: the headers are set and signed', (signatureVersion) => {
    const common = { ...location, credentials, key: 'a.png', method: 'PUT', now, signatureVersion };
    const signed = signRequest({ ...common, callback: options });
    const { callback, callbackVar } = createCallback(options);
    expect(signed.headers['x-oss-callback']).toBe(callback);
    expect(signed.headers['x-oss-callback-var']).toBe(callbackVar);
    expect(signed).toEqual(
      signRequest({
        ...common,
        headers: { 'x-oss-callback': callback, 'x-oss-callback-var': callbackVar as string },
      }),
    );
    // Both versions sign x-oss-* headers: the values are in what is signed.
    const signedText = signed.canonicalRequest ?? signed.stringToSign;
    expect(signedText).toContain(`x-oss-callback:${callback}\n`);
    expect(signedText).toContain(`x-oss-callback-var:${callbackVar}\n`);
  });

  it('refuses a callback in the query too, and on a GET', () => {
    const common = { ...location, credentials, key: 'a', method: 'PUT', callback: prebuilt };
    expectRefused(
      () => signRequest({ ...common, query: { callback: prebuilt } }),
      'INVALID_CALLBACK',
      'both',
    );
    expectRefused(
      () => signRequest({ ...common, headers: { 'x-oss-callback': prebuilt } }),
      'INVALID_CALLBACK',
    );
    expectRefused(() => signRequest({ ...common, method: 'get' }), 'INVALID_CALLBACK', 'GET');
  });
});

describe('createPostPolicy: callback and x: fields, each pinned', () => {
  const form = { ...location, credentials, key: 'u/a.png', contentLengthRange: [0, 100] as [number, number] };

  it.each(['v4', 'v1'] as const)(
    '%s: a client cannot swap the callback or a variable',
    (signatureVersion) => {
      const policy = createPostPolicy({ ...form, signatureVersion, now, callback: options });
      const { callback } = createCallback(options);
      expect(policy.fields.callback).toBe(callback);
      expect(policy.fields['x:uid']).toBe('42');
      expect(policy.policy.conditions).toContainEqual(['eq', '$callback', callback]);
      expect(policy.policy.conditions).toContainEqual(['eq', '$x:uid', '42']);
      const check = (fields: Record<string, string>) =>
        checkPostPolicy(policy.policy, fields, { fileSize: 10, now }).ok;
      expect(check(policy.fields)).toBe(true);
      const swapped = createCallback({ ...options, url: 'https://evil.example.com/' }).callback;
      expect(check({ ...policy.fields, callback: swapped })).toBe(false);
      expect(check({ ...policy.fields, 'x:uid': '1' })).toBe(false);
    },
  );

  it('custom variables are form fields, so callback-var and its 5 KB limit do not apply', () => {
    const long = 'x'.repeat(6000);
    const policy = createPostPolicy({ ...form, callback: { ...options, vars: { uid: long } } });
    expect(policy.fields['x:uid']).toBe(long);
    expect(Object.keys(policy.fields)).not.toContain('callback-var');
  });

  it('a pre-built string with x: fields given as fields', () => {
    const policy = createPostPolicy({ ...form, callback: prebuilt, fields: { 'x:order_id': 'A-7' } });
    expect(policy.fields.callback).toBe(prebuilt);
    expect(policy.policy.conditions).toContainEqual(['eq', '$x:order_id', 'A-7']);
  });

  it('refuses x: fields OSS refuses, one set twice, and a callback field beside the option', () => {
    expectRefused(
      () => createPostPolicy({ ...form, fields: { 'x:Order': '1' } }),
      'INVALID_CALLBACK',
      'x:Order',
    );
    expectRefused(
      () => createPostPolicy({ ...form, callback: options, fields: { 'x:uid': '43' } }),
      'INVALID_POLICY',
      'x:uid',
    );
    expectRefused(
      () => createPostPolicy({ ...form, callback: options, fields: { callback: prebuilt } }),
      'INVALID_POLICY',
      'callback',
    );
  });
});

describe('presignMultipart: the complete step', () => {
  const target = { ...location, credentials, key: 'v.mp4', uploadId: '0004B9895DBBB6EC98E36', now };

  it('signs callback and callback-var beside uploadId', () => {
    const signed = presignMultipart({ ...target, step: 'complete', callback: options });
    const params = new URL(signed.url).searchParams;
    expect(params.get('uploadId')).toBe(target.uploadId);
    expect(params.get('callback')).toBe(createCallback(options).callback);
    expect(params.get('callback-var')).toBe(createCallback(options).callbackVar);
    expect(signed.method).toBe('POST');
  });

  it('refuses it on the other steps', () => {
    expectRefused(
      () => presignMultipart({ ...target, step: 'part', partNumber: 1, callback: options }),
      'INVALID_ARGUMENT',
      "'complete'",
    );
  });
});

describe('the callback option checks what it is given', () => {
  const put = (callback: unknown) =>
    presignUrl({ ...location, credentials, key: 'a', method: 'PUT', callback: callback as string });

  it.each([
    ['not base64', 'not base64!', 'base64'],
    ['base64 of text that is not JSON', base64('callbackUrl=x'), 'json'],
    ['no body', base64('{"callbackUrl":"http://a.example.com/"}'), 'callbackBody'],
    [
      'six URLs',
      base64(JSON.stringify({ callbackUrl: 'a.com;b.com;c.com;d.com;e.com;f.com', callbackBody: 'x' })),
      'at most 5',
    ],
    ['an IPv6 URL', base64(JSON.stringify({ callbackUrl: 'http://[::1]/', callbackBody: 'x' })), 'IPv6'],
    [
      'a bad body type',
      base64(JSON.stringify({ callbackUrl: 'a.com', callbackBody: 'x', callbackBodyType: 'text/plain' })),
      'callbackBodyType',
    ],
    [
      'an unknown variable',
      base64(JSON.stringify({ callbackUrl: 'a.com', callbackBody: '${Bucket}' })),
      '${Bucket}',
    ],
    [
      'a URL not percent-encoded',
      base64(JSON.stringify({ callbackUrl: 'http://a.com/中', callbackBody: 'x' })),
      'percent-encoded',
    ],
    ['$(object)', base64(JSON.stringify({ callbackUrl: 'a.com', callbackBody: 'o=$(object)' })), '${object}'],
    ['over 5 KB', base64(JSON.stringify({ callbackUrl: 'a.com', callbackBody: 'x'.repeat(4000) })), '5 KB'],
    ['options OSS refuses', { url: 'http://a.com:99999/', body: 'x' }, 'port'],
    ['a number', 42, 'object'],
  ])('refuses %s', (_what, callback, word) => {
    expectRefused(() => put(callback), 'INVALID_CALLBACK', word);
  });

  it("accepts createCallback's own output as a string", () => {
    const { callback } = createCallback({ url: 'http://a.example.com/中?q=1', body: 'o=${object}' });
    expect(new URL(put(callback).url).searchParams.get('callback')).toBe(callback);
  });
});

describe('createSigner: each method gives what the pure function gives', () => {
  it('with a callback', () => {
    const signer = createSigner({ ...location, credentials });
    const full = { ...location, credentials };
    const call = { key: 'a', now, callback: options };
    expect(signer.presignUrl({ ...call, method: 'PUT' })).toEqual(
      presignUrl({ ...full, ...call, method: 'PUT' }),
    );
    expect(signer.signRequest({ ...call, method: 'PUT' })).toEqual(
      signRequest({ ...full, ...call, method: 'PUT' }),
    );
    expect(signer.createPostPolicy({ ...call, contentLengthRange: [0, 1] })).toEqual(
      createPostPolicy({ ...full, ...call, contentLengthRange: [0, 1] }),
    );
    const complete = { ...call, step: 'complete' as const, uploadId: 'ABC' };
    expect(signer.presignMultipart(complete)).toEqual(presignMultipart({ ...full, ...complete }));
  });
});
