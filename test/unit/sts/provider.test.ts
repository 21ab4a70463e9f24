import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RamPolicy } from '../../../src/sts/types.js';
import { createUploadPolicy } from '../../../src/sts/upload-policy.js';
import { asReturned, type Harness, LONG_TERM, rejection, startHarness } from '../../support/sts-harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

// The CommonJS module itself, as a CommonJS user gets it.
const credentials = createRequire(import.meta.url)(
  '@alicloud/credentials',
) as typeof import('@alicloud/credentials');

const policyFor = (prefix: string): RamPolicy => createUploadPolicy({ bucket: 'uploads-bucket', prefix });

describe('single flight', () => {
  it('lets 500 concurrent callers on a cold cache share one AssumeRole', async () => {
    const provider = h.provider();
    const results = await Promise.all(Array.from({ length: 500 }, () => provider.getCredentials()));
    expect(h.sts.requests).toHaveLength(1);
    const issued = asReturned(h.sts.issued[0]);
    for (const result of results) expect(result).toEqual(issued);
  });

  it('lets 500 concurrent callers in the refresh window share one refresh', async () => {
    const provider = h.provider({ durationSeconds: 3600 });
    const first = await provider.getCredentials();
    h.clock.advanceSeconds(3600 - 200); // inside the default 300 s window
    const results = await Promise.all(Array.from({ length: 500 }, () => provider.getCredentials()));
    expect(h.sts.requests).toHaveLength(2);
    const refreshed = asReturned(h.sts.issued[1]);
    expect(refreshed.accessKeyId).not.toBe(first.accessKeyId);
    for (const result of results) expect(result).toEqual(refreshed);
  });
});

describe('single flight survives eviction', () => {
  it('500 callers over 20 policies with maxCacheEntries 10 make one AssumeRole per policy', async () => {
    const provider = h.provider({ maxCacheEntries: 10 });
    const policies = Array.from({ length: 20 }, (_, i) => policyFor(`users/${i}/`));
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) => provider.getCredentials({ policy: policies[i % 20] })),
    );
    expect(h.sts.requests).toHaveLength(20);
    // Every caller got the credentials issued for its own policy.
    const byPolicy = new Map(h.sts.requests.map((r, i) => [r.params.Policy, asReturned(h.sts.issued[i])]));
    results.forEach((result, i) => {
      expect(result).toEqual(byPolicy.get(JSON.stringify(policies[i % 20])));
    });
    // Ten entries are kept (the last ten to arrive); a second wave fetches only the ten dropped ones.
    await Promise.all(
      Array.from({ length: 500 }, (_, i) => provider.getCredentials({ policy: policies[i % 20] })),
    );
    expect(h.sts.requests.length).toBeLessThanOrEqual(20 + 20);
    expect(h.sts.requests.length).toBeGreaterThanOrEqual(20 + 10);
  });

  it('keeps a caller waiting on the AssumeRole in flight even when its entry is dropped meanwhile', async () => {
    const provider = h.provider({ maxCacheEntries: 1 });
    const [a, b] = [policyFor('a/'), policyFor('b/')];
    await provider.getCredentials({ policy: a });
    h.clock.advanceSeconds(3600 - 200); // a is in the refresh window
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    h.sts.script({ after: released, reply: 'issue' });
    const refreshingA = provider.getCredentials({ policy: a }); // held by STS
    await vi.waitFor(() => expect(h.sts.requests).toHaveLength(2));
    await provider.getCredentials({ policy: b }); // stored, dropping a's entry
    const laterA = provider.getCredentials({ policy: a }); // must join the AssumeRole in flight
    release();
    const [first, later] = await Promise.all([refreshingA, laterA]);
    expect(later).toEqual(first);
    expect(first).toEqual(asReturned(h.sts.issued[2]));
    expect(h.sts.requests.map((r) => r.params.Policy)).toEqual([
      JSON.stringify(a),
      JSON.stringify(a),
      JSON.stringify(b),
    ]);
  });

  it('keeps 1000 policies by default (at least 500, as a server with per-user policies needs)', async () => {
    const provider = h.provider();
    const policies = Array.from({ length: 1001 }, (_, i) => policyFor(`users/${i}/`));
    for (let start = 0; start < 1000; start += 100) {
      await Promise.all(
        policies.slice(start, start + 100).map((policy) => provider.getCredentials({ policy })),
      );
    }
    expect(h.sts.requests).toHaveLength(1000);
    await provider.getCredentials({ policy: policies[0] }); // still cached; now the most recent
    expect(h.sts.requests).toHaveLength(1000);
    await provider.getCredentials({ policy: policies[1000] }); // drops policies[1]
    await provider.getCredentials({ policy: policies[0] });
    expect(h.sts.requests).toHaveLength(1001);
    await provider.getCredentials({ policy: policies[1] });
    expect(h.sts.requests).toHaveLength(1002);
  });
});

