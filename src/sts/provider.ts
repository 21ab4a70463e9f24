import { hostname } from 'node:os';
import { OssSignError } from '../errors.js';
import { checkOptions, normalizeRegion, quote } from '../lib/validate.js';
import {
  type AssumeRoleSettings,
  type CallerIdentity,
  checkCallerKeys,
  createAssumeRole,
  type IssuedCredentials,
} from './assume-role.js';
import { MAX_DURATION_SECONDS, MIN_DURATION_SECONDS, ROLE_ARN, SESSION_NAME } from './rules.js';
import { serializeSessionPolicy } from './session-policy.js';
import type {
  GetStsCredentialsOptions,
  StsCredentialProvider,
  StsCredentialProviderOptions,
  StsCredentials,
} from './types.js';

const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const ENDPOINT = /^[A-Za-z0-9.-]+(:\d{1,5})?$/;
/** After a failed refresh that served cached credentials, wait this long (doubling) before trying again. */
const FAILURE_BACKOFF_MS = 1000;
const FAILURE_BACKOFF_CAP_MS = 60_000;

/** One session policy's cached credentials and its refresh state. */
interface CacheEntry {
  credentials?: IssuedCredentials;
  inFlight?: Promise<IssuedCredentials> | undefined;
  /** Consecutive failed refreshes. */
  failures: number;
  /** While cached credentials are served after a failure, no new AssumeRole before this time. */
  retryAt: number;
}

/**
 * Temporary credentials from STS AssumeRole, cached per session policy. Concurrent callers share one
 * AssumeRole; credentials are reused until they enter the refresh window; when a refresh fails,
 * still-valid credentials are served and the refresh is retried later; expired ones never are.
 */
export function createStsCredentialProvider(options: StsCredentialProviderOptions): StsCredentialProvider {
  const settings = validateProviderOptions(options);
  const { now, durationSeconds, maxCacheEntries, onRefreshError } = settings;
  const assumeRole = createAssumeRole(settings);
  const refreshWindowMs = settings.refreshBeforeSeconds * 1000;
  const entries = new Map<string, CacheEntry>();

  /** The entry for a policy, marked most recently used; past the bound, the least recently used is dropped. */
  const entryFor = (key: string): CacheEntry => {
    const entry = entries.get(key) ?? { failures: 0, retryAt: 0 };
    entries.delete(key);
    entries.set(key, entry);
    if (entries.size > maxCacheEntries) entries.delete(entries.keys().next().value as string);
    return entry;
  };

  const refresh = async (entry: CacheEntry, policy: string | undefined): Promise<IssuedCredentials> => {
    try {
      const fresh = await assumeRole(policy);
      entry.credentials = fresh;
      entry.failures = 0;
      entry.retryAt = 0;
      return fresh;
    } catch (error) {
      entry.failures += 1;
      const backoff = Math.min(FAILURE_BACKOFF_CAP_MS, FAILURE_BACKOFF_MS * 2 ** (entry.failures - 1));
      entry.retryAt = now() + backoff / 2 + (Math.random() * backoff) / 2;
      if (onRefreshError && error instanceof OssSignError) {
        try {
          onRefreshError(error);
        } catch {
          // A failing observer must not turn served credentials into an error.
        }
      }
      throw error;
    } finally {
      entry.inFlight = undefined;
    }
  };

  return {
    async getCredentials(request: GetStsCredentialsOptions = {}): Promise<StsCredentials> {
      checkOptions(request, 'getCredentials');
      const policy =
        request.policy === undefined ? settings.policy : serializeSessionPolicy(request.policy, 'policy');
      const minValidityMs = validateMinValidity(request.minValiditySeconds, durationSeconds) * 1000;
      const entry = entryFor(policy ?? '');
      const cached = entry.credentials;
      const validFor = (credentials: IssuedCredentials): number => credentials.expiresAt - now();
      if (cached) {
        const remaining = validFor(cached);
        if (remaining > Math.max(refreshWindowMs, minValidityMs)) return present(cached);
        if (remaining > minValidityMs && now() < entry.retryAt) return present(cached);
      }
      entry.inFlight ??= refresh(entry, policy);
      let fresh: IssuedCredentials;
      try {
        fresh = await entry.inFlight;
      } catch (error) {
        const fallback = entry.credentials;
        if (fallback && validFor(fallback) > minValidityMs) return present(fallback);
        throw error;
      }
      if (validFor(fresh) <= minValidityMs) {
        throw new OssSignError(
          'STS_FAILED',
          `STS issued credentials valid until ${fresh.expiration}, less than minValiditySeconds (${minValidityMs / 1000}) from now: is the local clock right?`,
        );
      }
      return present(fresh);
    },
    clear(): void {
      entries.clear();
    },
  };
}

