/**
 * checkPostPolicy: the offline answer to "would OSS accept this form?". Examples for every condition
 * kind, expiry, size, `${filename}` and the V4 pins; then a property: on random policies from
 * createPostPolicy and random forms, it says ok exactly when the local endpoint stores the upload.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CheckPostPolicyOptions,
  type CreatePostPolicyOptions,
  checkPostPolicy,
  createPostPolicy,
  type PolicyCondition,
  type PostPolicyDocument,
} from '../../src/index.js';
import { createLocalOss, type LocalOss } from '../../src/testing/index.js';
import { assumeRole, BUCKET, ROLE_ARN, send, type TemporaryCredentials } from '../support/clients.js';
import { expectSignError, outcome } from '../support/errors.js';
import { multipartForm } from '../support/multipart.js';

const NOW = new Date('2030-06-01T12:00:00.000Z');
const EXPIRATION = '2030-06-01T13:00:00.000Z';

function policyOf(...conditions: PolicyCondition[]): PostPolicyDocument {
  return { expiration: EXPIRATION, conditions };
}

/** The reasons of a check, so that a failure shows them all. */
function check(
  conditions: PolicyCondition[],
  form: Record<string, string>,
  options: CheckPostPolicyOptions = {},
): string[] {
  const result = checkPostPolicy(policyOf(...conditions), form, { now: NOW, ...options });
  expect(result.ok).toBe(result.violations.length === 0);
  return result.violations.map((v) => v.reason);
}

describe('checkPostPolicy: each condition kind', () => {
  const form = { key: 'uploads/a.txt', 'Content-Type': 'text/plain', 'x-oss-meta-owner': 'alice' };

  it.each<[string, PolicyCondition, PolicyCondition]>([
    ['eq', ['eq', '$x-oss-meta-owner', 'alice'], ['eq', '$x-oss-meta-owner', 'bob']],
    ['{ field: value }', { 'x-oss-meta-owner': 'alice' }, { 'x-oss-meta-owner': 'Alice' }],
    ['starts-with', ['starts-with', '$key', 'uploads/'], ['starts-with', '$key', 'other/']],
    ['starts-with ""', ['starts-with', '$cache-control', ''], ['starts-with', '$key', 'uploads/a.txt2']],
    ['in', ['in', '$content-type', ['image/png', 'text/plain']], ['in', '$content-type', ['image/png']]],
    ['not-in', ['not-in', '$content-type', ['application/zip']], ['not-in', '$content-type', ['text/plain']]],
    ['an absent field is ""', ['eq', '$x-oss-meta-none', ''], ['eq', '$x-oss-meta-none', 'x']],
  ])('%s: holds, and fails', (_kind, holds, fails) => {
    expect(check([holds], form)).toEqual([]);
    const result = checkPostPolicy(policyOf(holds, fails), form, { now: NOW });
    expect(result.ok).toBe(false);
    // The violation names the condition as the policy writes it.
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]?.condition).toEqual(fails);
  });

  it('reads field names in any case, in the form and in the policy', () => {
    expect(
      check([['eq', '$Content-Type', 'text/plain']], { 'CONTENT-TYPE': 'text/plain', key: 'k' }),
    ).toEqual([]);
    expect(check([{ 'X-OSS-Meta-Owner': 'alice' }], { 'x-oss-meta-OWNER': 'alice', key: 'k' })).toEqual([]);
    expect(check([{ 'X-OSS-Meta-Owner': 'alice' }], { 'x-oss-meta-OWNER': 'bob', key: 'k' })).toHaveLength(1);
  });

  it('compares values exactly: case, spaces and prefixes count', () => {
    expect(
      check([['eq', '$x-oss-meta-owner', 'alice']], { ...form, 'x-oss-meta-owner': 'alice ' }),
    ).toHaveLength(1);
    expect(
      check([['in', '$content-type', ['text/plain']]], { ...form, 'Content-Type': 'TEXT/PLAIN' }),
    ).toHaveLength(1);
  });

  it('checks the content type on the Content-Type field, else the file part’s own', () => {
    const png: PolicyCondition = ['eq', '$content-type', 'image/png'];
    expect(check([png], { key: 'k' }, { fileType: 'image/png' })).toEqual([]);
    expect(check([png], { key: 'k' }, { fileType: 'text/plain' })).toHaveLength(1);
    expect(check([png], { key: 'k', 'content-type': 'text/plain' }, { fileType: 'image/png' })).toHaveLength(
      1,
    );
    expect(check([png], { key: 'k' })).toHaveLength(1);
  });

  it('checks conditions on the bucket only when told the bucket', () => {
    expect(check([{ bucket: 'examplebucket' }], { key: 'k' })).toEqual([]);
    expect(check([{ bucket: 'examplebucket' }], { key: 'k' }, { bucket: 'examplebucket' })).toEqual([]);
    expect(check([{ bucket: 'examplebucket' }], { key: 'k' }, { bucket: 'otherbucket' })).toHaveLength(1);
    expect(
      check([['starts-with', '$bucket', 'example']], { key: 'k' }, { bucket: 'otherbucket' }),
    ).toHaveLength(1);
  });

  it('refuses a form that sends one field twice, in any case', () => {
    expect(check([], { key: 'k', KEY: 'k' })).toEqual(['the form has more than one key field']);
    expect(check([], { key: 'k', 'x-oss-meta-a': '1', 'X-OSS-META-A': '1' })).toHaveLength(1);
  });

  it('needs a key field', () => {
    expect(check([], {})).toEqual(['the form has no key field']);
  });
});

