import { describe, expect, it } from 'vitest';
import { type PresignMultipartOptions, presignMultipart } from '../../../src/index.js';
import { expectSignError } from '../../support/errors.js';

const SECRET = 'super-secret-value-9f8e7d';
const TOKEN = 'sts-token-value-5c4b3a';
const base = {
  bucket: 'examplebucket',
  region: 'cn-hangzhou',
  key: 'videos/a.mp4',
  credentials: { accessKeyId: 'LTAI-test-id', accessKeySecret: SECRET, securityToken: TOKEN },
  now: new Date('2026-01-01T00:00:00Z'),
};
const uploadId = '0004B9895DBBB6EC98E36';

/** Expects an OssSignError with `code` whose message names `argument` and holds no secret. */
function expectError(options: unknown, code: string, argument: string): void {
  const error = expectSignError(() => presignMultipart(options as PresignMultipartOptions), code);
  expect(error.message).toContain(argument);
  for (const text of [error.message, JSON.stringify(error), String(error)]) {
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(TOKEN);
  }
}

const query = (url: string) =>
  [...new URL(url).searchParams.keys()].filter((name) => !/^x-oss-(?!complete)/.test(name));

describe('presignMultipart: one step, one request', () => {
  it.each([
    [{ step: 'initiate' }, 'POST', ['uploads']],
    [{ step: 'part', uploadId, partNumber: 1 }, 'PUT', ['partNumber', 'uploadId']],
    [{ step: 'complete', uploadId }, 'POST', ['uploadId']],
    [{ step: 'abort', uploadId }, 'DELETE', ['uploadId']],
    [{ step: 'list', uploadId }, 'GET', ['uploadId']],
    [{ step: 'list', uploadId, partNumberMarker: 0 }, 'GET', ['uploadId']],
    [{ step: 'list', uploadId, partNumberMarker: 7 }, 'GET', ['part-number-marker', 'uploadId']],
  ] as const)('%j -> %s with %j', (options, method, names) => {
    const signed = presignMultipart({ ...base, ...options });
    expect(signed.method).toBe(method);
    expect(query(signed.url)).toEqual(names);
    expect(signed.expiresAt).toEqual(new Date('2026-01-01T01:00:00Z'));
  });

  it('initiate returns the object type and headers to send; complete returns application/xml', () => {
    expect(
      presignMultipart({
        ...base,
        step: 'initiate',
        contentType: 'video/mp4',
        headers: { 'x-oss-meta-a': '1' },
      }).headers,
    ).toEqual({ 'x-oss-meta-a': '1', 'Content-Type': 'video/mp4' });
    expect(presignMultipart({ ...base, step: 'complete', uploadId }).headers).toEqual({
      'Content-Type': 'application/xml',
    });
    expect(presignMultipart({ ...base, step: 'complete', uploadId, completeAll: true }).headers).toEqual({
      'x-oss-complete-all': 'yes',
      'Content-Type': 'application/xml',
    });
    expect(presignMultipart({ ...base, step: 'complete', uploadId, completeAll: false }).headers).toEqual({
      'Content-Type': 'application/xml',
    });
    expect(presignMultipart({ ...base, step: 'part', uploadId, partNumber: 10_000 }).headers).toEqual({});
  });

  it.each([
    ['method', 'GET'],
    ['query', { partNumber: '9' }],
    ['contentMd5', 'abc'],
  ])(
    "sets method and query itself: presignUrl's own option %s is refused, not passed through",
    (name, value) => {
      const options = { ...base, step: 'part', uploadId, partNumber: 2, [name]: value };
      expectError(options, 'INVALID_ARGUMENT', `no option "${name}"`);
    },
  );

  it('reads options from the object itself, not its prototype', () => {
    const options = Object.assign(Object.create({ uploadId: 'FROM-PROTOTYPE' }), { ...base, step: 'abort' });
    expectError(options, 'INVALID_UPLOAD_ID', 'uploadId');
  });
});

