import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPostPolicy, type PostPolicyDocument, signPostPolicy } from '../../src/index.js';

const credentials = { accessKeyId: 'LTAI5tExample', accessKeySecret: 'example-secret' };
const now = new Date('2026-03-04T05:06:07.000Z');
const location = { bucket: 'examplebucket', region: 'cn-hangzhou' };

/** The signature recomputed here from the published algorithms, independently of the library. */
function v4Signature(secret: string, date: string, region: string, base64Policy: string): string {
  const step = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const signingKey = step(step(step(step(`aliyun_v4${secret}`, date), region), 'oss'), 'aliyun_v4_request');
  return createHmac('sha256', signingKey).update(base64Policy).digest('hex');
}

function decode(base64: string): unknown {
  return JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
}

describe('createPostPolicy', () => {
  it('is the OSS documentation sample in one call (V1)', () => {
    const result = createPostPolicy({
      ...location,
      credentials,
      keyPrefix: 'user-dir-prefix/',
      contentLengthRange: [1, 1_000_000],
      successActionStatus: 200,
      contentType: ['image/jpg', 'image/png'],
      signatureVersion: 'v1',
      now,
    });
    expect(result.url).toBe('https://examplebucket.oss-cn-hangzhou.aliyuncs.com/');
    expect(result.expiresAt.toISOString()).toBe('2026-03-04T06:06:07.000Z');
    expect(result.policy).toEqual({
      expiration: '2026-03-04T06:06:07.000Z',
      conditions: [
        { bucket: 'examplebucket' },
        ['starts-with', '$key', 'user-dir-prefix/'],
        ['content-length-range', 1, 1_000_000],
        ['in', '$content-type', ['image/jpg', 'image/png']],
        ['eq', '$success_action_status', '200'],
      ],
    });
    expect(Object.keys(result.fields)).toEqual([
      'key',
      'success_action_status',
      'OSSAccessKeyId',
      'policy',
      'Signature',
    ]);
    expect(result.fields.key).toBe('user-dir-prefix/${filename}');
    expect(decode(result.fields.policy as string)).toEqual(result.policy);
    const expected = createHmac('sha1', credentials.accessKeySecret)
      .update(result.fields.policy as string)
      .digest('base64');
    expect(result.fields.Signature).toBe(expected);
  });

  it('V4 (default) pins the V4 fields in the policy and signs with the derived key', () => {
    const sts = { ...credentials, securityToken: 'sts/token+=', expiration: '2026-03-04T08:00:00Z' };
    const result = createPostPolicy({
      ...location,
      credentials: sts,
      key: 'a/b.txt',
      contentLengthRange: [0, 10],
      now,
    });
    const credential = 'LTAI5tExample/20260304/cn-hangzhou/oss/aliyun_v4_request';
    expect(result.fields).toMatchObject({
      key: 'a/b.txt',
      'x-oss-signature-version': 'OSS4-HMAC-SHA256',
      'x-oss-credential': credential,
      'x-oss-date': '20260304T050607Z',
      'x-oss-security-token': 'sts/token+=',
    });
    expect(result.policy.conditions).toEqual(
      expect.arrayContaining([
        { 'x-oss-signature-version': 'OSS4-HMAC-SHA256' },
        { 'x-oss-credential': credential },
        { 'x-oss-date': '20260304T050607Z' },
        { 'x-oss-security-token': 'sts/token+=' },
        ['eq', '$key', 'a/b.txt'],
      ]),
    );
    const policy = result.fields.policy as string;
    expect(decode(policy)).toEqual(result.policy);
    expect(result.fields['x-oss-signature']).toBe(
      v4Signature('example-secret', '20260304', 'cn-hangzhou', policy),
    );
    expect(Object.keys(result.fields).at(-1)).toBe('x-oss-signature');
  });

  it("turns a key ending in '${filename}' into a starts-with condition", () => {
    const result = createPostPolicy({
      ...location,
      credentials,
      key: 'u/42/${filename}',
      contentLengthRange: [0, 1],
      now,
    });
    expect(result.fields.key).toBe('u/42/${filename}');
    expect(result.policy.conditions).toContainEqual(['starts-with', '$key', 'u/42/']);
  });

  it('pins content type, metadata, extra fields, redirect and callback with exact conditions', () => {
    const callback = Buffer.from(
      '{"callbackUrl":"http://example.com","callbackBody":"o=${object}"}',
    ).toString('base64');
    const result = createPostPolicy({
      ...location,
      credentials,
      key: 'k',
      contentLengthRange: [0, 1],
      contentType: 'image/png',
      metadata: { owner: 'alice' },
      fields: { 'Cache-Control': 'no-cache' },
      successActionRedirect: 'https://example.com/done',
      callback,
      now,
    });
    for (const [field, value] of [
      ['Content-Type', 'image/png'],
      ['x-oss-meta-owner', 'alice'],
      ['Cache-Control', 'no-cache'],
      ['success_action_redirect', 'https://example.com/done'],
      ['callback', callback],
    ] as const) {
      expect(result.fields[field]).toBe(value);
      expect(result.policy.conditions).toContainEqual(['eq', `$${field}`, value]);
    }
  });

  it('counts raw conditions that limit key and size', () => {
    const result = createPostPolicy({
      ...location,
      credentials,
      conditions: [
        ['starts-with', '$key', 'x/'],
        ['content-length-range', 0, 5],
      ],
      now,
    });
    expect(result.policy.conditions.slice(-2)).toEqual([
      ['starts-with', '$key', 'x/'],
      ['content-length-range', 0, 5],
    ]);
  });

  it('addresses path-style and CNAME endpoints', () => {
    const common = {
      ...location,
      credentials,
      key: 'k',
      contentLengthRange: [0, 1] as [number, number],
      now,
    };
    expect(createPostPolicy({ ...common, endpoint: 'http://127.0.0.1:9000', pathStyle: true }).url).toBe(
      'http://127.0.0.1:9000/examplebucket/',
    );
    expect(createPostPolicy({ ...common, endpoint: 'https://files.example.com', cname: true }).url).toBe(
      'https://files.example.com/',
    );
  });
});