describe('checkPostPolicy: expiry and size', () => {
  it('accepts a form until the expiration, inclusive, and refuses it after', () => {
    expect(check([], { key: 'k' }, { now: new Date(EXPIRATION) })).toEqual([]);
    expect(check([], { key: 'k' }, { now: new Date(Date.parse(EXPIRATION) + 1) })).toEqual([
      'the policy has expired',
    ]);
  });

  it('uses the current time by default', () => {
    const past = { expiration: '2020-01-01T00:00:00.000Z', conditions: [] };
    const future = { expiration: '2999-01-01T00:00:00.000Z', conditions: [] };
    expect(checkPostPolicy(past, { key: 'k' }).ok).toBe(false);
    expect(checkPostPolicy(future, { key: 'k' }).ok).toBe(true);
  });

  it('checks content-length-range inclusively, when the file size is given', () => {
    const range: PolicyCondition = ['content-length-range', 10, 20];
    expect(check([range], { key: 'k' })).toEqual([]);
    expect(check([range], { key: 'k' }, { fileSize: 10 })).toEqual([]);
    expect(check([range], { key: 'k' }, { fileSize: 20 })).toEqual([]);
    expect(check([range], { key: 'k' }, { fileSize: 9 })).toEqual(['the file has 9 bytes, below 10']);
    expect(check([range], { key: 'k' }, { fileSize: 21 })).toEqual(['the file has 21 bytes, above 20']);
    // A policy may write the byte counts as strings of digits.
    const text = JSON.stringify({ expiration: EXPIRATION, conditions: [['content-length-range', '0', '5']] });
    expect(checkPostPolicy(text, { key: 'k' }, { fileSize: 6, now: NOW }).ok).toBe(false);
    expect(checkPostPolicy(text, { key: 'k' }, { fileSize: 5, now: NOW }).ok).toBe(true);
  });

  it('reports every violation, not only the first', () => {
    const reasons = check(
      [['content-length-range', 0, 1], { 'x-oss-meta-a': 'b' }],
      {},
      { fileSize: 2, now: new Date('2031-01-01T00:00:00Z') },
    );
    expect(reasons).toHaveLength(4);
  });
});

