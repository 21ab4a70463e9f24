import { setTimeout as sleep } from 'node:timers/promises';
import { OssSignError } from '../errors.js';
import { quote } from '../lib/validate.js';
import { ISO_UTC } from '../oss/time.js';
import { loadPeer } from './peer.js';
import type { CredentialClientLike, CredentialModelLike, StsCredentials } from './types.js';

/** Credentials from one AssumeRole, with the expiry parsed once. */
export type IssuedCredentials = StsCredentials & {
  /** `expiration` (ISO 8601, milliseconds included), in milliseconds since the epoch. */
  expiresAt: number;
};

/** Where the identity that calls AssumeRole comes from. */
export type CallerIdentity =
  | { kind: 'keys'; keys: CredentialModelLike }
  | { kind: 'client'; client: CredentialClientLike }
  | { kind: 'default-chain' };

export interface AssumeRoleSettings {
  roleArn: string;
  roleSessionName: string;
  durationSeconds: number;
  externalId?: string | undefined;
  region?: string | undefined;
  endpoint?: string | undefined;
  protocol: 'https' | 'http';
  identity: CallerIdentity;
  timeoutMs: number;
  maxAttempts: number;
}

type AssumeRoleCall = (policy: string | undefined) => Promise<unknown>;
/** The few members of the STS SDK this module uses. */
interface StsClient {
  assumeRole(request: unknown): Promise<unknown>;
}
type StsClientClass = new (config: Record<string, unknown>) => StsClient;
type ModelClass = new (map: Record<string, unknown>) => unknown;
type CredentialClass = new () => CredentialClientLike;
interface IdentitySource {
  /** How messages name it. */
  name: string;
  client: CredentialClientLike;
}
type CallerKeys = { accessKeyId: string; accessKeySecret: string; securityToken?: string };

const DEFAULT_CHAIN = 'the default credential chain of @alicloud/credentials';
const GLOBAL_ENDPOINT = 'sts.aliyuncs.com';

const RETRY_BASE_MS = 200;
const RETRY_CAP_MS = 3000;

/**
 * One AssumeRole through `@alicloud/sts20150401` (loaded on the first call), retried with backoff and
 * jitter when STS throttles, answers 5xx or garbage, or cannot be reached. Every failure becomes an
 * `OssSignError` that carries STS's code and request id, and never a secret.
 */
export function createAssumeRole(
  settings: AssumeRoleSettings,
): (policy: string | undefined) => Promise<IssuedCredentials> {
  let client: Promise<AssumeRoleCall> | undefined;
  // Without endpoint or region, the global endpoint; with a region only, the SDK picks its endpoint.
  const endpoint = settings.endpoint ?? (settings.region ? undefined : GLOBAL_ENDPOINT);
  // The secrets last sent to STS: STS never echoes them, but its messages are scrubbed of them anyway.
  let sentSecrets: string[] = [];

  const open = async (): Promise<AssumeRoleCall> => {
    const sts = await loadPeer('@alicloud/sts20150401');
    const Client = sts.default as StsClientClass;
    const AssumeRoleRequest = sts.AssumeRoleRequest as ModelClass;
    if (typeof AssumeRoleRequest !== 'function') {
      throw new OssSignError(
        'MISSING_PEER_DEPENDENCY',
        '@alicloud/sts20150401 has no AssumeRoleRequest: npm install @alicloud/sts20150401@latest',
      );
    }
    const { identity } = settings;
    const source: IdentitySource =
      identity.kind === 'keys'
        ? { name: 'credential', client: { getCredential: async () => identity.keys } }
        : identity.kind === 'client'
          ? { name: 'credential.getCredential()', client: identity.client }
          : {
              name: DEFAULT_CHAIN,
              client: new ((await loadPeer('@alicloud/credentials')).default as CredentialClass)(),
            };
    const sdk = new Client({
      endpoint,
      regionId: settings.region,
      protocol: settings.protocol,
      connectTimeout: settings.timeoutMs,
      readTimeout: settings.timeoutMs,
      credential: {
        getCredential: async () => {
          const keys = await readCallerKeys(source);
          sentSecrets = [keys.accessKeySecret, keys.securityToken].filter((s): s is string => !!s);
          // `type` tells the SDK how to sign: with the token as well, or with the key pair alone.
          return { ...keys, type: keys.securityToken ? 'sts' : 'access_key' };
        },
      },
    });
    return (policy) =>
      sdk.assumeRole(
        new AssumeRoleRequest({
          roleArn: settings.roleArn,
          roleSessionName: settings.roleSessionName,
          durationSeconds: settings.durationSeconds,
          externalId: settings.externalId,
          policy,
        }),
      );
  };

  const target = endpoint ?? `STS in ${settings.region}`;
  return async (policy) => {
    for (let attempt = 1; ; attempt++) {
      let failure: Failure;
      try {
        client ??= open().catch((error: unknown) => {
          client = undefined; // a peer installed later is picked up by the next call
          throw error;
        });
        return parseAssumeRoleResponse(await (await client)(policy));
      } catch (error) {
        failure = describeFailure(error, attempt, target, sentSecrets);
      }
      if (!failure.retryable || attempt >= settings.maxAttempts) throw failure.error;
      const ceiling = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** (attempt - 1));
      await sleep(ceiling / 2 + (Math.random() * ceiling) / 2);
    }
  };
}

