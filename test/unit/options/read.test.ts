/**
 * Issue 9, item 11, and how options are read: own enumerable properties only, each read once (a getter
 * that answers differently on its second read changes nothing), nothing from a polluted Object.prototype,
 * and `__proto__` / `constructor` treated the same way by every function.
 */
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import {
  checkPostPolicy,
  computeSignatureV1,
  computeSignatureV4,
  createPostPolicy,
  createSigner,
  presignUrl,
  signPostPolicy,
  signRequest,
} from '../../../src/index.js';
import {
  ENTRY_POINTS,
  longTermCredentials,
  NOW,
  type Options,
  pinnedPolicy,
  SECRET,
  SIGNING_ENTRY_POINTS,
  stsCredentials,
  withOverrides,
} from '../../support/entry-points.js';
import { expectSignError, type Outcome, outcome } from '../../support/errors.js';

const base = (name: string) => ENTRY_POINTS.find((entry) => entry.name === name)?.base() as Options;

/** A valid value for each option that differs from the base one: what a second read would see. */
const OTHER: Options = {
  bucket: 'otherbucket',
  region: 'cn-shanghai',
  endpoint: 'https://oss-cn-shanghai.aliyuncs.com',
  cname: true,
  pathStyle: true,
  product: 'oss-other',
  credentials: { accessKeyId: 'LTAIother', accessKeySecret: 'other-secret-value' },
  accessKeyId: 'LTAIother',
  accessKeySecret: 'other-secret-value',
  securityToken: 'other-token',
  expiration: '2030-06-01T12:30:00Z',
  key: 'other.txt',
  keyPrefix: 'other/',
  method: 'DELETE',
  contentType: 'text/plain',
  contentMd5: 'XUFAKrxLKna5cZ2REBfFkg==',
  headers: { 'x-oss-meta-other': '1' },
  query: { other: '1' },
  additionalHeaders: ['x-other'],
  subResources: ['acl'],
  expiresIn: 60,
  signatureVersion: 'v1',
  now: new Date('2030-06-01T12:05:00Z'),
  contentLengthRange: [5, 6],
  successActionStatus: 204,
  successActionRedirect: 'https://example.com/other',
  metadata: { other: '1' },
  fields: { other: '1' },
  conditions: [['eq', '$other', '1']],
  callback: 'b3RoZXI=',
  allowAnyKey: true,
  allowAnySize: true,
  date: '20300602',
  stringToSign: 'other',
  fileSize: 1000,
  fileName: 'other.png',
  fileType: 'text/plain',
  startsWith: 'other/',
  policy: { expiration: '2030-01-01T00:00:00Z', conditions: [] },
  form: { key: 'other' },
};

type Reads = Map<string, number>;

/**
 * `value` with every own property (and those of its nested plain objects and arrays) turned into a
 * getter that counts its reads in `reads` (by path) and answers differently after the first read.
 */
function flipping(value: unknown, reads: Reads, path = ''): unknown {
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  const target: Options | unknown[] = Array.isArray(value) ? [] : {};
  for (const [name, item] of Object.entries(value)) {
    const at = path ? `${path}.${name}` : name;
    const first = flipping(item, reads, at);
    Object.defineProperty(target, name, {
      enumerable: true,
      configurable: true,
      get() {
        const count = (reads.get(at) ?? 0) + 1;
        reads.set(at, count);
        return count === 1 ? first : (OTHER[name] ?? `${String(item)}-changed`);
      },
    });
  }
  return target;
}

function own(options: Options, name: string): unknown {
  return Object.hasOwn(options, name) ? options[name] : undefined;
}

