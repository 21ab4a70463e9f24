import { OssSignError } from '../errors.js';
import type { AssumeRoleResult } from './assume-role.js';
import {
  clockOffset,
  failureBackoff,
  type HeldCredentials,
  holdCredentials,
  minRefreshInterval,
  TOLERANCE_MS,
} from './lifetime.js';
import { resolveCallOptions, resolveProviderOptions } from './options.js';
import type {
  GetStsCredentialsOptions,
  StsCredentialProvider,
  StsCredentialProviderOptions,
  StsCredentials,
} from './types.js';

/** One session policy's credentials and what its last AssumeRole left behind. */
interface Entry {
  held: HeldCredentials | undefined;
  /** No AssumeRole for this policy before this time (minimum interval after a success, backoff after a failure). */
  nextAttemptAt: number;
  /** Failed AssumeRole calls in a row. */
  failures: number;
  /** The failure of the last AssumeRole, if it failed: what callers that cannot be served get. */
  lastError: OssSignError | undefined;
}

/**
 * Temporary credentials from STS AssumeRole, cached per session policy (bounded, least recently used
 * dropped first). At most one AssumeRole per policy is in flight, whatever the cache drops meanwhile, and
 * one policy gets at most one AssumeRole per minimum interval or failure backoff, whatever the callers ask
 * for. Credentials are never returned expired or shorter-lived than the caller asks, and never replaced
 * by worse ones. The rules are in docs/sts.md.
 */
export function createStsCredentialProvider(options: StsCredentialProviderOptions): StsCredentialProvider {
  const settings = resolveProviderOptions(options);
  const { nowMs, maxCacheEntries, refreshWindowMs, onRefreshError } = settings;
  const durationMs = settings.durationSeconds * 1000;
  // The call to STS (SDK loading, retries, scrubbing) is loaded with the first AssumeRole: importing the
  // package, or a server that only signs, parses none of it.
  let call: Promise<(policy: string | undefined) => Promise<AssumeRoleResult>> | undefined;
  const assumeRole = async (policy: string | undefined): Promise<AssumeRoleResult> => {
    call ??= import('./assume-role.js').then(({ createAssumeRole }) => createAssumeRole(settings));
    return (await call)(policy);
  };
  /** Least recently used first. */
  const entries = new Map<string, Entry>();
  /** Kept apart from `entries`, so that dropping an entry never drops the request everyone waits for. */
  const flights = new Map<string, Promise<Entry>>();
  const reportedOnce = new Set<string>();
  /** A policy that is a key here was checked when it became one ('' is the key of no policy). */
  const isKnown = (policy: string): boolean => policy !== '' && (entries.has(policy) || flights.has(policy));
  /** Advanced by `clear()`: what an older AssumeRole brings back is not stored. */
  let generation = 0;

  const report = (error: OssSignError): void => {
    try {
      onRefreshError?.(error);
    } catch {
      // A failing observer must not turn served credentials into an error.
    }
  };
  const reportOnce = (error: OssSignError): void => {
    if (reportedOnce.has(error.code)) return;
    reportedOnce.add(error.code);
    report(error);
  };

  /** The most recently used key: moving it to the end again would only churn the Map. */
  let newest: string | undefined;
  const touch = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && key !== newest) {
      entries.delete(key);
      entries.set(key, entry);
      newest = key;
    }
    return entry;
  };
  const store = (key: string, entry: Entry): void => {
    entries.delete(key);
    entries.set(key, entry);
    newest = key;
    while (entries.size > maxCacheEntries) entries.delete(entries.keys().next().value as string);
  };

  const refresh = async (
    key: string,
    policy: string | undefined,
    previous: Entry | undefined,
  ): Promise<Entry> => {
    const started = generation;
    const kept = previous?.held;
    let next: Entry;
    try {
      const answer = await assumeRole(policy);
      const held = holdCredentials(answer, durationMs);
      reportSkew(answer, reportOnce);
      const refused = refusal(held, kept, answer);
      if (refused) throw refused;
      if (held.lifetimeMs < durationMs - TOLERANCE_MS)
        reportOnce(shortLifetime(held, answer, settings.durationSeconds));
      next = {
        held,
        nextAttemptAt: held.obtainedAt + minRefreshInterval(held),
        failures: 0,
        lastError: undefined,
      };
    } catch (error) {
      if (!(error instanceof OssSignError)) throw error;
      const failures = (previous?.failures ?? 0) + 1;
      next = { held: kept, nextAttemptAt: nowMs() + failureBackoff(failures), failures, lastError: error };
      report(error);
    }
    if (started === generation) store(key, next);
    return next;
  };

  return {
    async getCredentials(request: GetStsCredentialsOptions = {}): Promise<StsCredentials> {
      const { policy, minValidityMs } = resolveCallOptions(request, settings, isKnown);
      const key = policy ?? '';
      const time = nowMs();
      const entry = touch(key);
      const held = entry?.held;
      if (held && held.expiresAt - time > Math.max(refreshWindowMs, minValidityMs)) {
        return held.credentials;
      }
      let flight = flights.get(key);
      if (!flight) {
        if (entry && time < entry.nextAttemptAt) return serve(entry, time, minValidityMs);
        const started: Promise<Entry> = refresh(key, policy, entry).finally(() => {
          if (flights.get(key) === started) flights.delete(key);
        });
        flights.set(key, started);
        flight = started;
      }
      return serve(await flight, nowMs(), minValidityMs);
    },
    clear(): void {
      generation++;
      entries.clear();
      newest = undefined;
      flights.clear();
    },
  };
}