describe('checkPostPolicy: ${filename}', () => {
  it('a not-in deny-list on $key cannot be dodged by a key of ${filename}', () => {
    const deny: PolicyCondition = ['not-in', '$key', ['protected.txt', 'uploads/protected.txt']];
    expect(check([deny], { key: '${filename}' }, { fileName: 'other.txt' })).toEqual([]);
    for (const [key, fileName] of [
      ['${filename}', 'protected.txt'],
      ['${filename}', 'C:\\Users\\me\\protected.txt'],
      ['${filename}', '../../protected.txt'],
      ['uploads/${filename}', 'protected.txt'],
    ] as const) {
      expect(check([deny], { key }, { fileName }), `${key} with ${fileName}`).toHaveLength(1);
    }
  });

  it('checks an eq or in condition on the key as sent and as stored', () => {
    expect(check([['eq', '$key', 'a.txt']], { key: '${filename}' }, { fileName: 'a.txt' })).toHaveLength(1);
    expect(check([['in', '$key', ['a.txt']]], { key: '${filename}' }, { fileName: 'a.txt' })).toHaveLength(1);
    // A condition that itself names ${filename} is about the key as sent.
    expect(check([['eq', '$key', 'up/${filename}']], { key: 'up/${filename}' }, { fileName: 'x' })).toEqual(
      [],
    );
  });

  it('a starts-with on the key holds for the stored key, which keeps only the base name of the file', () => {
    const prefix: PolicyCondition = ['starts-with', '$key', 'user/7/'];
    expect(check([prefix], { key: 'user/7/${filename}' }, { fileName: 'a.png' })).toEqual([]);
    expect(check([prefix], { key: 'user/7/${filename}' }, { fileName: '../../8/a.png' })).toEqual([]);
    expect(check([prefix], { key: '${filename}' }, { fileName: 'user/7/a.png' })).toHaveLength(1);
    expect(check([prefix], { key: 'user/${filename}' }, { fileName: '7/a.png' })).toHaveLength(1);
  });

  it('refuses a key that is no object name once the file name is in it', () => {
    expect(check([], { key: '${filename}' }, { fileName: '' })).toEqual([
      expect.stringContaining('the key to store is not valid'),
    ]);
    expect(check([], { key: '${filename}' }, { fileName: 'dir/' })).toHaveLength(1);
    expect(check([], { key: '/${filename}' }, { fileName: 'a' })).toHaveLength(1);
    expect(check([], { key: `${'k'.repeat(1020)}\${filename}` }, { fileName: 'abcd' })).toHaveLength(1);
    expect(check([], { key: `${'k'.repeat(1020)}\${filename}` }, { fileName: 'abc' })).toEqual([]);
    expect(check([], { key: 'dir/${filename}' }, { fileName: '' })).toEqual([]);
  });
});

describe('checkPostPolicy: V4 forms', () => {
  const v4Form = {
    key: 'k',
    'x-oss-signature-version': 'OSS4-HMAC-SHA256',
    'x-oss-credential': 'LTAI/20300601/cn-hangzhou/oss/aliyun_v4_request',
    'x-oss-date': '20300601T120000Z',
  };
  const pins: PolicyCondition[] = [
    { 'x-oss-signature-version': 'OSS4-HMAC-SHA256' },
    { 'x-oss-credential': 'LTAI/20300601/cn-hangzhou/oss/aliyun_v4_request' },
    { 'x-oss-date': '20300601T120000Z' },
  ];

  it('needs the policy to pin the signature version, credential and date', () => {
    expect(check(pins, v4Form)).toEqual([]);
    for (let i = 0; i < pins.length; i++) {
      const fewer = pins.filter((_, j) => j !== i);
      expect(check(fewer, v4Form)).toEqual([expect.stringContaining('a V4 policy must pin')]);
    }
    // A V1 form does not.
    expect(check([], { key: 'k', OSSAccessKeyId: 'LTAI', Signature: 's' })).toEqual([]);
  });

  it('with a security token, needs it pinned too', () => {
    const form = { ...v4Form, 'x-oss-security-token': 'token' };
    expect(check(pins, form)).toEqual(['a V4 policy must pin x-oss-security-token']);
    expect(check([...pins, { 'x-oss-security-token': 'token' }], form)).toEqual([]);
    expect(check([...pins, { 'x-oss-security-token': 'other' }], form)).toHaveLength(1);
  });

  it('refuses a form whose pinned fields differ from the policy’s', () => {
    expect(check(pins, { ...v4Form, 'x-oss-date': '20300601T120001Z' })).toHaveLength(1);
  });
});

