import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OssSignError } from '../../../src/errors.js';
import type { StsCredentialProvider, StsCredentials } from '../../../src/sts/types.js';
import {
  asReturned,
  expectNoSecrets,
  type Harness,
  rejection,
  startHarness,
} from '../../support/sts-harness.js';

/**
 * The refresh rules under clocks that disagree and credentials that STS grants short: never one AssumeRole
 * per call, never an expired credential (on STS's clock, which is OSS's), each problem reported once.
 */

let h: Harness;
let onRefreshError: ReturnType<typeof vi.fn<(error: OssSignError) => void>>;
beforeEach(async () => {
  h = await startHarness();
  onRefreshError = vi.fn<(error: OssSignError) => void>();
});
afterEach(async () => {
  for (const [error] of onRefreshError.mock.calls) expectNoSecrets(error, h.secrets());
  await h.close();
});

const reportedCodes = () => onRefreshError.mock.calls.map(([error]) => error.code);

/**
 * One call per `stepSeconds` for `seconds`; checks every result is unexpired on STS's clock and lives at
 * least `minValiditySeconds` there (within the second STS's Date and Expiration are rounded to).
 */
async function callEvery(
  provider: StsCredentialProvider,
  stepSeconds: number,
  seconds: number,
  minValiditySeconds = 0,
): Promise<StsCredentials[]> {
  const results: StsCredentials[] = [];
  for (let elapsed = 0; elapsed < seconds; elapsed += stepSeconds) {
    const result = await provider.getCredentials({ minValiditySeconds });
    const leftOnSts = Date.parse(result.expiration) - h.sts.stsNow().getTime();
    expect(leftOnSts).toBeGreaterThan(minValiditySeconds * 1000 - 1000);
    results.push(result);
    h.clock.advanceSeconds(stepSeconds);
  }
  return results;
}