async function readCallerKeys(source: IdentitySource): Promise<CallerKeys> {
  let model: CredentialModelLike;
  try {
    model = await source.client.getCredential();
  } catch (error) {
    // Credential providers quote config files and HTTP bodies in their messages: keep only the name.
    throw new OssSignError(
      'MISSING_CREDENTIALS',
      source.name === DEFAULT_CHAIN
        ? `${DEFAULT_CHAIN} found no credentials (${errorName(error)}): set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, a profile or a RAM role, or pass the credential option`
        : `${source.name} failed (${errorName(error)})`,
    );
  }
  return checkCallerKeys(model, source.name);
}

/** The long-term (or role) key pair that signs AssumeRole; a bearer token cannot. */
export function checkCallerKeys(model: CredentialModelLike | null | undefined, name: string): CallerKeys {
  const { accessKeyId, accessKeySecret, securityToken } = model ?? {};
  if (
    typeof accessKeyId !== 'string' ||
    !accessKeyId ||
    typeof accessKeySecret !== 'string' ||
    !accessKeySecret
  ) {
    throw new OssSignError(
      'MISSING_CREDENTIALS',
      `${name} must give a non-empty accessKeyId and accessKeySecret`,
    );
  }
  if (securityToken !== undefined && securityToken !== null && typeof securityToken !== 'string') {
    throw new OssSignError(
      'MISSING_CREDENTIALS',
      `${name} must give securityToken as a string when it has one`,
    );
  }
  return securityToken ? { accessKeyId, accessKeySecret, securityToken } : { accessKeyId, accessKeySecret };
}

function parseAssumeRoleResponse(response: unknown): IssuedCredentials {
  const body = (response as { body?: { requestId?: unknown; credentials?: Record<string, unknown> } } | null)
    ?.body;
  const requestId = typeof body?.requestId === 'string' ? body.requestId : undefined;
  const { accessKeyId, accessKeySecret, securityToken, expiration } = body?.credentials ?? {};
  const fields = {
    AccessKeyId: accessKeyId,
    AccessKeySecret: accessKeySecret,
    SecurityToken: securityToken,
    Expiration: expiration,
  };
  const missing = Object.keys(fields).filter((name) => {
    const value = fields[name as keyof typeof fields];
    return typeof value !== 'string' || value === '';
  });
  if (missing.length > 0) {
    throw new OssSignError(
      'STS_BAD_RESPONSE',
      `AssumeRole answered without ${missing.map((name) => `Credentials.${name}`).join(', ')}`,
      { details: { requestId } },
    );
  }
  const expiresAt = ISO_UTC.test(expiration as string) ? Date.parse(expiration as string) : Number.NaN;
  if (Number.isNaN(expiresAt)) {
    throw new OssSignError(
      'STS_BAD_RESPONSE',
      `AssumeRole answered with Credentials.Expiration ${quote(expiration)}, not an ISO 8601 UTC time`,
      { details: { requestId } },
    );
  }
  return {
    accessKeyId: accessKeyId as string,
    accessKeySecret: accessKeySecret as string,
    securityToken: securityToken as string,
    expiration: new Date(expiresAt).toISOString(),
    expiresAt,
  };
}

interface Failure {
  error: OssSignError;
  retryable: boolean;
}

/**
 * SDK errors are not passed on as `cause`: they hold the signed request. Only STS's code, request id,
 * status and message (scrubbed of the secrets that were sent) are copied.
 */
function describeFailure(error: unknown, attempts: number, target: string, secrets: string[]): Failure {
  if (error instanceof OssSignError) return { error, retryable: false };
  const sdkError = (error ?? {}) as { name?: unknown; code?: unknown; statusCode?: unknown; data?: unknown };
  if (typeof sdkError.statusCode === 'number') {
    // `data` is STS's error body: { RequestId, Code, Message, ... }.
    const data = (sdkError.data ?? {}) as Record<string, unknown>;
    const stsCode = stringOrUndefined(data.Code ?? data.code);
    const requestId = stringOrUndefined(data.RequestId ?? data.requestId);
    const stsMessage = scrub(stringOrUndefined(data.Message ?? data.message) ?? '', secrets);
    const httpStatus = sdkError.statusCode;
    return {
      retryable: httpStatus >= 500 || (stsCode?.startsWith('Throttling') ?? false),
      error: new OssSignError(
        'STS_FAILED',
        `AssumeRole failed with HTTP ${httpStatus} ${stsCode ?? '(no code)'}${stsMessage ? `: ${stsMessage}` : ''} (request id ${requestId ?? 'unknown'}, ${attempts} attempt(s))`,
        { details: { stsCode, requestId, httpStatus, attempts } },
      ),
    };
  }
  if (error instanceof SyntaxError) {
    return {
      retryable: true,
      error: new OssSignError(
        'STS_BAD_RESPONSE',
        `AssumeRole answered with a body that is not JSON (${attempts} attempt(s))`,
        { details: { attempts } },
      ),
    };
  }
  const reason = stringOrUndefined(sdkError.code) ?? errorName(error);
  return {
    retryable: true,
    error: new OssSignError(
      'STS_FAILED',
      `AssumeRole request to ${target} failed: ${reason} (${attempts} attempt(s))`,
      {
        details: { reason, attempts },
      },
    ),
  };
}

function scrub(text: string, secrets: string[]): string {
  let clean = text;
  for (const secret of secrets) clean = clean.split(secret).join('[redacted]');
  return clean.length > 500 ? `${clean.slice(0, 497)}...` : clean;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function errorName(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name ? name : 'Error';
}
