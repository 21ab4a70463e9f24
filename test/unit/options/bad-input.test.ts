import { describe, expect, it } from 'vitest';
import {
  computeSignatureV1,
  computeSignatureV4,
  createPostPolicy,
  type OssSignError,
  presignUrl,
  signPostPolicy,
  signRequest,
} from '../../../src/index.js';
import { taking } from '../../support/entry-points.js';
import { expectSignError } from '../../support/errors.js';

const SECRET = 'super-secret-value-9f8e7d';
const credentials = { accessKeyId: 'LTAI-test-id', accessKeySecret: SECRET };
const base = { bucket: 'examplebucket', region: 'cn-hangzhou', key: 'photos/cat.jpg', credentials };
const now = new Date('2026-01-01T00:00:00Z');

/** Runs `fn`, expecting an OssSignError with `code` whose message names `argument` and leaks no secret. */
function expectError(fn: () => unknown, code: string, argument: string): OssSignError {
  const error = expectSignError(fn, code);
  expect(error.message).toContain(argument);
  for (const text of [error.message, JSON.stringify(error), String(error), error.stack ?? '']) {
    expect(text).not.toContain(SECRET);
  }
  return error;
}

describe('bad input gives OssSignError before anything is signed', () => {
  it.each([['ab'], ['a'.repeat(64)], ['Upper'], ['under_score'], ['-leading'], ['trailing-'], ['']])(
    'bucket %j outside OSS rules -> INVALID_BUCKET',
    (bucket) => {
      expectError(() => presignUrl({ ...base, bucket }), 'INVALID_BUCKET', 'bucket');
    },
  );

  it('empty key -> INVALID_KEY', () => {
    expectError(() => presignUrl({ ...base, key: '' }), 'INVALID_KEY', 'key');
  });

  it('key over 1023 UTF-8 bytes -> INVALID_KEY (1023 bytes is fine)', () => {
    expect(() => presignUrl({ ...base, key: `${'é'.repeat(511)}a` })).not.toThrow(); // 1023 bytes
    expectError(() => presignUrl({ ...base, key: 'é'.repeat(512) }), 'INVALID_KEY', '1023');
  });

  it.each([['/leading-slash'], ['\\leading-backslash']])('key %j -> INVALID_KEY', (key) => {
    expectError(() => presignUrl({ ...base, key }), 'INVALID_KEY', 'key');
  });

  it.each([['lone-high-\uD800'], ['lone-low-\uDC00-x']])(
    'key with a lone surrogate -> INVALID_KEY',
    (key) => {
      expectError(() => presignUrl({ ...base, key }), 'INVALID_KEY', 'surrogate');
    },
  );

  it.each([[1.5], [0], [-1], [604_801], [Number.NaN], ['60' as unknown as number]])(
    'expiresIn %j -> INVALID_EXPIRES',
    (expiresIn) => {
      expectError(() => presignUrl({ ...base, expiresIn }), 'INVALID_EXPIRES', 'expiresIn');
    },
  );

  it('caps expiresIn at 7 days with V1 as with V4: a larger value is most often milliseconds', () => {
    expect(() => presignUrl({ ...base, expiresIn: 604_800, signatureVersion: 'v1', now })).not.toThrow();
    for (const signatureVersion of ['v1', 'v4'] as const) {
      expectError(
        () => presignUrl({ ...base, expiresIn: 3_600_000, signatureVersion, now }),
        'INVALID_EXPIRES',
        'milliseconds',
      );
    }
  });

  it.each([['CN-Hangzhou'], ['cn_hangzhou'], [''], ['cn hangzhou']])(
    'region %j -> INVALID_REGION',
    (region) => {
      expectError(() => presignUrl({ ...base, region }), 'INVALID_REGION', 'region');
    },
  );

  it.each([
    [{ accessKeyId: '', accessKeySecret: SECRET }],
    [{ accessKeyId: 'id', accessKeySecret: '' }],
    [{ accessKeyId: 'id' }],
    [undefined],
  ])('credentials %j -> MISSING_CREDENTIALS', (bad) => {
    const options = { ...base, credentials: bad as never };
    expectError(() => presignUrl(options), 'MISSING_CREDENTIALS', 'credentials');
    expectError(
      () => createPostPolicy({ ...options, keyPrefix: 'a/', contentLengthRange: [0, 1] }),
      'MISSING_CREDENTIALS',
      'credentials',
    );
    expectError(() => signRequest({ ...options, method: 'GET' }), 'MISSING_CREDENTIALS', 'credentials');
  });

  it('contentLengthRange with max < min -> INVALID_POLICY', () => {
    expectError(
      () => createPostPolicy({ ...base, key: undefined, keyPrefix: 'a/', contentLengthRange: [10, 9] }),
      'INVALID_POLICY',
      'contentLengthRange',
    );
  });

  it('a URL or policy outliving its STS credentials -> EXPIRES_AFTER_CREDENTIALS', () => {
    const sts = { ...credentials, securityToken: 'token', expiration: '2026-01-01T00:30:00Z' };
    expectError(
      () => presignUrl({ ...base, credentials: sts, now, expiresIn: 3600 }),
      'EXPIRES_AFTER_CREDENTIALS',
      'expiresIn',
    );
    expect(() => presignUrl({ ...base, credentials: sts, now, expiresIn: 1800 })).not.toThrow();
    expectError(
      () => createPostPolicy({ ...base, key: 'a', credentials: sts, now, contentLengthRange: [0, 1] }),
      'EXPIRES_AFTER_CREDENTIALS',
      'expiresIn',
    );
    const policy = { expiration: '2026-01-01T01:00:00.000Z', conditions: [{ bucket: 'examplebucket' }] };
    expectError(
      () => signPostPolicy(policy, { credentials: sts, signatureVersion: 'v1' }),
      'EXPIRES_AFTER_CREDENTIALS',
      'expiration',
    );
  });

  it('a policy limiting neither key nor size -> UNSAFE_POLICY unless opted out', () => {
    const options = { ...base, key: undefined, now };
    expectError(
      () => createPostPolicy({ ...options, contentLengthRange: [0, 10] }),
      'UNSAFE_POLICY',
      'allowAnyKey',
    );
    expectError(
      () => createPostPolicy({ ...options, keyPrefix: '', contentLengthRange: [0, 10] }),
      'UNSAFE_POLICY',
      'key',
    );
    expectError(() => createPostPolicy({ ...options, keyPrefix: 'a/' }), 'UNSAFE_POLICY', 'allowAnySize');
    expect(() => createPostPolicy({ ...options, allowAnyKey: true, allowAnySize: true })).not.toThrow();
  });

  it('contentType contradicting the Content-Type header -> INVALID_HEADER', () => {
    expectError(
      () =>
        presignUrl({
          ...base,
          method: 'PUT',
          contentType: 'image/png',
          headers: { 'content-type': 'image/jpeg' },
        }),
      'INVALID_HEADER',
      'contentType',
    );
  });

  it('header values with CR/LF -> INVALID_HEADER', () => {
    expectError(
      () => presignUrl({ ...base, headers: { 'x-oss-meta-a': 'x\r\nInjected: 1' } }),
      'INVALID_HEADER',
      'x-oss-meta-a',
    );
  });

  it('a query name the signature sets itself -> INVALID_QUERY', () => {
    expectError(
      () => presignUrl({ ...base, query: { 'x-oss-signature': 'x' } }),
      'INVALID_QUERY',
      'x-oss-signature',
    );
    expectError(
      () => presignUrl({ ...base, signatureVersion: 'v1', query: { Signature: 'x' } }),
      'INVALID_QUERY',
      'Signature',
    );
  });

  it('an unsupported presign method -> INVALID_METHOD', () => {
    expectError(() => presignUrl({ ...base, method: 'PATCH' as never }), 'INVALID_METHOD', 'method');
  });

  it('an endpoint with a path -> INVALID_ENDPOINT', () => {
    expectError(
      () => presignUrl({ ...base, endpoint: 'https://example.com/some/path' }),
      'INVALID_ENDPOINT',
      'endpoint',
    );
  });

  it('a V4 policy not pinning the V4 fields -> INVALID_POLICY', () => {
    const policy = { expiration: '2026-01-01T01:00:00.000Z', conditions: [{ bucket: 'examplebucket' }] };
    expectError(
      () => signPostPolicy(policy, { credentials, region: 'cn-hangzhou', now }),
      'INVALID_POLICY',
      'x-oss-signature-version',
    );
    expectError(
      () => signPostPolicy('not json', { credentials, signatureVersion: 'v1' }),
      'INVALID_POLICY',
      'JSON',
    );
  });
});

