import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OssSignError } from '../../../src/errors.js';
import { createStsCredentialProvider } from '../../../src/sts/provider.js';
import type { StsCredentialProviderOptions } from '../../../src/sts/types.js';
import {
  expectNoSecrets,
  type Harness,
  LONG_TERM,
  ROLE_ARN,
  rejection,
  startHarness,
} from '../../support/sts-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  // Nothing here may reach STS: every rule is checked before the network.
  expect(h.sts.requests).toHaveLength(0);
  await h.close();
});

const tooLongPolicy = {
  Version: '1' as const,
  Statement: [
    { Effect: 'Allow' as const, Action: 'oss:PutObject', Resource: `acs:oss:*:*:b/${'x'.repeat(2048)}*` },
  ],
};
const circularStatement: Record<string, unknown> = {
  Effect: 'Allow',
  Action: 'oss:PutObject',
  Resource: '*',
};
const circular = { Version: '1', Statement: [circularStatement] };
circularStatement.Condition = circular;

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

function validOptions(override: object): StsCredentialProviderOptions {
  return { roleArn: ROLE_ARN, endpoint: h.sts.url, credentials: LONG_TERM, ...override };
}

describe('createStsCredentialProvider rejects bad options before any network call', () => {
  it.each<[string, object | null | undefined, string, RegExp]>([
    ['no options', undefined, 'INVALID_ARGUMENT', /options must be an object/],
    ['null options', null, 'INVALID_ARGUMENT', /createStsCredentialProvider options must be an object/],
    ['an empty roleArn', { roleArn: '' }, 'INVALID_ARGUMENT', /roleArn/],
    [
      'a roleArn that is not a role ARN',
      { roleArn: 'oss-upload' },
      'INVALID_ARGUMENT',
      /roleArn must look like/,
    ],
    [
      'a roleArn whose account id is not digits',
      { roleArn: 'acs:ram::my-account:role/oss-upload' },
      'INVALID_ARGUMENT',
      /roleArn must look like/,
    ],
    [
      'a roleArn that is a null-prototype object',
      { roleArn: Object.create(null) },
      'INVALID_ARGUMENT',
      /got an object/,
    ],
    [
      'durationSeconds below 900',
      { durationSeconds: 899 },
      'INVALID_ARGUMENT',
      /durationSeconds.*900 to 43200/,
    ],
    ['durationSeconds above 43200', { durationSeconds: 43201 }, 'INVALID_ARGUMENT', /durationSeconds/],
    [
      'a fractional durationSeconds',
      { durationSeconds: 1000.5 },
      'INVALID_ARGUMENT',
      /durationSeconds.*whole/,
    ],
    ['a BigInt durationSeconds', { durationSeconds: 3600n }, 'INVALID_ARGUMENT', /durationSeconds.*3600n/],
    [
      'a one-character roleSessionName',
      { roleSessionName: 'a' },
      'INVALID_ARGUMENT',
      /roleSessionName.*2-64/,
    ],
    [
      'a 65-character roleSessionName',
      { roleSessionName: 'a'.repeat(65) },
      'INVALID_ARGUMENT',
      /roleSessionName/,
    ],
    [
      'a roleSessionName with a space',
      { roleSessionName: 'upload server' },
      'INVALID_ARGUMENT',
      /roleSessionName/,
    ],
    ['credentials that are a string', { credentials: 'LTAI5t' }, 'INVALID_ARGUMENT', /credentials must be/],
    [
      'credentials without a secret',
      { credentials: { accessKeyId: 'LTAI5t', accessKeySecret: '' } },
      'MISSING_CREDENTIALS',
      /credentials/,
    ],
    [
      'credentials without an id',
      { credentials: { accessKeySecret: 'x' } },
      'MISSING_CREDENTIALS',
      /accessKeyId/,
    ],
    [
      'credentials whose keys are inherited, not own',
      { credentials: Object.create(LONG_TERM) },
      'MISSING_CREDENTIALS',
      /accessKeyId/,
    ],
    [
      'a secret with a trailing newline',
      { credentials: { ...LONG_TERM, accessKeySecret: `${LONG_TERM.accessKeySecret}\n` } },
      'INVALID_CREDENTIALS',
      /leading or trailing whitespace/,
    ],
    [
      'an STS key id without its token',
      { credentials: { ...LONG_TERM, accessKeyId: 'STS.NUabc' } },
      'INVALID_CREDENTIALS',
      /securityToken/,
    ],
    [
      "ali-oss's stsToken spelling",
      { credentials: { ...LONG_TERM, accessKeyId: 'STS.NUabc', stsToken: 'CAIS-token-0001' } },
      'INVALID_CREDENTIALS',
      /pass it as securityToken/,
    ],
    ['an endpoint with a path', { endpoint: 'https://sts.aliyuncs.com/v1' }, 'INVALID_ENDPOINT', /base URL/],
    [
      'an endpoint with a query',
      { endpoint: 'https://sts.aliyuncs.com?x=1' },
      'INVALID_ENDPOINT',
      /base URL/,
    ],
    ['an ftp endpoint', { endpoint: 'ftp://sts.aliyuncs.com' }, 'INVALID_ENDPOINT', /base URL/],
    ['an endpoint with port 0', { endpoint: 'http://127.0.0.1:0' }, 'INVALID_ENDPOINT', /base URL/],
    ['an endpoint that is not a string', { endpoint: 9000 }, 'INVALID_ENDPOINT', /got 9000/],
    [
      'the removed protocol option',
      { protocol: 'http' },
      'INVALID_ARGUMENT',
      /no option "protocol" \(gone: give the scheme in endpoint/,
    ],
    ['a misspelt option', { maxCacheEntry: 10 }, 'INVALID_ARGUMENT', /no option "maxCacheEntry"/],
    [
      'the old credential option',
      { credential: LONG_TERM },
      'INVALID_ARGUMENT',
      /no option "credential" \(renamed credentials\)/,
    ],
    [
      'the old now option',
      { now: () => Date.now() },
      'INVALID_ARGUMENT',
      /no option "now" \(replaced by clock/,
    ],
    ['a region with capitals', { region: 'CN-Hangzhou' }, 'INVALID_REGION', /region/],
    ['a region that is a null-prototype object', { region: Object.create(null) }, 'INVALID_REGION', /region/],
    ['an externalId with spaces', { externalId: 'a b' }, 'INVALID_ARGUMENT', /externalId/],
    [
      'refreshBeforeSeconds not below durationSeconds',
      { durationSeconds: 900, refreshBeforeSeconds: 900 },
      'INVALID_ARGUMENT',
      /refreshBeforeSeconds/,
    ],
    [
      'a negative refreshBeforeSeconds',
      { refreshBeforeSeconds: -1 },
      'INVALID_ARGUMENT',
      /refreshBeforeSeconds/,
    ],
    [
      'a string refreshBeforeSeconds',
      { refreshBeforeSeconds: '60' },
      'INVALID_ARGUMENT',
      /refreshBeforeSeconds/,
    ],
    ['a policy over 2048 characters', { policy: tooLongPolicy }, 'INVALID_POLICY', /2048/],
    ['a policy that is not JSON', { policy: '{Version: 1}' }, 'INVALID_POLICY', /not valid JSON/],
    [
      'a policy without statements',
      { policy: '{"Version":"1","Statement":[]}' },
      'INVALID_POLICY',
      /Statement/,
    ],
    ['a circular policy', { policy: circular }, 'INVALID_POLICY', /circular/],
    [
      'a policy without Version "1"',
      { policy: '{"Statement":[{"Effect":"Allow","Action":"oss:*","Resource":"*"}]}' },
      'INVALID_POLICY',
      /Version/,
    ],
    [
      'a policy holding a BigInt',
      {
        policy: {
          Version: '1',
          Statement: [{ Effect: 'Allow', Action: 'oss:PutObject', Resource: '*', Condition: { n: 1n } }],
        },
      },
      'INVALID_POLICY',
      /BigInt/,
    ],
    ['a clock that is not a function', { clock: new Date() }, 'INVALID_ARGUMENT', /clock must be a function/],
    [
      'an onRefreshError that is not a function',
      { onRefreshError: 'log' },
      'INVALID_ARGUMENT',
      /onRefreshError/,
    ],
    ['a timeoutMs of 0', { timeoutMs: 0 }, 'INVALID_ARGUMENT', /timeoutMs/],
    ['maxAttempts of 0', { maxAttempts: 0 }, 'INVALID_ARGUMENT', /maxAttempts/],
    ['maxCacheEntries of 0', { maxCacheEntries: 0 }, 'INVALID_ARGUMENT', /maxCacheEntries/],
  ])('%s', (_, override, code, message) => {
    const options = override === undefined || override === null ? override : validOptions(override);
    const thrown = thrownBy(() => createStsCredentialProvider(options as StsCredentialProviderOptions));
    expect(thrown).toBeInstanceOf(OssSignError);
    expect(thrown).toMatchObject({ code });
    expect((thrown as Error).message).toMatch(message);
    expectNoSecrets(thrown, [LONG_TERM.accessKeySecret]);
  });

  it('reads own enumerable options only: an inherited roleArn is not an option', () => {
    const inherited = Object.assign(Object.create({ roleArn: ROLE_ARN }), { credentials: LONG_TERM });
    expect(thrownBy(() => createStsCredentialProvider(inherited))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/roleArn/),
    });
    const hidden = { credentials: LONG_TERM };
    Object.defineProperty(hidden, 'roleArn', { value: ROLE_ARN, enumerable: false });
    expect(thrownBy(() => createStsCredentialProvider(hidden as never))).toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('accepts null-prototype options and explicit undefined for every optional option', () => {
    const options = Object.assign(Object.create(null), {
      roleArn: ROLE_ARN,
      endpoint: h.sts.url,
      credentials: Object.assign(Object.create(null), LONG_TERM),
      roleSessionName: undefined,
      durationSeconds: undefined,
      policy: undefined,
      externalId: undefined,
      region: undefined,
      refreshBeforeSeconds: undefined,
      clock: undefined,
      timeoutMs: undefined,
      maxAttempts: undefined,
      maxCacheEntries: undefined,
      onRefreshError: undefined,
    });
    expect(typeof createStsCredentialProvider(options).getCredentials).toBe('function');
  });

  it("reads each option once, and wraps the caller's own getter's exception as its cause", () => {
    let reads = 0;
    const options = validOptions({});
    Object.defineProperty(options, 'durationSeconds', {
      enumerable: true,
      get: () => {
        reads++;
        return 900;
      },
    });
    createStsCredentialProvider(options);
    expect(reads).toBe(1);
    const failing = validOptions({});
    const own = new Error('getter of the caller');
    Object.defineProperty(failing, 'policy', {
      enumerable: true,
      get: () => {
        throw own;
      },
    });
    expect(thrownBy(() => createStsCredentialProvider(failing))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      cause: own,
    });
  });
});

describe('endpoint is a base URL', () => {
  it.each([
    ['https://sts.cn-hangzhou.aliyuncs.com'],
    ['HTTPS://STS.cn-hangzhou.aliyuncs.com/'],
    ['sts-vpc.cn-hangzhou.aliyuncs.com'],
    ['sts.aliyuncs.com:443'],
    ['http://127.0.0.1:9000'],
    ['http://[::1]:9000'],
    ['localhost:9000'],
  ])('accepts %s', (endpoint) => {
    expect(() => createStsCredentialProvider(validOptions({ endpoint }))).not.toThrow();
  });

  // The passwords, and every spelling of them a message might carry.
  it.each([
    ['https://user:pass-word-0001@sts.aliyuncs.com', 'pass-word-0001'],
    ['user:pass-word-0002@sts.aliyuncs.com', 'pass-word-0002'],
    ['http://user:pa/ss-word-0003@127.0.0.1:9000', 'pa/ss-word-0003'],
    ['https://user:p@ss-word-0004@sts.aliyuncs.com', 'p@ss-word-0004'],
    ['https://user:p%40ss-word-0005@sts.aliyuncs.com', 'p@ss-word-0005'],
    ['https://admin@sts.aliyuncs.com', 'admin'],
    ['https://sts.aliyuncs.com@evil.example', 'sts.aliyuncs.com'],
  ])('refuses %s without echoing the user info', (endpoint, password) => {
    const thrown = thrownBy(() => createStsCredentialProvider(validOptions({ endpoint })));
    expect(thrown).toMatchObject({
      code: 'INVALID_ENDPOINT',
      message: expect.stringMatching(/user name or password/),
    });
    const rendered = [String(thrown), JSON.stringify(thrown), (thrown as Error).stack ?? ''].join('\n');
    for (const form of [password, encodeURIComponent(password), Buffer.from(password).toString('base64')]) {
      expect(rendered).not.toContain(form);
    }
    for (const piece of password.split(/[/@]/).filter((p) => p.length >= 4))
      expect(rendered).not.toContain(piece);
  });
});

describe('getCredentials rejects bad options before any network call', () => {
  it.each<[string, unknown, string, RegExp]>([
    ['a negative minValiditySeconds', { minValiditySeconds: -1 }, 'INVALID_ARGUMENT', /minValiditySeconds/],
    [
      'minValiditySeconds not below durationSeconds',
      { minValiditySeconds: 3600 },
      'INVALID_ARGUMENT',
      /below durationSeconds \(3600\)/,
    ],
    [
      'a BigInt minValiditySeconds',
      { minValiditySeconds: 60n },
      'INVALID_ARGUMENT',
      /minValiditySeconds.*60n/,
    ],
    ['a policy over 2048 characters', { policy: tooLongPolicy }, 'INVALID_POLICY', /2048/],
    ['a policy that is not an object', { policy: 42 }, 'INVALID_POLICY', /RAM policy document/],
    ['a circular policy', { policy: circular }, 'INVALID_POLICY', /circular/],
    ['null options', null, 'INVALID_ARGUMENT', /getCredentials options must be an object/],
    ['options that are a string', 'policy', 'INVALID_ARGUMENT', /getCredentials options must be an object/],
    ['an unknown option', { minValidity: 60 }, 'INVALID_ARGUMENT', /no option "minValidity"/],
  ])('%s', async (_, options, code, message) => {
    const error = await rejection(h.provider().getCredentials(options as never), code, [
      LONG_TERM.accessKeySecret,
    ]);
    expect(error.message).toMatch(message);
  });

  it('rejects a clock that returns no valid Date when it is read', async () => {
    for (const clock of [() => new Date(Number.NaN), () => Date.now(), () => Object.create(null)]) {
      const error = await rejection(h.provider({ clock }).getCredentials(), 'INVALID_ARGUMENT', []);
      expect(error.message).toMatch(/clock must return a valid Date/);
    }
  });
});

describe('any input either works or throws OssSignError', () => {
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const throwing = new Proxy(
    {},
    {
      get: () => {
        throw new Error('trap');
      },
      ownKeys: () => {
        throw new Error('trap');
      },
    },
  );
  // fast-check cannot hold some of these itself: values come as thunks. (A revoked proxy as an option's
  // value waits for `quote` to name it; as the options object it is below.)
  const specials: unknown[] = [throwing, Symbol('s'), () => 1, new Date(Number.NaN)];
  const strange = fc.oneof(
    fc
      .anything({
        withBigInt: true,
        withNullPrototype: true,
        withObjectString: true,
        withMap: true,
        withSet: true,
        withTypedArray: true,
        withSparseArray: true,
        withDate: true,
      })
      .map((value) => () => value),
    fc.integer({ min: 0, max: specials.length - 1 }).map((i) => () => specials[i]),
  );
  const names = [
    'roleArn',
    'roleSessionName',
    'durationSeconds',
    'policy',
    'externalId',
    'region',
    'endpoint',
    'credentials',
    'refreshBeforeSeconds',
    'clock',
    'timeoutMs',
    'maxAttempts',
    'maxCacheEntries',
    'onRefreshError',
  ];

  it('createStsCredentialProvider and getCredentials with a revoked or throwing proxy as options', async () => {
    for (const options of [revoked.proxy, throwing]) {
      expect(thrownBy(() => createStsCredentialProvider(options as never))).toBeInstanceOf(OssSignError);
      expect(
        await h
          .provider()
          .getCredentials(options as never)
          .catch((e: unknown) => e),
      ).toBeInstanceOf(OssSignError);
    }
  });

  it('createStsCredentialProvider, one option replaced by anything', () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), strange, (name, thunk) => {
        try {
          createStsCredentialProvider({ ...validOptions({}), [name]: thunk() });
        } catch (error) {
          expect(error).toBeInstanceOf(OssSignError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('getCredentials, with anything as its options or their values (no network: each is refused first)', async () => {
    const provider = h.provider();
    await fc.assert(
      fc.asyncProperty(strange, async (thunk) => {
        const value = thunk();
        if (value === undefined) return; // the defaults: valid
        // Whatever could be valid is left out: it would reach STS.
        const candidates = [{ policy: value }];
        if (typeof value !== 'number') candidates.push({ minValiditySeconds: value } as never);
        if (typeof value !== 'object' || value === null || Array.isArray(value))
          candidates.push(value as never);
        for (const options of candidates) {
          const error = await provider.getCredentials(options as never).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(OssSignError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