/** The entry's credentials if they live longer than the caller needs; else why not. */
function serve(entry: Entry, time: number, minValidityMs: number): StsCredentials {
  const { held } = entry;
  if (held && held.expiresAt - time > minValidityMs) return held.credentials;
  if (entry.lastError) throw entry.lastError;
  const lifetime = Math.round((held?.lifetimeMs ?? 0) / 1000);
  const left = Math.max(0, Math.floor(((held?.expiresAt ?? time) - time) / 1000));
  const wait = entry.nextAttemptAt > time ? Math.ceil((entry.nextAttemptAt - time) / 1000) : 0;
  throw new OssSignError(
    'STS_FAILED',
    `STS granted credentials valid for ${lifetime} s as seen from this host (${left} s left), less than minValiditySeconds (${minValidityMs / 1000}): is the local clock right?${wait ? ` No new AssumeRole for this session policy for ${wait} s.` : ''}`,
    { details: { lifetimeSeconds: lifetime, minValiditySeconds: minValidityMs / 1000 } },
  );
}

/** Why fresh credentials must not replace what is cached: already expired, or expiring before the cached ones. */
function refusal(
  held: HeldCredentials,
  kept: HeldCredentials | undefined,
  answer: AssumeRoleResult,
): OssSignError | undefined {
  const { requestId } = answer;
  const keptValid = kept !== undefined && kept.expiresAt > answer.receivedAt;
  if (held.expiresAt <= answer.receivedAt) {
    return new OssSignError(
      'STS_BAD_RESPONSE',
      `AssumeRole answered with credentials that had already expired as seen from this host (Expiration ${held.credentials.expiration}${answer.serverDate === undefined ? ', no Date header' : `, STS's Date ${new Date(answer.serverDate).toISOString()}`})${keptValid ? '; the cached credentials are kept' : ''}`,
      { details: { requestId } },
    );
  }
  if (keptValid && held.expiresAt < kept.expiresAt) {
    return new OssSignError(
      'STS_BAD_RESPONSE',
      `AssumeRole answered with credentials that expire ${Math.round((kept.expiresAt - held.expiresAt) / 1000)} s before the cached ones (Expiration ${held.credentials.expiration}); the cached credentials are kept`,
      { details: { requestId } },
    );
  }
  return undefined;
}

function reportSkew(answer: AssumeRoleResult, reportOnce: (error: OssSignError) => void): void {
  const offset = clockOffset(answer);
  if (offset === undefined || Math.abs(offset) <= TOLERANCE_MS) return;
  const seconds = Math.round(Math.abs(offset) / 1000);
  reportOnce(
    new OssSignError(
      'STS_CLOCK_SKEW',
      `This host's clock is ${seconds} s ${offset > 0 ? 'behind' : 'ahead of'} STS's (from STS's Date header). STS credentials are timed by STS's clock and stay correct, but what this host signs with its own clock (presigned URLs, POST policies) expires early or late, or is refused by OSS: synchronize the clock (NTP).`,
      { details: { offsetSeconds: Math.round(offset / 1000), requestId: answer.requestId } },
    ),
  );
}

function shortLifetime(
  held: HeldCredentials,
  answer: AssumeRoleResult,
  durationSeconds: number,
): OssSignError {
  const lifetime = Math.round(held.lifetimeMs / 1000);
  return new OssSignError(
    'STS_SHORT_LIFETIME',
    `STS granted credentials that live ${lifetime} s as seen from this host, not the ${durationSeconds} s asked for${answer.serverDate === undefined ? " (STS sent no Date header, so this host's clock was trusted: is it ahead of STS's?)" : ''}; each is kept at least ${Math.round(minRefreshInterval(held) / 1000)} s before the next AssumeRole`,
    { details: { lifetimeSeconds: lifetime, durationSeconds, requestId: answer.requestId } },
  );
}