/** Each public function called with its options object given whole (as the caller gives it). */
const DIRECT_CALLS: [string, () => Options, (options: Options) => unknown][] = [
  ['presignUrl', () => base('presignUrl'), (o) => presignUrl(o as never)],
  ['signRequest', () => base('signRequest'), (o) => signRequest(o as never)],
  ['createPostPolicy', () => base('createPostPolicy'), (o) => createPostPolicy(o as never)],
  [
    'signPostPolicy',
    () => ({ credentials: stsCredentials(), region: 'cn-hangzhou', now: NOW }),
    (o) => signPostPolicy(pinnedPolicy() as never, o as never),
  ],
  [
    'createSigner',
    () => ({ bucket: 'examplebucket', region: 'cn-hangzhou', credentials: stsCredentials() }),
    (o) => createSigner(o as never).presignUrl({ key: 'a.txt', now: NOW }),
  ],
  [
    'signer.presignUrl',
    () => withOverrides(base('presignUrl'), { bucket: undefined, region: undefined, credentials: undefined }),
    (o) =>
      createSigner({
        bucket: 'examplebucket',
        region: 'cn-hangzhou',
        credentials: stsCredentials(),
      }).presignUrl(o as never),
  ],
  [
    'signer.createPostPolicy',
    () =>
      withOverrides(base('createPostPolicy'), {
        bucket: undefined,
        region: undefined,
        credentials: undefined,
      }),
    (o) =>
      createSigner({
        bucket: 'examplebucket',
        region: 'cn-hangzhou',
        credentials: stsCredentials(),
      }).createPostPolicy(o as never),
  ],
  [
    'signer.signRequest',
    () =>
      withOverrides(base('signRequest'), { bucket: undefined, region: undefined, credentials: undefined }),
    (o) =>
      createSigner({
        bucket: 'examplebucket',
        region: 'cn-hangzhou',
        credentials: stsCredentials(),
      }).signRequest(o as never),
  ],
  ['computeSignatureV1', () => ({ accessKeySecret: SECRET }), (o) => computeSignatureV1('x', o as never)],
  [
    'computeSignatureV4',
    () => ({ accessKeySecret: SECRET, date: '20300601', region: 'cn-hangzhou', product: 'oss' }),
    (o) => computeSignatureV4('x', o as never),
  ],
  [
    'checkPostPolicy',
    () => withOverrides(base('checkPostPolicy'), { policy: undefined, form: undefined }),
    (o) => checkPostPolicy(pinnedPolicy() as never, base('checkPostPolicy').form as never, o as never),
  ],
  [
    'checkPostPolicy (policy and form)',
    () => ({ policy: pinnedPolicy(), form: base('checkPostPolicy').form }),
    // The test's own reads are of own properties too, or pollution would reach the call through them.
    (o) =>
      checkPostPolicy(own(o, 'policy') as never, own(o, 'form') as never, {
        now: NOW,
        fileSize: 10,
        fileName: 'a.png',
      }),
  ],
];

describe('options are read once', () => {
  it.each(DIRECT_CALLS)('%s: every option and every member of one, once', (_name, options, call) => {
    const reads: Reads = new Map();
    const expected = outcome(() => call(options()));
    expect(expected.ok).toBe(true);
    expect(outcome(() => call(flipping(options(), reads) as Options))).toStrictEqual(expected);
    const readTwice = [...reads].filter(([, count]) => count > 1);
    expect(readTwice).toEqual([]);
    expect(reads.size).toBeGreaterThan(0);
  });

  it('a signer reads its configuration once, when created', () => {
    const reads: Reads = new Map();
    const config = { bucket: 'examplebucket', region: 'cn-hangzhou', credentials: longTermCredentials() };
    const signer = createSigner(flipping(config, reads) as never);
    const countAfterCreation = [...reads.values()].reduce((a, b) => a + b, 0);
    for (let i = 0; i < 3; i++) signer.presignUrl({ key: 'a.txt', now: NOW });
    expect([...reads.values()].reduce((a, b) => a + b, 0)).toBe(countAfterCreation);
    expect(signer.presignUrl({ key: 'a.txt', now: NOW })).toStrictEqual(
      presignUrl({ ...config, key: 'a.txt', now: NOW }),
    );
  });

  it('options on the prototype or not enumerable are not read', () => {
    const own = base('presignUrl');
    const inherited = Object.create(own);
    expectSignError(() => presignUrl(inherited), 'INVALID_BUCKET');
    const hidden = Object.defineProperty({ ...own }, 'key', { value: 'hidden.txt', enumerable: false });
    expectSignError(() => presignUrl(hidden as never), 'INVALID_KEY');
    const credentials = Object.create(longTermCredentials());
    expectSignError(() => presignUrl({ ...own, credentials } as never), 'MISSING_CREDENTIALS');
    expectSignError(
      () => computeSignatureV1('x', Object.create({ accessKeySecret: SECRET })),
      'MISSING_CREDENTIALS',
    );
  });
});

/** The values an attacker would put on Object.prototype, by option name. */
const POLLUTION: Options = {
  ...OTHER,
  credentials: { accessKeyId: 'LTAIpolluted', accessKeySecret: 'polluted-secret' },
  securityToken: 'polluted-token',
  stsToken: 'polluted-sts-token',
  expiration: '2000-01-01T00:00:00Z',
  endpoint: 'https://evil.example.com',
  query: { injected: '1' },
  headers: { 'x-oss-meta-injected': '1' },
  metadata: { injected: '1' },
  fields: { injected: '1' },
  conditions: [['eq', '$injected', '1']],
  expiresIn: 5,
  allowAnyKey: true,
  allowAnySize: true,
  contentType: 'text/evil',
  bucket: 'evilbucket',
  fileSize: 10 ** 12,
  fileName: '../evil.png',
  fileType: 'evil/type',
  'x-oss-meta-owner': 'mallory',
  'x-oss-security-token': 'polluted-token',
  'content-type': 'evil/type',
  key: 'evil.txt',
};

