/**
 * The secret key and the security token never show where they should not: not in any error (message,
 * String, JSON, inspection, stack), in no form (as is, percent-encoded, JSON-escaped, base64); and of a
 * result, the secret nowhere and the token only where the wire format carries it (the token query parameter,
 * header or form field, the policy condition that pins it, and the strings that were signed).
 */
import fc from 'fast-check';
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
} from '../../src/index.js';
import { ENTRY_POINTS, type Options, SECRET, stsCredentials, TOKEN } from '../support/entry-points.js';
import { expectNoSecret, outcome, thrownBy } from '../support/errors.js';
import {
  conditionArb,
  postPolicyCallArb,
  presignCallArb,
  requestCallArb,
  signerConfigArb,
} from '../support/signing-options.js';

const SEED = 20250804;

/** A result without the places where the wire format carries the token. */
function withoutWireToken(result: unknown): unknown {
  if (typeof result === 'string' || typeof result !== 'object' || result === null) return result;
  const copy = structuredClone(result) as Record<string, unknown>;
  if (typeof copy.url === 'string') {
    copy.url = copy.url.replace(/([?&])(x-oss-)?security-token=[^&]*/g, '$1');
  }
  for (const name of ['headers', 'fields'] as const) {
    const record = copy[name] as Record<string, string> | undefined;
    if (record) {
      for (const key of Object.keys(record))
        if (key.toLowerCase() === 'x-oss-security-token') delete record[key];
      // The base64 policy is checked decoded, below.
      delete record.policy;
    }
  }
  for (const name of ['stringToSign', 'canonicalRequest'] as const) {
    if (typeof copy[name] === 'string') {
      copy[name] = (copy[name] as string)
        .split('\n')
        .filter((line) => !line.startsWith('x-oss-security-token'))
        .join('\n');
    }
  }
  if (typeof copy.policy === 'string') {
    copy.policy = JSON.parse(Buffer.from(copy.policy, 'base64').toString('utf8'));
  }
  // checkPostPolicy names the condition that failed as the policy writes it, the token pin included.
  if (Array.isArray(copy.violations)) {
    copy.violations = copy.violations.map(
      ({ condition, ...violation }: { condition?: unknown; field?: string }) =>
        violation.field === 'x-oss-security-token' ? violation : { condition, ...violation },
    );
  }
  const policy = copy.policy as { conditions?: unknown[] } | undefined;
  if (policy?.conditions) {
    // The policy carries the token in the condition that pins it, in either shape.
    policy.conditions = policy.conditions.filter((c) =>
      Array.isArray(c)
        ? String(c[1]).toLowerCase() !== '$x-oss-security-token'
        : !(typeof c === 'object' && c !== null && 'x-oss-security-token' in c),
    );
  }
  return copy;
}

/** Checks an outcome: an error shows neither secret nor token; a result no secret, and the token only on the wire. */
function expectNothingShown(fn: () => unknown): 'signed' | 'refused' {
  const error = thrownBy(() => {
    const result = fn();
    expectNoSecret(result, [SECRET]);
    expectNoSecret(withoutWireToken(result), [SECRET, TOKEN]);
  });
  if (error === undefined) return 'signed';
  if (!(error instanceof OssSignError)) throw error;
  expectNoSecret(error, [SECRET, TOKEN]);
  return 'refused';
}

const credentialsArb = fc.constantFrom(
  stsCredentials(),
  { ...stsCredentials(), expiration: '2020-01-01T00:00:00Z' },
  { ...stsCredentials(), expiration: new Date('2035-01-01T00:00:00Z') },
  { ...stsCredentials(), accessKeyId: 'LTAI5tExample' },
  // Wrong in ways that are refused: the errors must not show the secret or token either.
  { ...stsCredentials(), securityToken: `${TOKEN}\n` },
  { ...stsCredentials(), securityToken: `${TOKEN}é` },
  { ...stsCredentials(), accessKeySecret: `${SECRET}\n` },
  { ...stsCredentials(), accessKeyId: `${SECRET}\n` },
  { accessKeyId: 'STS.NTExample', accessKeySecret: SECRET, stsToken: TOKEN },
  { accessKeyId: 'STS.NTExample', accessKeySecret: SECRET },
);