describe('signPostPolicy', () => {
  it('signs a V4 document built elsewhere when it pins the V4 fields', () => {
    const document = {
      expiration: '2026-03-04T06:00:00.000Z',
      conditions: [
        ['eq', '$x-oss-signature-version', 'OSS4-HMAC-SHA256'],
        { 'x-oss-credential': 'LTAI5tExample/20260304/cn-hangzhou/oss/aliyun_v4_request' },
        { 'x-oss-date': '20260304T050607Z' },
        ['content-length-range', 1, 100],
      ],
    } as const;
    const text = JSON.stringify(document);
    const { policy, fields } = signPostPolicy(text, { credentials, region: 'oss-cn-hangzhou', now });
    expect(policy).toBe(Buffer.from(text).toString('base64'));
    expect(fields['x-oss-signature']).toBe(v4Signature('example-secret', '20260304', 'cn-hangzhou', policy));
    expect(fields['x-oss-date']).toBe('20260304T050607Z');
  });

  it('signs a string policy byte for byte as given (V1)', () => {
    const text = '{"expiration":"2030-01-01T00:00:00Z",  "conditions":[["starts-with","$key","a\\/"]]}';
    const { policy, fields } = signPostPolicy(text, { credentials, signatureVersion: 'v1' });
    expect(Buffer.from(policy, 'base64').toString()).toBe(text);
    expect(fields.Signature).toBe(createHmac('sha1', 'example-secret').update(policy).digest('base64'));
  });
});

/**
 * A form field carries UTF-8, in which a lone surrogate has no encoding (a browser sends U+FFFD): a policy
 * that pins one refuses every upload. Every string that goes into a policy is refused with one.
 */
describe('lone surrogates in what a policy pins', () => {
  const base = {
    ...location,
    credentials,
    keyPrefix: 'u/',
    contentLengthRange: [0, 10] as [number, number],
    now,
  };
  const LONE = ['a\uD800b', 'a\uDC00', '\uDBFF'];
  it.each<[string, (text: string) => Record<string, unknown>]>([
    ['contentType', (text) => ({ contentType: `image/${text}` })],
    ['contentType list', (text) => ({ contentType: ['image/png', `image/${text}`] })],
    ['contentType.startsWith', (text) => ({ contentType: { startsWith: `image/${text}` } })],
    ['successActionRedirect', (text) => ({ successActionRedirect: `https://example.com/${text}` })],
    ['metadata', (text) => ({ metadata: { owner: text } })],
    ['fields', (text) => ({ fields: { 'cache-control': text } })],
    ['an eq condition', (text) => ({ conditions: [['eq', '$x-oss-meta-a', text]] })],
    ['an object condition', (text) => ({ conditions: [{ 'x-oss-meta-a': text }] })],
    ['an in condition', (text) => ({ conditions: [['in', '$x-oss-meta-a', ['ok', text]]] })],
    ['a condition field name', (text) => ({ conditions: [['starts-with', `$x-oss-meta-${text}`, '']] })],
  ])('createPostPolicy: %s -> INVALID_POLICY', (name, options) => {
    for (const text of LONE) {
      let error: unknown;
      try {
        createPostPolicy({ ...base, ...options(text) } as never);
      } catch (thrown) {
        error = thrown;
      }
      expect(error, `${name} ${JSON.stringify(text)}`).toMatchObject({ code: 'INVALID_POLICY' });
      expect((error as Error).message).toMatch(/lone surrogate/);
    }
    // The same with valid text (an astral character is a surrogate pair) signs.
    expect(() => createPostPolicy({ ...base, ...options('a\u{1F600}é') } as never)).not.toThrow();
  });

  it('signPostPolicy: a document or its JSON text holding one -> INVALID_POLICY', () => {
    const document: PostPolicyDocument = {
      expiration: '2026-03-04T06:00:00.000Z',
      conditions: [{ bucket: 'examplebucket' }, ['eq', '$x-oss-meta-a', 'a\uD800']],
    };
    for (const policy of [document, JSON.stringify(document)]) {
      expect(() => signPostPolicy(policy, { credentials, signatureVersion: 'v1', now })).toThrow(
        expect.objectContaining({ code: 'INVALID_POLICY', message: expect.stringMatching(/lone surrogate/) }),
      );
    }
  });
});