/** Calls whose options leave out each name in turn: where an inherited value would be picked up. */
function callsMissingEachOption(): [string, () => unknown][] {
  const calls: [string, () => unknown][] = [];
  for (const [name, options, call] of DIRECT_CALLS) {
    const full = options();
    calls.push([name, () => call(options())]);
    for (const option of Object.keys(full)) {
      calls.push([
        `${name} without ${option}`,
        () => call(withOverrides(options(), { [option]: undefined })),
      ]);
    }
  }
  calls.push(
    [
      'presignUrl, long-term credentials',
      () => presignUrl({ ...base('presignUrl'), credentials: longTermCredentials() } as never),
    ],
    [
      'createPostPolicy, no key limit',
      () => createPostPolicy(withOverrides(base('createPostPolicy'), { keyPrefix: undefined }) as never),
    ],
    [
      'createPostPolicy, empty records',
      () =>
        createPostPolicy({ ...base('createPostPolicy'), metadata: {}, fields: {}, conditions: [] } as never),
    ],
    [
      'presignUrl, empty headers and query',
      () => presignUrl({ ...base('presignUrl'), headers: {}, query: {} } as never),
    ],
    [
      'signPostPolicy V1',
      () =>
        signPostPolicy(pinnedPolicy() as never, {
          credentials: longTermCredentials(),
          signatureVersion: 'v1',
        }),
    ],
    [
      'checkPostPolicy, form without Content-Type',
      () => checkPostPolicy(pinnedPolicy() as never, { key: 'user/7/a.png' }, { now: NOW }),
    ],
    [
      'checkPostPolicy, no options',
      () =>
        checkPostPolicy({ expiration: '2999-01-01T00:00:00Z', conditions: [{ bucket: 'b' }] }, { key: 'k' }),
    ],
  );
  return calls;
}

describe('a polluted Object.prototype changes nothing', () => {
  it('in any function, whichever option is left out', () => {
    // Calls without now sign at the current time: the same for both runs.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const calls = callsMissingEachOption();
    const clean = calls.map(([, call]) => outcome(call));
    let polluted: Outcome<unknown>[] = [];
    const prototype = Object.prototype as Options;
    try {
      for (const [name, value] of Object.entries(POLLUTION)) prototype[name] = value;
      polluted = calls.map(([, call]) => outcome(call));
    } finally {
      for (const name of Object.keys(POLLUTION)) delete prototype[name];
    }
    expect(Object.keys(POLLUTION).filter((name) => name in {})).toEqual([]);
    const changed = calls
      .map(([name], i) => ({ name, clean: clean[i], polluted: polluted[i] }))
      .filter(({ clean, polluted }) => JSON.stringify(clean) !== JSON.stringify(polluted));
    expect(changed).toEqual([]);
    // The comparison had both kinds of outcome to compare.
    expect(clean.filter((o) => o.ok).length).toBeGreaterThan(10);
    expect(clean.filter((o) => !o.ok).length).toBeGreaterThan(10);
  });
});