/** A copy for the caller, so that changing it cannot change the cache. */
function present(credentials: IssuedCredentials): StsCredentials {
  const { accessKeyId, accessKeySecret, securityToken, expiration } = credentials;
  return { accessKeyId, accessKeySecret, securityToken, expiration };
}

interface ProviderSettings extends AssumeRoleSettings {
  policy: string | undefined;
  refreshBeforeSeconds: number;
  now: () => number;
  maxCacheEntries: number;
  onRefreshError: ((error: OssSignError) => void) | undefined;
}

/** Every rule is checked here, before any network call. */
function validateProviderOptions(options: StsCredentialProviderOptions): ProviderSettings {
  checkOptions(options, 'createStsCredentialProvider');
  const {
    roleArn,
    roleSessionName = defaultSessionName(),
    externalId,
    endpoint,
    protocol = 'https',
  } = options;
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
    options.durationSeconds,
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
  const region = options.region === undefined ? undefined : normalizeRegion(options.region);
  if (endpoint !== undefined && (typeof endpoint !== 'string' || !ENDPOINT.test(endpoint))) {
    throw new OssSignError(
      'INVALID_ENDPOINT',
      `endpoint must be a host with an optional port, like "sts.cn-hangzhou.aliyuncs.com" or "127.0.0.1:9000", without a scheme: use protocol for that (got ${quote(endpoint)})`,
    );
  }
  if (protocol !== 'https' && protocol !== 'http') {
    throw new OssSignError('INVALID_ARGUMENT', `protocol must be 'https' or 'http' (got ${quote(protocol)})`);
  }
  const refreshBeforeSeconds =
    options.refreshBeforeSeconds ?? Math.max(60, Math.min(300, durationSeconds / 5));
  if (
    !isFiniteNumber(refreshBeforeSeconds) ||
    refreshBeforeSeconds < 0 ||
    refreshBeforeSeconds >= durationSeconds
  ) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      `refreshBeforeSeconds must be at least 0 and below durationSeconds (${durationSeconds}) (got ${quote(refreshBeforeSeconds)})`,
    );
  }
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      'now must be a function returning milliseconds since the epoch',
    );
  }
  if (options.onRefreshError !== undefined && typeof options.onRefreshError !== 'function') {
    throw new OssSignError('INVALID_ARGUMENT', 'onRefreshError must be a function');
  }
  return {
    roleArn,
    roleSessionName,
    durationSeconds,
    externalId,
    region,
    endpoint,
    protocol,
    identity: callerIdentity(options.credential),
    policy: options.policy === undefined ? undefined : serializeSessionPolicy(options.policy, 'policy'),
    refreshBeforeSeconds,
    now,
    timeoutMs: wholeNumber(options.timeoutMs, 5000, 1, 600_000, 'timeoutMs'),
    maxAttempts: wholeNumber(options.maxAttempts, 3, 1, 10, 'maxAttempts'),
    maxCacheEntries: wholeNumber(options.maxCacheEntries, 100, 1, 1_000_000, 'maxCacheEntries'),
    onRefreshError: options.onRefreshError,
  };
}

function callerIdentity(credential: unknown): CallerIdentity {
  if (credential === undefined) return { kind: 'default-chain' };
  if (typeof (credential as { getCredential?: unknown } | null)?.getCredential === 'function') {
    return { kind: 'client', client: credential as { getCredential(): Promise<never> } };
  }
  if (typeof credential !== 'object' || credential === null) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      'credential must be { accessKeyId, accessKeySecret } or a client with getCredential(), such as one from @alicloud/credentials',
    );
  }
  return { kind: 'keys', keys: checkCallerKeys(credential, 'credential') };
}

function validateMinValidity(value: unknown, durationSeconds: number): number {
  if (value === undefined) return 0;
  if (!isFiniteNumber(value) || value < 0 || value >= durationSeconds) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      `minValiditySeconds must be at least 0 and below durationSeconds (${durationSeconds}) (got ${quote(value)})`,
    );
  }
  return value;
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

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Names the server in ActionTrail: `oss-direct-upload-<hostname>`, cut to what STS accepts. */
function defaultSessionName(): string {
  return `oss-direct-upload-${hostname().replace(/[^A-Za-z0-9.@_-]/g, '-')}`.slice(0, 64);
}
