/**
 * Issue 9, item 10: no raw exceptions. Every public function signs or throws OssSignError with a code,
 * whatever value sits in whatever place of its input: objects without a prototype, BigInt, circular
 * values, symbols, functions, Proxies, fake Dates, values whose own methods throw. Only an exception the
 * caller's own code throws (a getter, a Proxy trap) passes through, unwrapped.
 */
import { describe, expect, it } from 'vitest';
import {
  checkPostPolicy,
  computeSignatureV1,
  computeSignatureV4,
  createPostPolicy,
  createSigner,
  OssSignError,
  presignUrl,
  signPostPolicy,
  signRequest,
} from '../../../src/index.js';
import { ENTRY_POINTS, type EntryPoint, type Options, SECRET } from '../../support/entry-points.js';
import { thrownBy } from '../../support/errors.js';

const circularArray: unknown[] = [];
circularArray.push(circularArray);
const circularObject: Record<string, unknown> = {};
circularObject.self = circularObject;
const throwing = () => {
  throw new Error('the value was converted');
};

/** Values no option takes, each named. None of them throws unless the library converts or calls it. */
const HOSTILE: Record<string, unknown> = {
  'Object.create(null)': Object.create(null),
  'Object.create(null) with members': Object.assign(Object.create(null), { a: 'b', accessKeyId: 'x' }),
  BigInt: 10n,
  'a negative BigInt': -1n,
  'a circular array': circularArray,
  'a circular object': circularObject,
  'an array holding a circular array': ['eq', '$key', circularArray],
  'an array holding a BigInt': [0, 10n],
  'an array holding a symbol': ['eq', '$key', Symbol('x')],
  'a symbol': Symbol('x'),
  'a registered symbol': Symbol.for('x'),
  'a function': () => 'x',
  'a class': class {},
  'a Proxy of an object': new Proxy({ a: 'b' }, {}),
  'a Proxy of an array': new Proxy(['a', 'b'], {}),
  'a Proxy of a function': new Proxy(() => 'x', {}),
  'a Proxy of a Date': new Proxy(new Date('2030-06-01T12:00:00Z'), {}),
  'a fake Date': Object.setPrototypeOf({}, Date.prototype),
  'a Date subclass': new (class extends Date {})('2030-06-01T12:00:00Z'),
  'an invalid Date': new Date(Number.NaN),
  'the largest Date': new Date(8.64e15),
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-0': -0,
  '1e308': 1e308,
  'an unsafe integer': 2 ** 60,
  'a boxed string': new String('photos/cat.jpg'),
  'a boxed number': new Number(600),
  'a boxed boolean': new Boolean(true),
  'an array with holes': Object.assign(new Array(3), { 1: 'a' }),
  'an array of arrays': [['a']],
  'an array of holes': new Array(2),
  'holes, then a condition': Object.assign(new Array(2), { 1: ['eq', '$key', 'user/7/a.png'] }),
  'a Map': new Map([['a', 'b']]),
  'a Set': new Set(['a']),
  'a Uint8Array': new Uint8Array([1, 2]),
  'an ArrayBuffer': new ArrayBuffer(2),
  'a RegExp': /a/,
  'an Error': new Error('x'),
  'a Promise': Promise.resolve('x'),
  'a WeakMap': new WeakMap(),
  'an object whose toString, valueOf and toJSON throw': {
    toString: throwing,
    valueOf: throwing,
    toJSON: throwing,
    [Symbol.toPrimitive]: throwing,
  },
  'an array whose toString throws': Object.assign(['a'], { toString: throwing, toJSON: throwing }),
  'an object with a Symbol.toStringTag': { [Symbol.toStringTag]: 'Date' },
  'a string with a lone surrogate': 'a\uD800b',
  'a string with NUL': 'a\u0000b',
  'a string with CR LF': 'a\r\nb',
  'a long string': 'a'.repeat(100_000),
  'an empty string': '',
  null: null,
  true: true,
};

/** Every path into the options of a successful call, up to three levels deep, and every name it takes. */
function paths(entry: EntryPoint): (string | number)[][] {
  const found: (string | number)[][] = [];
  const walk = (value: unknown, path: (string | number)[]) => {
    if (path.length > 0) found.push(path);
    if (path.length >= 3 || typeof value !== 'object' || value === null || value instanceof Date) return;
    for (const [name, item] of Object.entries(value))
      walk(item, [...path, Array.isArray(value) ? Number(name) : name]);
  };
  const base = entry.base();
  walk(base, []);
  for (const name of entry.takes) if (!(name in base)) found.push([name]);
  return found;
}

/** A copy of `options` with `value` at `path` (containers along the path copied, not shared). */
function setAt(options: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const copy = (Array.isArray(options) ? [...options] : { ...(options as object) }) as Record<
    string | number,
    unknown
  >;
  copy[head] = setAt(copy[head], rest, value);
  return copy;
}

const ERROR_CODES = new Set([
  'INVALID_ARGUMENT',
  'INVALID_BUCKET',
  'INVALID_KEY',
  'INVALID_REGION',
  'INVALID_ENDPOINT',
  'INVALID_METHOD',
  'INVALID_HEADER',
  'INVALID_QUERY',
  'INVALID_EXPIRES',
  'MISSING_CREDENTIALS',
  'INVALID_CREDENTIALS',
  'EXPIRES_AFTER_CREDENTIALS',
  'INVALID_POLICY',
  'UNSAFE_POLICY',
  'INVALID_CALLBACK',
  'INVALID_UPLOAD_ID',
  'INVALID_PART_NUMBER',
]);