describe('presignMultipart: bad input', () => {
  it.each([[undefined], [null], ['part']])('options %j -> INVALID_ARGUMENT', (options) => {
    expectError(options, 'INVALID_ARGUMENT', 'presignMultipart');
  });

  it.each([[undefined], ['upload'], ['Part'], ['toString'], ['__proto__'], [1]])(
    'step %j -> INVALID_ARGUMENT',
    (step) => {
      expectError({ ...base, step }, 'INVALID_ARGUMENT', 'step');
    },
  );

  it.each([['part'], ['complete'], ['abort'], ['list']])(
    '%s without uploadId -> INVALID_UPLOAD_ID',
    (step) => {
      expectError(
        { ...base, step, ...(step === 'part' && { partNumber: 1 }) },
        'INVALID_UPLOAD_ID',
        'uploadId',
      );
    },
  );

  it.each([[''], [' '], ['a b'], ['abc\n'], ['ünï'], [42], [null]])(
    'uploadId %j -> INVALID_UPLOAD_ID',
    (bad) => {
      expectError({ ...base, step: 'abort', uploadId: bad }, 'INVALID_UPLOAD_ID', 'uploadId');
    },
  );

  it.each([[undefined], [0], [10_001], [-1], [1.5], ['3'], [Number.NaN], [Number.POSITIVE_INFINITY]])(
    'partNumber %j -> INVALID_PART_NUMBER',
    (partNumber) => {
      expectError({ ...base, step: 'part', uploadId, partNumber }, 'INVALID_PART_NUMBER', '1..10000');
    },
  );

  it.each([[-1], [10_001], [0.5], ['2']])(
    'partNumberMarker %j -> INVALID_PART_NUMBER',
    (partNumberMarker) => {
      expectError(
        { ...base, step: 'list', uploadId, partNumberMarker },
        'INVALID_PART_NUMBER',
        'partNumberMarker',
      );
    },
  );

  it.each([['text/plain'], ['application/json'], ['application/xmlx'], ['text/xml'], ['']])(
    'complete with contentType %j -> INVALID_HEADER',
    (contentType) => {
      expectError({ ...base, step: 'complete', uploadId, contentType }, 'INVALID_HEADER', 'XML');
    },
  );

  it('complete accepts application/xml with parameters and signs it as given', () => {
    const signed = presignMultipart({
      ...base,
      step: 'complete',
      uploadId,
      contentType: 'application/xml; charset=utf-8',
    });
    expect(signed.headers).toEqual({ 'Content-Type': 'application/xml; charset=utf-8' });
  });

  it('completeAll must be a boolean', () => {
    expectError(
      { ...base, step: 'complete', uploadId, completeAll: 'yes' },
      'INVALID_ARGUMENT',
      'completeAll',
    );
  });

  it.each([
    [{ step: 'initiate', uploadId }, 'uploadId'],
    [{ step: 'initiate', partNumber: 1 }, 'partNumber'],
    [{ step: 'initiate', completeAll: true }, 'completeAll'],
    [{ step: 'part', uploadId, partNumber: 1, contentType: 'image/png' }, 'contentType'],
    [{ step: 'part', uploadId, partNumber: 1, completeAll: false }, 'completeAll'],
    [{ step: 'part', uploadId, partNumber: 1, headers: {} }, 'headers'],
    [{ step: 'complete', uploadId, partNumber: 1 }, 'partNumber'],
    [{ step: 'complete', uploadId, headers: { 'x-oss-forbid-overwrite': 'true' } }, 'headers'],
    [{ step: 'abort', uploadId, contentType: 'image/png' }, 'contentType'],
    [{ step: 'list', uploadId, partNumber: 3 }, 'partNumber'],
    [{ step: 'part', uploadId, partNumber: 1, partNumberMarker: 3 }, 'partNumberMarker'],
  ])('%j: an option of another step -> INVALID_ARGUMENT naming it', (options, name) => {
    expectError(
      { ...base, ...options },
      'INVALID_ARGUMENT',
      `${name} does not apply to the '${options.step}' step`,
    );
  });

  it("presignUrl's checks still apply (key, expiry, credentials)", () => {
    expectError({ ...base, key: '', step: 'initiate' }, 'INVALID_KEY', 'key');
    expectError({ ...base, step: 'initiate', expiresIn: 0 }, 'INVALID_EXPIRES', 'expiresIn');
    expectError(
      { ...base, credentials: { accessKeyId: 'x' }, step: 'initiate' },
      'MISSING_CREDENTIALS',
      'credentials',
    );
    expectError({ ...base, step: 'initiate', headers: { 'x-oss-meta-a': 'ü' } }, 'INVALID_HEADER', 'ASCII');
  });
});