describe('refresh window', () => {
  // DESIGN.md: max(60, min(300, durationSeconds / 5)) seconds before expiry.
  it.each([
    [900, 180],
    [1200, 240],
    [3600, 300],
    [43200, 300],
  ])(
    'with durationSeconds %i, reuses credentials until %i s before expiry, then refreshes',
    async (durationSeconds, window) => {
      const provider = h.provider({ durationSeconds });
      const first = await provider.getCredentials();
      expect(Date.parse(first.expiration)).toBe(h.clock.now + durationSeconds * 1000);

      h.clock.advanceSeconds(durationSeconds - window - 2);
      expect(await provider.getCredentials()).toEqual(first);
      expect(h.sts.requests).toHaveLength(1);

      h.clock.advanceSeconds(4); // now 2 s inside the window
      const second = await provider.getCredentials();
      expect(h.sts.requests).toHaveLength(2);
      expect(second).toEqual(asReturned(h.sts.issued[1]));
      expect(second.accessKeyId).not.toBe(first.accessKeyId);
    },
  );

  it('keeps 900-second credentials for many calls instead of one AssumeRole per call', async () => {
    const provider = h.provider({ durationSeconds: 900 });
    for (let second = 0; second < 900; second += 10) {
      await provider.getCredentials();
      h.clock.advanceSeconds(10);
    }
    // 900 s of calls with a 180 s window: a refresh every 720 s at most.
    expect(h.sts.requests).toHaveLength(2);
  });

  it('honours refreshBeforeSeconds', async () => {
    const provider = h.provider({ durationSeconds: 3600, refreshBeforeSeconds: 1200 });
    const first = await provider.getCredentials();
    h.clock.advanceSeconds(3600 - 1205);
    expect(await provider.getCredentials()).toEqual(first);
    h.clock.advanceSeconds(10);
    expect((await provider.getCredentials()).accessKeyId).not.toBe(first.accessKeyId);
    expect(h.sts.requests).toHaveLength(2);
  });
});

describe('minValiditySeconds', () => {
  it('reuses cached credentials that live long enough and fetches new ones otherwise', async () => {
    const provider = h.provider({ durationSeconds: 3600 });
    const first = await provider.getCredentials();
    h.clock.advanceSeconds(2600); // 1000 s left, outside the 300 s window

    expect(await provider.getCredentials({ minValiditySeconds: 900 })).toEqual(first);
    expect(h.sts.requests).toHaveLength(1);

    const longer = await provider.getCredentials({ minValiditySeconds: 1200 });
    expect(h.sts.requests).toHaveLength(2);
    expect(longer).toEqual(asReturned(h.sts.issued[1]));
    expect(Date.parse(longer.expiration) - h.clock.now).toBeGreaterThanOrEqual(1200 * 1000);
    // The longer-lived credentials now serve everyone.
    expect(await provider.getCredentials()).toEqual(longer);
  });

  it('rejects credentials that STS issued too short-lived for the caller, without a storm of AssumeRole', async () => {
    // STS grants 1200 s although 3600 were asked for: 1200 s is all any call can get.
    h.sts.grantSeconds = 1200;
    const provider = h.provider({ durationSeconds: 3600 });
    const error = await rejection(
      provider.getCredentials({ minValiditySeconds: 1800 }),
      'STS_FAILED',
      h.secrets(),
    );
    expect(error.message).toMatch(/valid for 1200 s .*minValiditySeconds \(1800\)/);
    // Callers that need less still get them, from the cache.
    expect(await provider.getCredentials({ minValiditySeconds: 600 })).toEqual(asReturned(h.sts.issued[0]));
    // Callers that need more fail at once, without asking STS again within the minimum interval (60 s).
    for (let i = 0; i < 20; i++)
      await rejection(provider.getCredentials({ minValiditySeconds: 1800 }), 'STS_FAILED', []);
    expect(h.sts.requests).toHaveLength(1);
    h.clock.advanceSeconds(60);
    await rejection(provider.getCredentials({ minValiditySeconds: 1800 }), 'STS_FAILED', []);
    expect(h.sts.requests).toHaveLength(2);
  });
});