describe('checkPostPolicy: what it reads', () => {
  const document = policyOf(['eq', '$key', 'k']);
  const text = JSON.stringify(document);

  it('takes the document, its JSON text, or the base64 policy field of a form', () => {
    for (const policy of [document, text, ` ${text}`, Buffer.from(text).toString('base64')]) {
      expect(checkPostPolicy(policy, { key: 'k' }, { now: NOW }).ok).toBe(true);
      expect(checkPostPolicy(policy, { key: 'j' }, { now: NOW }).ok).toBe(false);
    }
  });

  it('agrees with what createPostPolicy returns', () => {
    const result = createPostPolicy({
      bucket: 'examplebucket',
      region: 'cn-hangzhou',
      credentials: { accessKeyId: 'LTAI5tExample', accessKeySecret: 'secret', securityToken: 'token' },
      keyPrefix: 'user/7/',
      contentLengthRange: [1, 100],
      contentType: { startsWith: 'image/' },
      metadata: { owner: 'alice' },
      now: NOW,
    });
    const options = {
      bucket: 'examplebucket',
      fileName: 'a.png',
      fileType: 'image/png',
      fileSize: 50,
      now: NOW,
    };
    expect(checkPostPolicy(result.policy, result.fields, options)).toEqual({ ok: true, violations: [] });
    expect(checkPostPolicy(result.fields.policy as string, result.fields, options).ok).toBe(true);
    expect(checkPostPolicy(result.policy, result.fields, { ...options, fileType: 'text/plain' }).ok).toBe(
      false,
    );
    expect(checkPostPolicy(result.policy, { ...result.fields, key: 'user/8/a.png' }, options).ok).toBe(false);
  });

  it('refuses what is not a policy, a form or options with OssSignError', () => {
    expectSignError(() => checkPostPolicy('not json', { key: 'k' }), 'INVALID_POLICY');
    expectSignError(() => checkPostPolicy('{"conditions":[]}', { key: 'k' }), 'INVALID_POLICY', /expiration/);
    expectSignError(
      () => checkPostPolicy({ expiration: EXPIRATION } as never, { key: 'k' }),
      'INVALID_POLICY',
    );
    expectSignError(() => checkPostPolicy(policyOf(['EQ', '$key', 'k'] as never), {}), 'INVALID_POLICY');
    expectSignError(() => checkPostPolicy(document, null as never), 'INVALID_ARGUMENT', /form/);
    expectSignError(
      () => checkPostPolicy(document, { key: 1 as never }),
      'INVALID_ARGUMENT',
      /form\["key"\]/,
    );
    expectSignError(() => checkPostPolicy(document, {}, null as never), 'INVALID_ARGUMENT');
    expectSignError(() => checkPostPolicy(document, {}, { fileSize: -1 }), 'INVALID_ARGUMENT', /fileSize/);
    expectSignError(() => checkPostPolicy(document, {}, { fileSize: 1.5 }), 'INVALID_ARGUMENT', /fileSize/);
    expectSignError(
      () => checkPostPolicy(document, {}, { fileName: 1 as never }),
      'INVALID_ARGUMENT',
      /fileName/,
    );
    expectSignError(
      () => checkPostPolicy(document, {}, { now: Date.now() as never }),
      'INVALID_ARGUMENT',
      /now/,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// The property: checkPostPolicy agrees with the local endpoint.

const SEED = 20250802;
const RUNS = 100;

let oss: LocalOss;
let serverNow = Date.now();
/** The time everything below is measured from: when the STS session was issued. */
let start = 0;
let sts: TemporaryCredentials;

beforeAll(async () => {
  oss = await createLocalOss({ roleArn: ROLE_ARN, clock: () => new Date(serverNow) });
  // The official SDK signs AssumeRole with the real time, so the session is issued at the real time.
  serverNow = Date.now();
  start = Math.floor(serverNow / 1000) * 1000;
  sts = await assumeRole(oss, { durationSeconds: 3600 });
});

afterAll(() => oss?.close());

const TYPES = ['text/plain', 'image/png', 'image/jpeg', 'application/zip'] as const;

const policyArb = fc.record({
  useSts: fc.boolean(),
  signatureVersion: fc.constantFrom('v1' as const, 'v4' as const),
  signedAfterStart: fc.integer({ min: 0, max: 20 * 60 }),
  expiresIn: fc.integer({ min: 1, max: 30 * 60 }),
  keyChoice: fc.constantFrom('exact', 'filename', 'prefix', 'any'),
  keyName: fc.stringMatching(/^[a-z0-9][a-z0-9 ._-]{0,12}$/),
  size: fc.option(
    fc
      .tuple(fc.nat({ max: 40 }), fc.nat({ max: 40 }))
      .map(([min, extra]) => [min, min + extra] as [number, number]),
    { nil: undefined, freq: 6 },
  ),
  contentType: fc.option(
    fc.oneof(
      fc.constantFrom(...TYPES),
      fc.uniqueArray(fc.constantFrom(...TYPES), { minLength: 1, maxLength: 3 }),
      fc.constantFrom('image/', 'text/').map((startsWith) => ({ startsWith })),
    ),
    { nil: undefined },
  ),
  metadata: fc.option(fc.constant({ owner: 'alice' }), { nil: undefined }),
  fields: fc.option(
    fc.constantFrom<Record<string, string>>(
      { 'x-oss-object-acl': 'private' },
      { 'Cache-Control': 'max-age=60' },
    ),
    {
      nil: undefined,
    },
  ),
  successActionStatus: fc.option(fc.constantFrom(200 as const, 201 as const, 204 as const), {
    nil: undefined,
  }),
  conditions: fc.subarray<PolicyCondition>([
    ['starts-with', '$x-oss-meta-owner', 'al'],
    ['not-in', '$content-type', ['application/zip']],
    ['in', '$cache-control', ['', 'max-age=60']],
    ['starts-with', '$key', ''],
  ]),
});

/** What a browser (or an attacker) does to the form before posting it. */
const changeArb = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    name: fc.constantFrom(
      'key',
      'Content-Type',
      'x-oss-meta-owner',
      'Cache-Control',
      'x-oss-object-acl',
      'x-oss-date',
    ),
    value: fc.constantFrom(
      'RUN-other.txt',
      '${filename}',
      'RUN/${filename}',
      'RUN/sub/${filename}',
      'RUN/x.txt',
      'elsewhere/${filename}',
      '/${filename}',
      'alice',
      'bob',
      'max-age=60',
      'no-store',
      'private',
      ...TYPES,
    ),
  }),
  fc.record({
    kind: fc.constant('remove' as const),
    name: fc.constantFrom(
      'key',
      'Content-Type',
      'x-oss-meta-owner',
      'Cache-Control',
      'success_action_status',
    ),
  }),
  fc.record({ kind: fc.constant('upper-case copy' as const), name: fc.constantFrom('key', 'Content-Type') }),
);

const fileArb = fc.record({
  /** Where the size falls in the policy's range, in percent: mostly inside, sometimes just outside. */
  sizeAt: fc.integer({ min: -10, max: 110 }),
  type: fc.option(fc.constantFrom(...TYPES), { nil: undefined }),
  name: fc.constantFrom(
    'photo.txt',
    'a b.png',
    'dir/inner.png',
    'C:\\Users\\me\\x.jpg',
    'é.txt',
    'protected.txt',
    '',
    'dir/',
  ),
});

type Change = typeof changeArb extends fc.Arbitrary<infer C> ? C : never;

/** Applies a change to the form; `RUN` in a value is this run's prefix. */
function applyChange(form: Record<string, string>, change: Change, run: string): void {
  const existing = Object.keys(form).find((name) => name.toLowerCase() === change.name.toLowerCase());
  if (change.kind === 'remove') {
    if (existing !== undefined) delete form[existing];
  } else if (change.kind === 'set') {
    form[existing ?? change.name] = change.value.replace('RUN', run);
  } else if (existing !== undefined) {
    form[existing.toUpperCase()] = `${form[existing]}`;
  }
}

describe('checkPostPolicy agrees with the local endpoint', () => {
  it('ok exactly when the endpoint stores the upload', async () => {
    let run = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        policyArb,
        fc.oneof(
          { weight: 2, arbitrary: fc.constant([]) },
          { weight: 1, arbitrary: fc.array(changeArb, { minLength: 1, maxLength: 2 }) },
        ),
        fileArb,
        // The server's time after signing, in percent of expiresIn: a little before, during, after.
        fc.integer({ min: -5, max: 110 }),
        async (p, changes, file, serverAt) => {
          run++;
          const prefix = `runs/${run}`;
          const now = new Date(start + p.signedAfterStart * 1000);
          const key =
            p.keyChoice === 'exact'
              ? { key: `${prefix}/${p.keyName}` }
              : p.keyChoice === 'filename'
                ? { key: `${prefix}/\${filename}` }
                : p.keyChoice === 'prefix'
                  ? { keyPrefix: `${prefix}/` }
                  : { allowAnyKey: true };
          const options: CreatePostPolicyOptions = {
            bucket: BUCKET,
            region: oss.region,
            endpoint: oss.url,
            credentials: p.useSts ? sts : oss.credentials,
            signatureVersion: p.signatureVersion,
            now,
            expiresIn: p.expiresIn,
            ...key,
            ...(p.size ? { contentLengthRange: p.size } : { allowAnySize: true }),
            ...(p.contentType !== undefined && { contentType: p.contentType }),
            ...(p.metadata && { metadata: p.metadata }),
            ...(p.fields && { fields: p.fields }),
            ...(p.successActionStatus && { successActionStatus: p.successActionStatus }),
            conditions: p.conditions,
          };
          // A policy whose own form it would refuse (a raw condition against a pinned field) is not created.
          const created = outcome(() => createPostPolicy(options));
          if (!created.ok) expect(created.code).toBe('INVALID_POLICY');
          fc.pre(created.ok);
          const result = created.value;
          const form = { ...result.fields };
          if (form.key === undefined) form.key = `${prefix}/any-${p.keyName}`;
          for (const change of changes) applyChange(form, change, prefix);

          // Unique names, so that a key made of the file name is this run's alone.
          const fileName = file.name.replace(/[^\\/]+$/, (base) => `${run}-${base}`);
          const [min, max] = p.size ?? [0, 50];
          const size =
            file.sizeAt < 0
              ? Math.max(0, min - 1)
              : file.sizeAt > 100
                ? max + 1
                : min + Math.round(((max - min) * file.sizeAt) / 100);
          const content = Buffer.alloc(size, `${run}.`);
          serverNow = now.getTime() + Math.round((p.expiresIn * 10 * serverAt) / 1000) * 1000;
          const verdict = checkPostPolicy(form.policy ?? result.policy, form, {
            bucket: BUCKET,
            fileSize: size,
            fileName,
            fileType: file.type,
            now: new Date(serverNow),
          });
          const { body, contentType } = multipartForm(Object.entries(form), {
            name: fileName,
            type: file.type,
            content,
          });
          const response = await send(`${oss.url}/${BUCKET}`, {
            method: 'POST',
            headers: { 'content-type': contentType },
            body,
          });
          const formKey = Object.entries(form).find(([name]) => name.toLowerCase() === 'key')?.[1];
          const storedKey = formKey?.replaceAll('${filename}', fileName.split(/[\\/]/).pop() ?? '');
          const stored = storedKey === undefined ? undefined : oss.getObject(BUCKET, storedKey);
          const storedThis = stored !== undefined && Buffer.from(stored.body).equals(content);
          const context = {
            form,
            fileName,
            size,
            type: file.type,
            status: response.status,
            body: response.body.toString(),
            verdict,
          };
          expect(response.status < 400, JSON.stringify(context)).toBe(verdict.ok);
          // Accepted: stored under the key; refused: nothing of this run stored there.
          expect(storedThis, JSON.stringify(context)).toBe(verdict.ok);
          if (verdict.ok) accepted++;
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    // Both answers were exercised.
    expect(accepted).toBeGreaterThan(RUNS / 5);
    expect(accepted).toBeLessThan(RUNS - RUNS / 5);
  });
});
