import type { OssSignError } from '../errors.js';
import type { OssCredentials } from '../types.js';

/** One statement of a RAM policy. */
export interface RamPolicyStatement {
  Effect: 'Allow' | 'Deny';
  /** `'oss:PutObject'`; RAM accepts `*` and `?` wildcards. */
  Action: string | string[];
  /** `'acs:oss:*:*:bucket/prefix*'`; RAM accepts `*` and `?` wildcards. */
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>> | undefined;
}

/** A RAM policy document, used here as an STS session policy that narrows the role. */
export interface RamPolicy {
  Version: '1';
  Statement: RamPolicyStatement[];
}

export interface UploadPolicyOptions {
  bucket: string;
  /** Key prefix the credentials may write under, e.g. `'uploads/user-42/'`; no `*` or `?`. */
  prefix: string;
  /** Default `['oss:PutObject', 'oss:AbortMultipartUpload', 'oss:ListParts']`. */
  actions?: string[] | undefined;
}

/** What `getCredential()` of an `@alicloud/credentials` client resolves to (the fields this library reads). */
export interface CredentialModelLike {
  accessKeyId?: string | undefined;
  accessKeySecret?: string | undefined;
  securityToken?: string | undefined;
}

/**
 * The server's own identity, as an `@alicloud/credentials` client (`new Credential(config)`) or anything
 * else with the same `getCredential()` method. Bearer-token credentials are not supported by AssumeRole.
 */
export interface CredentialClientLike {
  getCredential(): Promise<CredentialModelLike>;
}

export interface StsCredentialProviderOptions {
  /** `'acs:ram::<account id>:role/<role name>'`: the role the temporary credentials act as. */
  roleArn: string;
  /** 2..64 characters of `[A-Za-z0-9.@_-]`, shown in ActionTrail and OSS logs; default `'oss-direct-upload'`. */
  roleSessionName?: string | undefined;
  /** Lifetime of the credentials, 900..43200 seconds (at most the role's MaxSessionDuration); default 3600. */
  durationSeconds?: number | undefined;
  /** Session policy for calls that give none; the credentials get at most what role and policy both allow. */
  policy?: RamPolicy | string | undefined;
  /** The role's external id, when its trust policy asks for one. */
  externalId?: string | undefined;
  /** STS region, giving the endpoint `sts.<region>.aliyuncs.com`; without it, `sts.aliyuncs.com`. */
  region?: string | undefined;
  /**
   * STS base URL, e.g. `'https://sts-vpc.cn-hangzhou.aliyuncs.com'` or `'http://127.0.0.1:9000'` (a bare host
   * means https); wins over `region`. No user name, password, path or query.
   */
  endpoint?: string | undefined;
  /**
   * The identity that calls AssumeRole: long-term keys of a RAM user, or a credential client. Default: the
   * default chain of `@alicloud/credentials` (environment variables, profile, ECS RAM role, OIDC).
   */
  credentials?: OssCredentials | CredentialClientLike | undefined;
  /**
   * Cached credentials are replaced once they have less than this many seconds left. Default
   * `max(60, min(300, durationSeconds / 5))`; must be below `durationSeconds`. Credentials that STS grants
   * for less are still kept for at least the minimum refresh interval (see docs/sts.md).
   */
  refreshBeforeSeconds?: number | undefined;
  /** This host's clock; default `() => new Date()`. */
  clock?: (() => Date) | undefined;
  /** Connect and read timeout of each AssumeRole attempt, in milliseconds; default 5000. */
  timeoutMs?: number | undefined;
  /** Attempts per AssumeRole when STS throttles, fails with 5xx or cannot be reached; default 3. */
  maxAttempts?: number | undefined;
  /**
   * Session policies kept in the cache at once (least recently used dropped first); default 1000. An entry
   * costs about 1.2 kB: size it to the number of policies (users) active within one credential lifetime.
   */
  maxCacheEntries?: number | undefined;
  /**
   * Told what the provider handled without failing the call: every failed AssumeRole (including those hidden
   * by serving still-valid cached credentials and refreshes refused as worse than the cached credentials),
   * and, once per provider, `STS_CLOCK_SKEW` and `STS_SHORT_LIFETIME`.
   */
  onRefreshError?: ((error: OssSignError) => void) | undefined;
}

export interface GetStsCredentialsOptions {
  /** Session policy for these credentials, instead of the provider's `policy`; each has its own cache entry. */
  policy?: RamPolicy | string | undefined;
  /** The credentials returned stay valid at least this long (seconds, below `durationSeconds`); default 0. */
  minValiditySeconds?: number | undefined;
}

/** Temporary credentials for a client (browser, app): all four fields, `expiration` as an ISO 8601 string. */
export interface StsCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  /** ISO 8601 UTC. */
  expiration: string;
}

export interface StsCredentialProvider {
  /** Cached temporary credentials, fetched with AssumeRole when missing, expiring or too short-lived. */
  getCredentials(options?: GetStsCredentialsOptions): Promise<StsCredentials>;
  /** Drops every cached entry; the next call fetches new credentials. */
  clear(): void;
}