describe('__proto__ and constructor as names', () => {
  const protoRecord = (): Record<string, string> => JSON.parse('{"__proto__":"x","a":"b"}');
  const queryTakers = SIGNING_ENTRY_POINTS.filter((entry) => entry.takes.includes('query'));
  const fieldTakers = SIGNING_ENTRY_POINTS.filter((entry) => entry.takes.includes('fields'));

  it.each(queryTakers.map((entry) => [entry.name, entry] as const))(
    '%s refuses a query parameter or header named __proto__, as every function does',
    (_name, entry) => {
      expect(Object.hasOwn(protoRecord(), '__proto__')).toBe(true);
      expectSignError(
        () => entry.call({ ...entry.base(), query: protoRecord() }),
        'INVALID_QUERY',
        /__proto__/,
      );
      expectSignError(
        () => entry.call({ ...entry.base(), headers: protoRecord() }),
        'INVALID_HEADER',
        /__proto__/,
      );
    },
  );

  it.each(fieldTakers.map((entry) => [entry.name, entry] as const))(
    '%s refuses fields or metadata named __proto__',
    (_name, entry) => {
      expectSignError(
        () => entry.call({ ...entry.base(), fields: protoRecord() }),
        'INVALID_POLICY',
        /__proto__/,
      );
      expectSignError(
        () => entry.call({ ...entry.base(), metadata: protoRecord() }),
        'INVALID_POLICY',
        /__proto__/,
      );
    },
  );

  const ORDINARY = [
    'constructor',
    'toString',
    'hasOwnProperty',
    'valueOf',
    'isPrototypeOf',
    '__defineGetter__',
  ];

  it.each(queryTakers.map((entry) => [entry.name, entry] as const))(
    '%s signs and sends constructor, toString… as ordinary names',
    (name, entry) => {
      for (const ordinary of ORDINARY) {
        const query = { [ordinary]: 'q' };
        const headers = { [ordinary]: 'h', [`x-oss-meta-${ordinary}`]: 'm' };
        const result = entry.call({ ...entry.base(), query, headers }) as Options;
        const resultHeaders = result.headers as Record<string, string>;
        expect(Object.hasOwn(resultHeaders, ordinary) && resultHeaders[ordinary]).toBe('h');
        expect(resultHeaders[`x-oss-meta-${ordinary}`]).toBe('m');
        // V4 signs every query parameter and x-oss-* header: in the URL, or in the canonical request.
        if (name.endsWith('presignUrl')) expect(String(result.url)).toContain(`?${ordinary}=q&`);
        else {
          expect(String(result.canonicalRequest)).toContain(`\n${ordinary}=q\n`);
          expect(String(result.canonicalRequest)).toContain(`\nx-oss-meta-${ordinary.toLowerCase()}:m\n`);
        }
      }
    },
  );

  it.each(fieldTakers.map((entry) => [entry.name, entry] as const))(
    '%s pins fields and metadata named constructor, toString… as ordinary names',
    (_name, entry) => {
      for (const ordinary of ORDINARY) {
        const result = entry.call({
          ...entry.base(),
          fields: { [ordinary]: 'f' },
          metadata: { [ordinary]: 'm' },
        }) as {
          fields: Record<string, string>;
          policy: { conditions: unknown[] };
        };
        expect(Object.hasOwn(result.fields, ordinary) && result.fields[ordinary]).toBe('f');
        expect(result.fields[`x-oss-meta-${ordinary}`]).toBe('m');
        expect(result.policy.conditions).toContainEqual(['eq', `$${ordinary}`, 'f']);
        expect(result.policy.conditions).toContainEqual(['eq', `$x-oss-meta-${ordinary}`, 'm']);
      }
    },
  );

  it('checkPostPolicy reads form fields and conditions named __proto__ or constructor as ordinary', () => {
    const policy = {
      expiration: '2030-06-01T13:00:00.000Z',
      conditions: [JSON.parse('{"__proto__":"x"}'), ['eq', '$constructor', 'y']],
    };
    const form = (proto: string, ctor: string) => ({
      ...JSON.parse(`{"__proto__":"${proto}"}`),
      key: 'k',
      constructor: ctor,
    });
    expect(checkPostPolicy(policy, form('x', 'y'), { now: NOW }).ok).toBe(true);
    expect(checkPostPolicy(policy, form('z', 'y'), { now: NOW }).ok).toBe(false);
    expect(checkPostPolicy(policy, form('x', 'z'), { now: NOW }).ok).toBe(false);
  });
});

describe('a name the function does not take', () => {
  // Other SDKs' names (ali-oss's, mostly) and the names of before the renames: each error says what to use.
  it.each([
    ['expires', 'expiresIn, in seconds'],
    ['accessKeyId', 'credentials: {'],
    ['stsToken', 'securityToken'],
    ['credential', 'credentials'],
    ['secure', 'endpoint as a URL'],
    ['Content-Type', 'contentType'],
    ['dir', 'keyPrefix'],
  ])('%s is refused, with a hint: %s', (name, hint) => {
    const error = expectSignError(
      () => presignUrl({ ...base('presignUrl'), [name]: 'x' } as never),
      'INVALID_ARGUMENT',
    );
    expect(error.message).toContain(`"${name}"`);
    expect(error.message).toContain(hint);
  });

  it('is refused with the list of the names it takes otherwise', () => {
    const error = expectSignError(
      () => presignUrl({ ...base('presignUrl'), bukket: 'b' } as never),
      'INVALID_ARGUMENT',
    );
    expect(error.message).toMatch(/"bukket".*it takes: bucket, region,/);
  });
});
