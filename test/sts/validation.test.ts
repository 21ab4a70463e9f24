import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OssSignError } from '../../src/errors.js';
import { createStsCredentialProvider } from '../../src/sts/provider.js';
import type { StsCredentialProviderOptions } from '../../src/sts/types.js';
import { expectNoSecrets, type Harness, LONG_TERM, ROLE_ARN, rejection, startHarness } from './harness.js';

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

describe('createStsCredentialProvider rejects bad options before any network call', () => {
  it.each<[string, Partial<StsCredentialProviderOptions> | null | undefined, string, RegExp]>([
    ['no options', undefined, 'INVALID_ARGUMENT', /options object/],
    ['null options', null, 'INVALID_ARGUMENT', /createStsCredentialProvider takes an options object/],
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
    [
      'a credential that is a string',
      { credential: 'LTAI5t' as never },
      'INVALID_ARGUMENT',
      /credential must be/,
    ],
    [
      'a credential without a secret',
      { credential: { accessKeyId: 'LTAI5t', accessKeySecret: '' } },
      'MISSING_CREDENTIALS',
      /credential/,
    ],
    [
      'a credential without an id',
      { credential: { accessKeySecret: 'x' } as never },
      'MISSING_CREDENTIALS',
      /accessKeyId/,
    ],
    [
      'an endpoint with a scheme',
      { endpoint: 'https://sts.aliyuncs.com' },
      'INVALID_ENDPOINT',
      /endpoint.*without a scheme/,
    ],
    ['an unknown protocol', { protocol: 'ftp' as never }, 'INVALID_ARGUMENT', /protocol/],
    ['a region with capitals', { region: 'CN-Hangzhou' }, 'INVALID_REGION', /region/],
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
    ['a policy over 2048 characters', { policy: tooLongPolicy }, 'INVALID_POLICY', /2048/],
    ['a policy that is not JSON', { policy: '{Version: 1}' }, 'INVALID_POLICY', /not valid JSON/],
    [
      'a policy without statements',
      { policy: '{"Version":"1","Statement":[]}' },
      'INVALID_POLICY',
      /Statement/,
    ],
    ['a now that is not a function', { now: 5 as never }, 'INVALID_ARGUMENT', /now must be a function/],
    ['a timeoutMs of 0', { timeoutMs: 0 }, 'INVALID_ARGUMENT', /timeoutMs/],
    ['maxAttempts of 0', { maxAttempts: 0 }, 'INVALID_ARGUMENT', /maxAttempts/],
    ['maxCacheEntries of 0', { maxCacheEntries: 0 }, 'INVALID_ARGUMENT', /maxCacheEntries/],
  ])('%s', (_, override, code, message) => {
    const options =
      override === undefined || override === null
        ? override
        : {
            roleArn: ROLE_ARN,
            endpoint: h.sts.endpoint,
            protocol: 'http' as const,
            credential: LONG_TERM,
            ...override,
          };
    let thrown: unknown;
    try {
      createStsCredentialProvider(options as StsCredentialProviderOptions);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(OssSignError);
    expect(thrown).toMatchObject({ code });
    expect((thrown as Error).message).toMatch(message);
    expectNoSecrets(thrown, [LONG_TERM.accessKeySecret]);
  });
});

describe('getCredentials rejects bad options before any network call', () => {
  it.each<[string, object, string, RegExp]>([
    ['a negative minValiditySeconds', { minValiditySeconds: -1 }, 'INVALID_ARGUMENT', /minValiditySeconds/],
    [
      'minValiditySeconds not below durationSeconds',
      { minValiditySeconds: 3600 },
      'INVALID_ARGUMENT',
      /below durationSeconds \(3600\)/,
    ],
    ['a policy over 2048 characters', { policy: tooLongPolicy }, 'INVALID_POLICY', /2048/],
    ['a policy that is not an object', { policy: 42 }, 'INVALID_POLICY', /RAM policy document/],
    ['null options', null as never, 'INVALID_ARGUMENT', /getCredentials takes an options object/],
    [
      'options that are a string',
      'policy' as never,
      'INVALID_ARGUMENT',
      /getCredentials takes an options object/,
    ],
  ])('%s', async (_, options, code, message) => {
    const error = await rejection(h.provider().getCredentials(options), code, [LONG_TERM.accessKeySecret]);
    expect(error.message).toMatch(message);
  });
});