describe('no raw exceptions', () => {
  it.each(ENTRY_POINTS.map((entry) => [entry.name, entry] as const))(
    '%s: the base call succeeds',
    (_name, entry) => {
      const result = entry.call(entry.base());
      if (entry.name === 'checkPostPolicy') expect(result).toEqual({ ok: true, violations: [] });
    },
  );

  it.each(ENTRY_POINTS.map((entry) => [entry.name, entry] as const))(
    '%s signs or throws OssSignError, whatever value is in whatever place',
    (_name, entry) => {
      const raw: string[] = [];
      let refused = 0;
      for (const path of paths(entry)) {
        for (const [kind, value] of Object.entries(HOSTILE)) {
          const options = setAt(entry.base(), path, value) as Options;
          const error = thrownBy(() => entry.call(options));
          if (error === undefined) continue;
          if (!(error instanceof OssSignError) || !ERROR_CODES.has(error.code) || !error.message) {
            raw.push(
              `${kind} at ${path.join('.') || '(the options)'}: ${String((error as Error)?.stack ?? error)}`,
            );
          } else {
            refused++;
            // Showing the error never throws either.
            expect(() => [String(error), JSON.stringify(error), error.stack]).not.toThrow();
          }
        }
      }
      expect(raw, raw.slice(0, 5).join('\n\n')).toEqual([]);
      expect(refused).toBeGreaterThan(Object.keys(HOSTILE).length);
    },
  );
});

/** Each public function with one of its arguments given by the test, the others valid. */
function argumentCalls(): [string, (value: unknown) => unknown][] {
  const base = (name: string) => ENTRY_POINTS.find((entry) => entry.name === name)?.base() as Options;
  const { policy: signedPolicy, ...signOptions } = base('signPostPolicy');
  const { policy: checkedPolicy, form, ...checkOptions } = base('checkPostPolicy');
  const { stringToSign: _, ...v4Options } = base('computeSignatureV4');
  const config = {
    bucket: 'examplebucket',
    region: 'cn-hangzhou',
    credentials: base('presignUrl').credentials,
  };
  const signer = createSigner(config as never);
  return [
    ['presignUrl(options)', (v) => presignUrl(v as never)],
    ['signRequest(options)', (v) => signRequest(v as never)],
    ['createPostPolicy(options)', (v) => createPostPolicy(v as never)],
    ['createSigner(config)', (v) => createSigner(v as never)],
    ['signer.presignUrl(options)', (v) => signer.presignUrl(v as never)],
    ['signer.createPostPolicy(options)', (v) => signer.createPostPolicy(v as never)],
    ['signer.signRequest(options)', (v) => signer.signRequest(v as never)],
    ['signPostPolicy(policy, …)', (v) => signPostPolicy(v as never, signOptions as never)],
    ['signPostPolicy(…, options)', (v) => signPostPolicy(signedPolicy as never, v as never)],
    [
      'computeSignatureV1(stringToSign, …)',
      (v) => computeSignatureV1(v as never, { accessKeySecret: SECRET }),
    ],
    ['computeSignatureV1(…, options)', (v) => computeSignatureV1('x', v as never)],
    ['computeSignatureV4(stringToSign, …)', (v) => computeSignatureV4(v as never, v4Options as never)],
    ['computeSignatureV4(…, options)', (v) => computeSignatureV4('x', v as never)],
    ['checkPostPolicy(policy, …)', (v) => checkPostPolicy(v as never, form as never, checkOptions)],
    ['checkPostPolicy(…, form, …)', (v) => checkPostPolicy(checkedPolicy as never, v as never, checkOptions)],
    [
      'checkPostPolicy(…, options)',
      (v) => checkPostPolicy(checkedPolicy as never, form as never, v as never),
    ],
  ];
}

describe('no raw exceptions, whatever an argument is', () => {
  it.each(argumentCalls())('%s', (_name, call) => {
    const raw: string[] = [];
    for (const [kind, value] of Object.entries(HOSTILE)) {
      const error = thrownBy(() => call(value));
      if (error !== undefined && !(error instanceof OssSignError && ERROR_CODES.has(error.code))) {
        raw.push(`${kind}: ${String((error as Error)?.stack ?? error)}`);
      }
    }
    expect(raw, raw.slice(0, 5).join('\n\n')).toEqual([]);
  });
});

describe("the caller's own exceptions pass through", () => {
  class CallerError extends Error {}
  const thrown = new CallerError('from the caller');
  const objectArguments = argumentCalls().filter(
    ([name]) => !name.includes('stringToSign') && !name.startsWith('('),
  );

  /** Every name an entry point reads, so that a getter sits wherever the function looks. */
  const NAMES = [...new Set(ENTRY_POINTS.flatMap((entry) => entry.takes))].concat(
    'accessKeyId',
    'accessKeySecret',
    'expiration',
    'conditions',
  );

  it.each(objectArguments)('%s: a Proxy trap or a getter that throws', (_name, call) => {
    const fail = () => {
      throw thrown;
    };
    const trap = new Proxy({}, { ownKeys: fail, get: fail, has: fail, getOwnPropertyDescriptor: fail });
    const getters = Object.defineProperties(
      {},
      Object.fromEntries(NAMES.map((name) => [name, { enumerable: true, get: fail }])),
    );
    for (const value of [trap, getters]) {
      const error = thrownBy(() => call(value));
      // The very error the caller's code threw, or an OssSignError caused by it.
      expect(
        error === thrown || (error instanceof OssSignError && error.cause === thrown),
        String(error),
      ).toBe(true);
    }
  });
});
