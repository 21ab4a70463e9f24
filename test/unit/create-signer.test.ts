/**
 * createSigner(config).method(o) returns what the pure function returns for { ...config, ...o }: the same
 * result, or an error with the same code and message. A per-call option given as `undefined` counts as not
 * given, on both sides (options are read as own properties with a value), so it is left out of the merge.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createPostPolicy,
  createSigner,
  presignUrl,
  type Signer,
  type SignerConfig,
  signRequest,
} from '../../src/index.js';
import { expectSignError, type Outcome, outcome } from '../support/errors.js';
import {
  postPolicyCallArb,
  presignCallArb,
  requestCallArb,
  signerConfigArb,
} from '../support/signing-options.js';

const SEED = 20250801;
const RUNS = 300;

/** The merged options of a call, with credentials the signer has never seen (so no cache is shared). */
function merged(config: SignerConfig, call: Record<string, unknown>): Record<string, unknown> {
  const given = Object.fromEntries(Object.entries(call).filter(([, value]) => value !== undefined));
  return { ...config, credentials: { ...config.credentials }, ...given };
}

type Method = 'presignUrl' | 'createPostPolicy' | 'signRequest';
const pure: Record<Method, (options: never) => unknown> = { presignUrl, createPostPolicy, signRequest };

/**
 * One signer, several calls: a signer that kept something of one call (a V4 key of another day, a header)
 * shows it on the next.
 */
function checkCalls(method: Method, config: SignerConfig, calls: Record<string, unknown>[]): void {
  const signer: Outcome<Signer> = outcome(() => createSigner(config));
  for (const call of calls) {
    const expected = outcome(() => pure[method](merged(config, call) as never));
    if (!signer.ok) {
      // A configuration createSigner refuses is refused by the pure function with the same error.
      expect(expected).toStrictEqual(signer);
      continue;
    }
    const actual = outcome(() => signer.value[method](call as never));
    expect(actual).toStrictEqual(expected);
    if (!expected.ok) expect(expected.name).toBe('OssSignError');
  }
}

describe('createSigner returns what the pure functions return for the merged options', () => {
  it.each([
    ['presignUrl', presignCallArb],
    ['createPostPolicy', postPolicyCallArb],
    ['signRequest', requestCallArb],
  ] as const)('%s', (method, callArb) => {
    let signed = 0;
    let refused = 0;
    fc.assert(
      fc.property(
        signerConfigArb,
        fc.array(callArb as fc.Arbitrary<Record<string, unknown>>, { minLength: 1, maxLength: 4 }),
        (config, calls) => {
          checkCalls(method, config, calls);
          for (const call of calls) {
            if (outcome(() => pure[method](merged(config, call) as never)).ok) signed++;
            else refused++;
          }
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    // Both sides of the property were exercised: calls that sign and calls that are refused.
    expect(signed).toBeGreaterThan(RUNS / 4);
    expect(refused).toBeGreaterThan(RUNS / 10);
  });

  it('the same signer called on different days, regions of time and versions keeps matching', () => {
    const config: SignerConfig = {
      bucket: 'examplebucket',
      region: 'cn-hangzhou',
      credentials: { accessKeyId: 'LTAI5tExample', accessKeySecret: 'secret-1234567890' },
    };
    const calls = [
      { key: 'a.txt', now: new Date('2030-01-01T23:59:59Z') },
      { key: 'a.txt', now: new Date('2030-01-02T00:00:00Z') },
      { key: 'a.txt', now: new Date('2030-01-01T23:59:59Z'), signatureVersion: 'v1' },
      { key: 'a.txt', now: new Date('2030-01-01T23:59:59Z') },
    ];
    checkCalls('presignUrl', config, calls);
    // The check compares something: the two days give different URLs.
    const signer = createSigner(config);
    expect(signer.presignUrl(calls[0] as never).url).not.toBe(signer.presignUrl(calls[1] as never).url);
  });
});

describe('a bound signer fixes its configuration', () => {
  const config: SignerConfig = {
    bucket: 'examplebucket',
    region: 'cn-hangzhou',
    credentials: { accessKeyId: 'LTAI5tExample', accessKeySecret: 'secret-1234567890' },
    signatureVersion: 'v1',
  };
  const now = new Date('2030-01-01T00:00:00Z');
  const perCall = {
    presignUrl: { key: 'a.txt', now },
    createPostPolicy: { key: 'a.txt', contentLengthRange: [0, 10], now },
    signRequest: { method: 'GET', key: 'a.txt', now },
  } as const;
  const overrides = {
    bucket: 'otherbucket',
    region: 'cn-shanghai',
    endpoint: 'https://oss-cn-shanghai.aliyuncs.com',
    cname: true,
    pathStyle: true,
    product: 'oss-cloudbox',
    credentials: { accessKeyId: 'LTAIother', accessKeySecret: 'other-secret' },
  };

  it.each(Object.keys(perCall) as Method[])(
    '%s refuses per-call bucket, region, endpoint, credentials…',
    (method) => {
      const signer = createSigner(config);
      for (const [name, value] of Object.entries(overrides)) {
        expectSignError(
          () => signer[method]({ ...perCall[method], [name]: value } as never),
          'INVALID_ARGUMENT',
          new RegExp(`${method} of a signer from createSigner takes no ${name}`),
        );
      }
      // An option given as undefined is not given: the call signs with the configuration.
      const withUndefined = Object.fromEntries(Object.keys(overrides).map((name) => [name, undefined]));
      expect(signer[method]({ ...perCall[method], ...withUndefined } as never)).toStrictEqual(
        signer[method](perCall[method] as never),
      );
    },
  );

  it("uses the configuration's signature version unless the call names one", () => {
    const signer = createSigner(config);
    expect(signer.presignUrl({ key: 'a.txt', now }).url).toContain('OSSAccessKeyId=');
    expect(signer.presignUrl({ key: 'a.txt', now, signatureVersion: undefined }).url).toContain(
      'OSSAccessKeyId=',
    );
    expect(signer.presignUrl({ key: 'a.txt', now, signatureVersion: 'v4' }).url).toContain(
      'x-oss-credential=',
    );
  });

  it('refuses a bad configuration at creation', () => {
    expectSignError(() => createSigner({ ...config, bucket: 'Bad_Bucket' }), 'INVALID_BUCKET');
    expectSignError(() => createSigner({ ...config, endpoint: 'https://u:p@host' }), 'INVALID_ENDPOINT');
    expectSignError(
      () => createSigner({ ...config, credentials: undefined as never }),
      'MISSING_CREDENTIALS',
    );
    expectSignError(() => createSigner({ ...config, signatureVersion: 'v2' as never }), 'INVALID_ARGUMENT');
    expectSignError(() => createSigner(null as never), 'INVALID_ARGUMENT', /createSigner/);
  });
});
