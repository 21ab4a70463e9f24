import { inspect } from 'node:util';
import { expect } from 'vitest';
import { OssSignError } from '../../src/errors.js';
import { createStsCredentialProvider } from '../../src/sts/provider.js';
import type {
  StsCredentialProvider,
  StsCredentialProviderOptions,
  StsCredentials,
} from '../../src/sts/types.js';
import { type FakeSts, type IssuedByFake, startFakeSts } from './fake-sts.mjs';

export const ROLE_ARN = 'acs:ram::1234567890123456:role/oss-upload';
export const LONG_TERM = {
  accessKeyId: 'LTAI5tFakeLongTermKey01',
  accessKeySecret: 'long-term-secret-9f8e7d6c5b4a39281706',
};

export interface Harness {
  sts: FakeSts;
  /** The test clock (milliseconds), shared by the provider and the fake STS. */
  clock: { now: number; advanceSeconds(seconds: number): void };
  /** The real STS SDK, pointed at the fake STS, with the test clock and the long-term keys. */
  provider(options?: Partial<StsCredentialProviderOptions>): StsCredentialProvider;
  /** Every secret in play: the long-term one and all that the fake STS issued. */
  secrets(): string[];
  close(): Promise<void>;
}

export async function startHarness(
  accessKeys: Record<string, { secret: string; securityToken?: string }> = {},
): Promise<Harness> {
  // Whole seconds, as STS writes Expiration and Date.
  const clock = {
    now: Math.floor(Date.now() / 1000) * 1000,
    advanceSeconds(seconds: number) {
      clock.now += seconds * 1000;
    },
  };
  const sts = await startFakeSts({
    accessKeys: { [LONG_TERM.accessKeyId]: { secret: LONG_TERM.accessKeySecret }, ...accessKeys },
    roleArn: ROLE_ARN,
    clock: () => new Date(clock.now),
  });
  return {
    sts,
    clock,
    provider: (options = {}) =>
      createStsCredentialProvider({
        roleArn: ROLE_ARN,
        endpoint: sts.url,
        credentials: LONG_TERM,
        clock: () => new Date(clock.now),
        ...options,
      }),
    secrets: () => [
      LONG_TERM.accessKeySecret,
      ...Object.values(accessKeys)
        .flatMap((k) => [k.secret, k.securityToken ?? ''])
        .filter(Boolean),
      ...sts.issued.flatMap((c) => [c.accessKeySecret, c.securityToken]),
    ],
    close: () => sts.close(),
  };
}

/** What the provider should hand out for credentials the fake STS issued. */
export function asReturned(issued: IssuedByFake | undefined): StsCredentials {
  if (!issued) throw new Error('the fake STS issued nothing');
  return { ...issued, expiration: new Date(issued.expiration).toISOString() };
}

/** Awaits a rejection and checks it is an OssSignError with that code and no secret anywhere in it. */
export async function rejection(
  promise: Promise<unknown>,
  code: string,
  secrets: string[],
): Promise<OssSignError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected a rejection with ${code}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OssSignError);
  expect((error as OssSignError).code).toBe(code);
  expectNoSecrets(error, secrets);
  return error as OssSignError;
}

/** Message, JSON, string form and full inspection (details, cause, stack) of a value hold none of the secrets. */
export function expectNoSecrets(value: unknown, secrets: string[]): void {
  const forms = [String(value), JSON.stringify(value) ?? '', inspect(value, { depth: 10, showHidden: true })];
  for (const secret of secrets) {
    for (const form of forms) expect(form).not.toContain(secret);
  }
}