/** Conditions that hold the token, pinned right or wrong, or malformed. */
const tokenConditionArb = fc.constantFrom<unknown>(
  { 'x-oss-security-token': TOKEN },
  { 'x-oss-security-token': `${TOKEN}-other` },
  ['eq', '$x-oss-security-token', TOKEN],
  ['starts-with', '$x-oss-security-token', `${TOKEN}x`],
  ['not-in', '$x-oss-security-token', [TOKEN]],
  ['in', '$x-oss-security-token', [TOKEN, 5]],
  ['eq', '$x-oss-security-token', TOKEN, 'extra'],
  { 'x-oss-security-token': TOKEN, other: 'x' },
);

describe('secrets never show', () => {
  it('in the results and errors of random calls, signed and refused', () => {
    const seen = { signed: 0, refused: 0 };
    const callArb = fc.oneof(
      presignCallArb.map((call) => ['presignUrl', call] as const),
      requestCallArb.map((call) => ['signRequest', call] as const),
      fc
        .tuple(postPolicyCallArb, fc.array(fc.oneof(conditionArb, tokenConditionArb), { maxLength: 2 }))
        .map(([call, conditions]) => ['createPostPolicy', { ...call, conditions }] as const),
    );
    fc.assert(
      fc.property(signerConfigArb, credentialsArb, callArb, (config, credentials, [method, call]) => {
        const options = { ...config, credentials, ...call } as Options;
        const pure = { presignUrl, signRequest, createPostPolicy }[method];
        seen[expectNothingShown(() => pure(options as never))]++;
        expectNothingShown(() => createSigner({ ...config, credentials } as never)[method](call as never));
        if (method === 'createPostPolicy') {
          const made = outcome(() => createPostPolicy(options as never));
          if (made.ok) {
            const { policy, fields } = made.value;
            const sign = {
              credentials,
              region: config.region,
              now: call.now,
              signatureVersion: call.signatureVersion,
            };
            expectNothingShown(() => signPostPolicy(policy, sign as never));
            expectNothingShown(() => signPostPolicy(JSON.stringify(policy).replace('"', '"'), sign as never));
            expectNothingShown(() => checkPostPolicy(policy, { ...fields, 'x-oss-security-token': 'other' }));
            // A form with the real token under a policy pinning another: the reason names no token.
            const other = JSON.parse(JSON.stringify(policy).replaceAll(TOKEN, 'other'));
            expectNothingShown(() => checkPostPolicy(other, { ...fields, 'x-oss-security-token': TOKEN }));
          }
        }
      }),
      { seed: SEED, numRuns: 400 },
    );
    expect(seen.signed).toBeGreaterThan(50);
    expect(seen.refused).toBeGreaterThan(50);
  });

  it('in the errors of hostile values anywhere', () => {
    for (const entry of ENTRY_POINTS) {
      // Values that would show the secret if the library converted or called them. (A caller who passes the
      // secret itself as, say, the bucket sees it in the message, which shows what was given.)
      const revealing = [() => SECRET, { toString: () => SECRET, valueOf: () => SECRET }, new Error(SECRET)];
      for (const value of [null, 10n, Symbol('s'), ...revealing]) {
        for (const name of entry.takes.filter((n) => n !== 'accessKeySecret' && n !== 'stringToSign')) {
          expectNothingShown(() => entry.call({ ...entry.base(), [name]: value }));
        }
      }
    }
  });

  it('in the errors of the primitives', () => {
    for (const accessKeySecret of [`${SECRET}\n`, ` ${SECRET}`, SECRET]) {
      expectNothingShown(() => computeSignatureV1(10 as never, { accessKeySecret }));
      expectNothingShown(() =>
        computeSignatureV4('x', { accessKeySecret, date: '2030', region: 'cn-hangzhou' }),
      );
      expectNothingShown(() =>
        computeSignatureV4('x', { accessKeySecret, date: '20300601', region: 'Bad Region' }),
      );
      expectNothingShown(() =>
        computeSignatureV4('x', { accessKeySecret, date: '20300601', region: 'cn-hangzhou', product: '/' }),
      );
    }
  });

  it('the check can fail: it finds a secret in an error that shows one', () => {
    const leaky = new OssSignError('INVALID_ARGUMENT', `bad ${encodeURIComponent(SECRET)}`);
    expect(() => expectNoSecret(leaky, [SECRET])).toThrow();
    expect(() => expectNoSecret({ url: `?x-oss-security-token=${TOKEN}` }, [TOKEN])).toThrow();
    expect(() =>
      expectNoSecret(withoutWireToken({ url: `?a=1&x-oss-security-token=${encodeURIComponent(TOKEN)}` }), [
        TOKEN,
      ]),
    ).not.toThrow();
  });
});