describe('CloudBox', () => {
  it('needs an endpoint, and a product of [a-z0-9-]', () => {
    expectError(
      () => presignUrl({ ...base, region: 'cb-123', product: 'oss-cloudbox' }),
      'INVALID_ENDPOINT',
      'endpoint',
    );
    expectError(
      () => presignUrl({ ...base, endpoint: 'cb-123.oss-cloudbox.aliyuncs.com', product: 'oss/cloudbox' }),
      'INVALID_ARGUMENT',
      'product',
    );
  });
});

describe('inputs that would sign something OSS or the client then refuses', () => {
  it('a header value outside printable ASCII -> INVALID_HEADER (clients send Latin-1 bytes)', () => {
    expectError(
      () => presignUrl({ ...base, headers: { 'x-oss-meta-title': 'Café' } }),
      'INVALID_HEADER',
      'ASCII',
    );
    expectError(
      () => presignUrl({ ...base, headers: { 'x-oss-meta-a': 'x\r\ny' } }),
      'INVALID_HEADER',
      'x-oss-meta-a',
    );
  });

  it('a V1 expiresIn over 100 years -> INVALID_EXPIRES', () => {
    expectError(
      () => presignUrl({ ...base, signatureVersion: 'v1', expiresIn: 1e13 }),
      'INVALID_EXPIRES',
      'expiresIn',
    );
    expectError(
      () =>
        createPostPolicy({ ...base, signatureVersion: 'v1', expiresIn: 1e13, contentLengthRange: [0, 1] }),
      'INVALID_EXPIRES',
      'expiresIn',
    );
  });

  it('additionalHeaders with V1, or not an array -> INVALID_ARGUMENT', () => {
    const headers = { 'Cache-Control': 'no-cache' };
    expectError(
      () => presignUrl({ ...base, signatureVersion: 'v1', headers, additionalHeaders: ['cache-control'] }),
      'INVALID_ARGUMENT',
      'additionalHeaders',
    );
    expectError(
      () => signRequest({ ...base, method: 'PUT', headers, additionalHeaders: 'cache-control' as never }),
      'INVALID_ARGUMENT',
      'additionalHeaders',
    );
  });

  it('an endpoint that already names the bucket -> INVALID_ENDPOINT', () => {
    const endpoint = 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com';
    expectError(() => presignUrl({ ...base, endpoint }), 'INVALID_ENDPOINT', 'oss-cn-hangzhou.aliyuncs.com');
    expect(presignUrl({ ...base, endpoint, cname: true }).url).toMatch(
      /^https:\/\/examplebucket\.oss-cn-hangzhou\.aliyuncs\.com\/photos\//,
    );
  });

  it('an endpoint with credentials is refused without echoing them', () => {
    const error = expectError(
      () => presignUrl({ ...base, endpoint: 'https://user:pa55word@oss.example.com' }),
      'INVALID_ENDPOINT',
      'endpoint',
    );
    expect(error.message).not.toContain('pa55word');
  });

  it("region 'oss-' alone -> INVALID_REGION", () => {
    expectError(() => presignUrl({ ...base, region: 'oss-' }), 'INVALID_REGION', 'region');
  });

  it('a reserved query name in another case -> INVALID_QUERY', () => {
    expectError(
      () => presignUrl({ ...base, query: { 'X-OSS-Signature': 'x' } }),
      'INVALID_QUERY',
      'X-OSS-Signature',
    );
    expectError(
      () => presignUrl({ ...base, signatureVersion: 'v1', query: { signature: 'x' } }),
      'INVALID_QUERY',
      'signature',
    );
  });

  it('misused entry points and primitives throw OssSignError, not TypeError', () => {
    expectError(() => presignUrl(undefined as never), 'INVALID_ARGUMENT', 'presignUrl');
    expectError(() => createPostPolicy(null as never), 'INVALID_ARGUMENT', 'createPostPolicy');
    expectError(() => signRequest(undefined as never), 'INVALID_ARGUMENT', 'signRequest');
    expectError(() => signPostPolicy('{}', undefined as never), 'INVALID_ARGUMENT', 'signPostPolicy');
    expectError(() => computeSignatureV1('x', undefined as never), 'INVALID_ARGUMENT', 'computeSignatureV1');
    expectError(() => computeSignatureV1('x', {} as never), 'MISSING_CREDENTIALS', 'accessKeySecret');
    expectError(
      () =>
        computeSignatureV4('x', { accessKeySecret: SECRET, date: 20240101 as never, region: 'cn-hangzhou' }),
      'INVALID_ARGUMENT',
      'date',
    );
  });
});

describe('cname and pathStyle are booleans in every function that takes them', () => {
  it.each([...taking('cname'), ...taking('pathStyle')].map((entry) => [entry.name, entry] as const))(
    '%s',
    (_name, entry) => {
      for (const option of ['cname', 'pathStyle']) {
        for (const value of ['false', 'true', 0, 1, Number.NaN, null]) {
          expectSignError(
            () => entry.call({ ...entry.base(), endpoint: 'https://oss.example.com', [option]: value }),
            'INVALID_ARGUMENT',
            new RegExp(`${option} must be a boolean`),
          );
        }
      }
      expectSignError(
        () =>
          entry.call({ ...entry.base(), endpoint: 'https://oss.example.com', cname: true, pathStyle: true }),
        'INVALID_ENDPOINT',
      );
    },
  );
});
