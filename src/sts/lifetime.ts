/**
 * When cached credentials are refreshed. Every time here is on this host's clock, in milliseconds: the
 * credentials' expiry is STS's `Expiration` moved onto it, so a clock ahead of or behind STS's changes
 * nothing (see docs/sts.md, "Refresh and clocks").
 */
import type { AssumeRoleResult } from './assume-role.js';
import type { StsCredentials } from './types.js';

/** Credentials as the cache holds them. */
export interface HeldCredentials {
  /**
   * Frozen and handed to every caller as is: one object per AssumeRole, so that signing with it finds its
   * checked form and derived keys cached (they are cached per credentials object).
   */
  credentials: Readonly<StsCredentials>;
  /** When they expire. */
  expiresAt: number;
  /** The lifetime STS granted, as seen from this host. */
  lifetimeMs: number;
  /** When the AssumeRole that got them was sent. */
  obtainedAt: number;
}

/** Two AssumeRole calls for one session policy are at least this far apart (less for very short lifetimes). */
const MIN_REFRESH_INTERVAL_MS = 60_000;
const MIN_REFRESH_INTERVAL_FLOOR_MS = 1000;
/** A clock this far from STS's, or a lifetime this much below the one asked for, is reported. */
export const TOLERANCE_MS = 60_000;
const FAILURE_BACKOFF_MS = 1000;
const FAILURE_BACKOFF_CAP_MS = 60_000;

/**
 * The lifetime STS granted is `Expiration` minus STS's own `Date` when it answered, counted from when the
 * request was sent (so never longer than it really is). Without a `Date` header, STS's clock is taken to
 * agree with this one. Either way it is at most what was asked for: STS never grants more.
 */
export function holdCredentials(answer: AssumeRoleResult, durationMs: number): HeldCredentials {
  const granted =
    answer.serverDate === undefined ? answer.expiresAt - answer.sentAt : answer.expiresAt - answer.serverDate;
  const lifetimeMs = Math.min(granted, durationMs);
  return {
    credentials: Object.freeze({ ...answer.credentials }),
    expiresAt: answer.sentAt + lifetimeMs,
    lifetimeMs,
    obtainedAt: answer.sentAt,
  };
}

/** How far STS's clock is ahead of this one (negative: behind); undefined without a `Date` header. */
export function clockOffset(answer: AssumeRoleResult): number | undefined {
  return answer.serverDate === undefined
    ? undefined
    : answer.serverDate - (answer.sentAt + answer.receivedAt) / 2;
}

/**
 * After a successful AssumeRole, none for the same policy before this much time has passed, whatever the
 * refresh window and minValiditySeconds ask for: half the lifetime, between 1 s and 60 s, so that
 * credentials born inside the refresh window are not refreshed on every call, and short-lived ones are
 * still renewed before they expire.
 */
export function minRefreshInterval(held: HeldCredentials): number {
  return Math.max(MIN_REFRESH_INTERVAL_FLOOR_MS, Math.min(MIN_REFRESH_INTERVAL_MS, held.lifetimeMs / 2));
}

/** After the n-th failure in a row: 1 s, doubling, at most 60 s, with jitter (half to all of it). */
export function failureBackoff(failures: number): number {
  const ceiling = Math.min(FAILURE_BACKOFF_CAP_MS, FAILURE_BACKOFF_MS * 2 ** (failures - 1));
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}