describe('a local clock that disagrees with STS', () => {
  it('730 s ahead, 900-second credentials: refreshed on their real lifetime, the skew reported once', async () => {
    h.sts.clockOffsetSeconds = -730; // STS behind: this host is 730 s ahead
    const provider = h.provider({ durationSeconds: 900, onRefreshError });
    await callEvery(provider, 1, 1800);
    // 1800 s of calls, one per second: a refresh every 720 s (900 - the 180 s window).
    expect(h.sts.requests).toHaveLength(3);
    expect(reportedCodes()).toEqual(['STS_CLOCK_SKEW']);
    expect(onRefreshError.mock.calls[0]?.[0]).toMatchObject({ details: { offsetSeconds: -730 } });
    expect(onRefreshError.mock.calls[0]?.[0].message).toMatch(/730 s ahead of STS's/);
  });

  it('40 minutes behind: credentials that STS dates earlier still serve minValiditySeconds', async () => {
    h.sts.clockOffsetSeconds = 2400;
    const provider = h.provider({ durationSeconds: 3600, onRefreshError });
    const first = await provider.getCredentials({ minValiditySeconds: 1800 });
    expect(first).toEqual(asReturned(h.sts.issued[0]));
    await callEvery(provider, 10, 1700, 1800);
    expect(h.sts.requests).toHaveLength(1);
    expect(reportedCodes()).toEqual(['STS_CLOCK_SKEW']);
    expect(onRefreshError.mock.calls[0]?.[0].details?.offsetSeconds).toBe(2400);
  });

  it('730 s ahead and no Date header: this clock is trusted, the short lifetime reported once, one AssumeRole a minute at most', async () => {
    h.sts.clockOffsetSeconds = -730;
    h.sts.sendDate = false;
    const provider = h.provider({ durationSeconds: 900, onRefreshError });
    await callEvery(provider, 1, 900);
    // The credentials seem to live 170 s: each is kept 60 s (the minimum interval) before the next AssumeRole.
    expect(h.sts.requests).toHaveLength(15);
    expect(reportedCodes()).toEqual(['STS_SHORT_LIFETIME']);
    expect(onRefreshError.mock.calls[0]?.[0].message).toMatch(/live 170 s .*not the 900 s.*no Date header/);
  });

  it('1000 s behind and no Date header: credentials are held no longer than STS granted', async () => {
    h.sts.clockOffsetSeconds = 1000;
    h.sts.sendDate = false;
    const provider = h.provider({ durationSeconds: 900, onRefreshError });
    // Expiration says 1900 s on this clock; never more than the 900 s asked for is believed.
    await callEvery(provider, 5, 1800);
    expect(h.sts.requests).toHaveLength(3);
    expect(reportedCodes()).toEqual([]);
  });
});

describe('credentials that STS grants shorter than asked', () => {
  it('60-second credentials: renewed every 30 s, not on every call, reported once', async () => {
    h.sts.grantSeconds = 60;
    const provider = h.provider({ durationSeconds: 3600, onRefreshError });
    await callEvery(provider, 1, 600);
    expect(h.sts.requests).toHaveLength(20);
    expect(reportedCodes()).toEqual(['STS_SHORT_LIFETIME']);
    expect(onRefreshError.mock.calls[0]?.[0]).toMatchObject({
      details: { lifetimeSeconds: 60, durationSeconds: 3600 },
    });
  });

  it('2-second credentials: at most one AssumeRole a second', async () => {
    h.sts.grantSeconds = 2;
    const provider = h.provider({ durationSeconds: 900, onRefreshError });
    for (let i = 0; i < 100; i++) {
      await Promise.all([provider.getCredentials(), provider.getCredentials()]);
      h.clock.advanceSeconds(0.1);
    }
    expect(h.sts.requests).toHaveLength(10);
    expect(reportedCodes()).toEqual(['STS_SHORT_LIFETIME']);
  });

  it('a refresh window as long as the lifetime: each credential is still kept for the minimum interval', async () => {
    const provider = h.provider({ durationSeconds: 900, refreshBeforeSeconds: 899, onRefreshError });
    await callEvery(provider, 1, 300);
    expect(h.sts.requests).toHaveLength(5); // one per 60 s
    expect(reportedCodes()).toEqual([]);
  });
});

describe('a refresh that is worse than the cached credentials never replaces them', () => {
  it('already-expired credentials: the cached ones are served, STS is asked again only after a backoff', async () => {
    const provider = h.provider({ durationSeconds: 3600, maxAttempts: 1, onRefreshError });
    const first = await provider.getCredentials();
    h.clock.advanceSeconds(3600 - 250); // inside the 300 s window
    h.sts.fallback = 'expired';
    for (let i = 0; i < 50; i++) expect(await provider.getCredentials()).toEqual(first);
    expect(h.sts.requests).toHaveLength(2);
    expect(reportedCodes()).toEqual(['STS_BAD_RESPONSE']);
    expect(onRefreshError.mock.calls[0]?.[0].message).toMatch(/already expired.*cached credentials are kept/);

    // Backoff of 1 s, 2 s, 4 s... (with jitter): 60 s of calls every 0.5 s make a few AssumeRole, not 120.
    for (let i = 0; i < 120; i++) {
      expect(await provider.getCredentials()).toEqual(first);
      h.clock.advanceSeconds(0.5);
    }
    const duringBackoff = h.sts.requests.length - 2;
    expect(duringBackoff).toBeGreaterThanOrEqual(5);
    expect(duringBackoff).toBeLessThanOrEqual(8);
    expect(onRefreshError).toHaveBeenCalledTimes(1 + duringBackoff);

    h.sts.fallback = 'issue';
    h.clock.advanceSeconds(61);
    const fresh = await provider.getCredentials();
    expect(fresh).toEqual(asReturned(h.sts.issued.at(-1)));
    expect(fresh.accessKeyId).not.toBe(first.accessKeyId);
  });

  it('credentials that expire before the cached ones are refused, the cached ones kept', async () => {
    const provider = h.provider({ durationSeconds: 3600, maxAttempts: 1, onRefreshError });
    const first = await provider.getCredentials();
    h.clock.advanceSeconds(3600 - 200); // 200 s left, inside the window
    h.sts.grantSeconds = 100;
    for (let i = 0; i < 50; i++) expect(await provider.getCredentials()).toEqual(first);
    expect(h.sts.requests).toHaveLength(2);
    expect(reportedCodes()).toEqual(['STS_BAD_RESPONSE']);
    expect(onRefreshError.mock.calls[0]?.[0].message).toMatch(/expire 100 s before the cached ones/);
  });

  it('on a cold cache, already-expired credentials are an error, and callers during the backoff make no AssumeRole', async () => {
    h.sts.fallback = 'expired';
    const provider = h.provider({ maxAttempts: 1, onRefreshError });
    const error = await rejection(provider.getCredentials(), 'STS_BAD_RESPONSE', h.secrets());
    expect(error.message).toMatch(/already expired/);
    for (let i = 0; i < 50; i++) await rejection(provider.getCredentials(), 'STS_BAD_RESPONSE', h.secrets());
    expect(h.sts.requests).toHaveLength(1);
  });
});
