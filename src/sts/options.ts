import { OssSignError } from '../errors.js';
import { ownProperties } from '../options/own-properties.js';
import { normalizeRegion } from '../oss/names.js';
import { quote } from '../quote.js';
import type { AssumeRoleSettings } from './assume-role.js';
import { resolveCallerIdentity } from './caller-keys.js';
import { parseStsEndpoint } from './endpoint.js';
import { MAX_DURATION_SECONDS, MIN_DURATION_SECONDS, ROLE_ARN, SESSION_NAME } from './rules.js';
import { serializeSessionPolicy } from './session-policy.js';

/** The provider's options, validated once. */
export interface ProviderSettings extends AssumeRoleSettings {
  /** The session policy for calls that give none, as sent to STS. */
  policy: string | undefined;
  refreshWindowMs: number;
  maxCacheEntries: number;
  onRefreshError: ((error: OssSignError) => void) | undefined;
}

/** What one `getCredentials` call asks for. */
export interface CallOptions {
  policy: string | undefined;
  minValidityMs: number;
}

const PROVIDER_OPTIONS: ReadonlySet<string> = new Set([
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
]);
/** Names of earlier versions: silently ignoring them would call STS as someone else, or at the wrong place. */
const RENAMED = {
  credential: 'renamed credentials',
  protocol: "gone: give the scheme in endpoint, like 'http://127.0.0.1:9000'",
  now: 'replaced by clock, a function returning a Date',
  accessKeyId: 'put it in credentials: { accessKeyId, accessKeySecret }',
  accessKeySecret: 'put it in credentials: { accessKeyId, accessKeySecret }',
};
const CALL_OPTIONS: ReadonlySet<string> = new Set(['policy', 'minValiditySeconds']);
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
/** The session name when none is given. No host name: see docs/sts.md. */
const DEFAULT_SESSION_NAME = 'oss-direct-upload';

/** Every rule is checked here, before any network call; each option is read once, own properties only. */
export function resolveProviderOptions(options: unknown): ProviderSettings {
  const o = ownProperties(
    options,
    'createStsCredentialProvider options',
    'INVALID_ARGUMENT',
    PROVIDER_OPTIONS,
    RENAMED,
  );
  const { roleArn, roleSessionName = DEFAULT_SESSION_NAME, externalId } = o;
  if (typeof roleArn !== 'string' || !ROLE_ARN.test(roleArn)) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      `roleArn must look like "acs:ram::<account id>:role/<role name>" (got ${quote(roleArn)})`,
    );
  }
  if (typeof roleSessionName !== 'string' || !SESSION_NAME.test(roleSessionName)) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      `roleSessionName must be 2-64 characters of A-Z, a-z, 0-9, '.', '@', '_' and '-' (got ${quote(roleSessionName)})`,
    );
  }
  const durationSeconds = wholeNumber(
    o.durationSeconds,
    3600,
    MIN_DURATION_SECONDS,
    MAX_DURATION_SECONDS,
    'durationSeconds',
  );
  if (externalId !== undefined && (typeof externalId !== 'string' || !EXTERNAL_ID.test(externalId))) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      `externalId must be 2-1224 characters of letters, digits and = , . @ : / - _ (got ${quote(externalId)})`,
    );
  }
  if (o.region !== undefined && typeof o.region !== 'string') {
    throw new OssSignError(
      'INVALID_REGION',
      `region must be a string like "cn-hangzhou" (got ${quote(o.region)})`,
    );
  }
  const refreshBeforeSeconds = o.refreshBeforeSeconds ?? Math.max(60, Math.min(300, durationSeconds / 5));
  if (
    typeof refreshBeforeSeconds !== 'number' ||
    !Number.isFinite(refreshBeforeSeconds) ||
    refreshBeforeSeconds < 0 ||
    refreshBeforeSeconds >= durationSeconds
  ) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      `refreshBeforeSeconds must be a number of at least 0 and below durationSeconds (${durationSeconds}) (got ${quote(refreshBeforeSeconds)})`,
    );
  }
  const { clock = defaultClock, onRefreshError } = o;
  if (typeof clock !== 'function') {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      `clock must be a function returning a Date (got ${quote(clock)})`,
    );
  }
  if (onRefreshError !== undefined && typeof onRefreshError !== 'function') {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      `onRefreshError must be a function (got ${quote(onRefreshError)})`,
    );
  }
  return {
    roleArn,
    roleSessionName,
    durationSeconds,
    externalId,
    region: o.region === undefined ? undefined : normalizeRegion(o.region),
    endpoint: o.endpoint === undefined ? undefined : parseStsEndpoint(o.endpoint),
    identity: resolveCallerIdentity(o.credentials),
    policy: o.policy === undefined ? undefined : serializeSessionPolicy(o.policy, 'policy'),
    refreshWindowMs: refreshBeforeSeconds * 1000,
    nowMs: readClock(clock as () => unknown),
    timeoutMs: wholeNumber(o.timeoutMs, 5000, 1, 600_000, 'timeoutMs'),
    maxAttempts: wholeNumber(o.maxAttempts, 3, 1, 10, 'maxAttempts'),
    maxCacheEntries: wholeNumber(o.maxCacheEntries, 1000, 1, 1_000_000, 'maxCacheEntries'),
    onRefreshError: onRefreshError as ProviderSettings['onRefreshError'],
  };
}

/** `getCredentials(options)`: the session policy (the provider's when none is given) and minValiditySeconds. */
export function resolveCallOptions(
  options: unknown,
  settings: ProviderSettings,
  checked: (policy: string) => boolean,
): CallOptions {
  const o = ownProperties(options, 'getCredentials options', 'INVALID_ARGUMENT', CALL_OPTIONS);
  const { minValiditySeconds = 0 } = o;
  if (
    typeof minValiditySeconds !== 'number' ||
    !Number.isFinite(minValiditySeconds) ||
    minValiditySeconds < 0 ||
    minValiditySeconds >= settings.durationSeconds
  ) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      `minValiditySeconds must be a number of at least 0 and below durationSeconds (${settings.durationSeconds}) (got ${quote(minValiditySeconds)})`,
    );
  }
  return {
    policy: o.policy === undefined ? settings.policy : serializeSessionPolicy(o.policy, 'policy', checked),
    minValidityMs: minValiditySeconds * 1000,
  };
}

function defaultClock(): Date {
  return new Date();
}

/** The clock in milliseconds; a clock that returns no valid Date is an error of the call that read it. */
function readClock(clock: () => unknown): () => number {
  return () => {
    const date = clock();
    let time: number;
    try {
      time = Date.prototype.getTime.call(date); // a Date of any realm; throws for anything else
    } catch {
      time = Number.NaN;
    }
    if (!Number.isFinite(time)) {
      throw new OssSignError('INVALID_ARGUMENT', `clock must return a valid Date (got ${quote(date)})`);
    }
    return time;
  };
}

function wholeNumber(value: unknown, fallback: number, min: number, max: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      `${name} must be a whole number from ${min} to ${max} (got ${quote(value)})`,
    );
  }
  return value as number;
}