describe('session policies', () => {
  it('keeps one entry per session policy and sends each policy to STS', async () => {
    const provider = h.provider();
    const alice = await provider.getCredentials({ policy: policyFor('users/alice/') });
    const bob = await provider.getCredentials({ policy: policyFor('users/bob/') });
    const unscoped = await provider.getCredentials();
    expect(new Set([alice.accessKeyId, bob.accessKeyId, unscoped.accessKeyId]).size).toBe(3);
    expect(h.sts.requests.map((r) => r.params.Policy)).toEqual([
      JSON.stringify(policyFor('users/alice/')),
      JSON.stringify(policyFor('users/bob/')),
      undefined,
    ]);

    expect(await provider.getCredentials({ policy: policyFor('users/alice/') })).toEqual(alice);
    expect(await provider.getCredentials({ policy: policyFor('users/bob/') })).toEqual(bob);
    expect(await provider.getCredentials()).toEqual(unscoped);
    expect(h.sts.requests).toHaveLength(3);
  });

  it('uses the provider policy when a call gives none, and a string policy exactly as written', async () => {
    const written =
      '{ "Version": "1", "Statement": [{ "Effect": "Allow", "Action": "oss:PutObject", "Resource": "acs:oss:*:*:b/x*" }] }';
    const provider = h.provider({ policy: policyFor('default/') });
    await provider.getCredentials();
    await provider.getCredentials({ policy: written });
    expect(h.sts.requests.map((r) => r.params.Policy)).toEqual([
      JSON.stringify(policyFor('default/')),
      written,
    ]);
  });

  it('checks a policy when it first becomes a key, and an empty policy string is refused even with a no-policy entry', async () => {
    const provider = h.provider();
    const text = JSON.stringify(policyFor('a/'));
    await provider.getCredentials();
    await provider.getCredentials({ policy: text });
    expect(await provider.getCredentials({ policy: text })).toEqual(asReturned(h.sts.issued[1]));
    await rejection(provider.getCredentials({ policy: '' }), 'INVALID_POLICY', []);
    expect(h.sts.requests).toHaveLength(2);
  });

  it('signs policies with non-ASCII and reserved characters correctly', async () => {
    const provider = h.provider();
    const prefix = "上传/Ünïcödé (1)+&=;'!~/";
    await provider.getCredentials({ policy: policyFor(prefix) });
    expect(h.sts.requests).toHaveLength(1);
    expect(h.sts.requests[0]?.verdict).toBe('ok');
    expect(JSON.parse(h.sts.requests[0]?.params.Policy ?? '')).toEqual(policyFor(prefix));
  });

  it('bounds the entries, dropping the least recently used', async () => {
    const provider = h.provider({ maxCacheEntries: 2 });
    const [a, b, c] = [policyFor('a/'), policyFor('b/'), policyFor('c/')];
    const first = {
      a: await provider.getCredentials({ policy: a }),
      b: await provider.getCredentials({ policy: b }),
    };
    await provider.getCredentials({ policy: a }); // a is now more recent than b
    await provider.getCredentials({ policy: c }); // evicts b
    expect(h.sts.requests).toHaveLength(3);

    expect(await provider.getCredentials({ policy: a })).toEqual(first.a);
    expect(h.sts.requests).toHaveLength(3);
    const bAgain = await provider.getCredentials({ policy: b }); // evicts c
    expect(bAgain.accessKeyId).not.toBe(first.b.accessKeyId);
    expect(h.sts.requests).toHaveLength(4);
    await provider.getCredentials({ policy: c });
    expect(h.sts.requests).toHaveLength(5);
  });

  it('clear() drops every entry', async () => {
    const provider = h.provider();
    const first = await provider.getCredentials();
    await provider.getCredentials({ policy: policyFor('a/') });
    provider.clear();
    const second = await provider.getCredentials();
    await provider.getCredentials({ policy: policyFor('a/') });
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    expect(h.sts.requests).toHaveLength(4);
  });
});

describe('results', () => {
  it('returns the four fields, expiration as ISO 8601, in one frozen object per AssumeRole', async () => {
    const provider = h.provider();
    const first = await provider.getCredentials();
    expect(Object.keys(first).sort()).toEqual([
      'accessKeyId',
      'accessKeySecret',
      'expiration',
      'securityToken',
    ]);
    expect(first.expiration).toBe(new Date(first.expiration).toISOString());
    expect(Object.isFrozen(first)).toBe(true);
    expect(() => {
      first.accessKeySecret = 'changed';
    }).toThrow(TypeError);
    // The same object again: signing with it finds its checked form and derived keys cached.
    expect(await provider.getCredentials()).toBe(first);
    expect(first.accessKeySecret).toBe(asReturned(h.sts.issued[0]).accessKeySecret);
  });
});

describe('caller identity', () => {
  it('accepts an @alicloud/credentials client', async () => {
    const credential = new credentials.default(new credentials.Config({ type: 'access_key', ...LONG_TERM }));
    const result = await h.provider({ credentials: credential }).getCredentials();
    expect(result).toEqual(asReturned(h.sts.issued[0]));
  });

  it('accepts any getCredential() object, and STS credentials of another role (role chaining)', async () => {
    await h.close();
    const chained = {
      accessKeyId: 'STS.parent',
      accessKeySecret: 'parent-secret-0001',
      securityToken: 'parent-token-0001',
    };
    h = await startHarness({
      [chained.accessKeyId]: { secret: chained.accessKeySecret, securityToken: chained.securityToken },
    });
    const result = await h.provider({ credentials: { getCredential: async () => chained } }).getCredentials();
    expect(result).toEqual(asReturned(h.sts.issued[0]));
    expect(await h.provider({ credentials: chained }).getCredentials()).toEqual(asReturned(h.sts.issued[1]));
  });

  it('falls back to the default chain of @alicloud/credentials (environment variables here)', async () => {
    const variables = {
      ALIBABA_CLOUD_ACCESS_KEY_ID: LONG_TERM.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: LONG_TERM.accessKeySecret,
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true', // never reach for the ECS metadata service
    };
    const saved = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
    Object.assign(process.env, variables);
    try {
      const result = await h.provider({ credentials: undefined }).getCredentials();
      expect(result).toEqual(asReturned(h.sts.issued[0]));
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
