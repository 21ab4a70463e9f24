import { OssSignError } from '../errors.js';
import { type CallerIdentity, type CallerKeys, DEFAULT_CHAIN, readClientKeys } from './caller-keys.js';
import { formatEndpoint, type StsEndpoint } from './endpoint.js';
import { describeFailure } from './failure.js';
import { loadPeer } from './peer.js';
import { type AssumeRoleAnswer, parseAssumeRoleResponse } from './response.js';
import type { CredentialClientLike } from './types.js';

export interface AssumeRoleSettings {
  roleArn: string;
  roleSessionName: string;
  durationSeconds: number;
  externalId: string | undefined;
  region: string | undefined;
  endpoint: StsEndpoint | undefined;
  identity: CallerIdentity;
  timeoutMs: number;
  maxAttempts: number;
  /** This host's clock, in milliseconds. */
  nowMs: () => number;
}

/** An answer, with when (on this host's clock) the attempt that got it was sent and answered. */
export interface AssumeRoleResult extends AssumeRoleAnswer {
  sentAt: number;
  receivedAt: number;
}

/** The few members of the STS SDK this module uses. */
interface StsClient {
  assumeRole(request: unknown): Promise<unknown>;
  /** The host the SDK chose (from `endpoint`, or from the region). */
  _endpoint?: unknown;
}
type StsClientClass = new (config: Record<string, unknown>) => StsClient;
type ModelClass = new (map: Record<string, unknown>) => unknown;
type CredentialClass = new () => CredentialClientLike;
type Call = (policy: string | undefined) => Promise<unknown>;

const GLOBAL_ENDPOINT: StsEndpoint = { protocol: 'https', host: 'sts.aliyuncs.com' };
const RETRY_BASE_MS = 200;
const RETRY_CAP_MS = 3000;
/** Secrets read from a credential client are remembered for scrubbing; a rotating client gives new ones. */
const REMEMBERED_SECRETS = 12;

/**
 * One AssumeRole through `@alicloud/sts20150401` (loaded on the first call), retried with backoff and
 * jitter when STS throttles, answers 5xx or garbage, or cannot be reached. Every failure becomes an
 * `OssSignError` that names the endpoint and carries STS's code and request id, and never a secret.
 */
export function createAssumeRole(
  settings: AssumeRoleSettings,
): (policy: string | undefined) => Promise<AssumeRoleResult> {
  // Without endpoint or region, the global endpoint; with a region only, the SDK picks the endpoint.
  const configured = settings.endpoint ?? (settings.region ? undefined : GLOBAL_ENDPOINT);
  let endpoint = configured ? formatEndpoint(configured) : `https://sts.${settings.region}.aliyuncs.com`;
  const { identity } = settings;
  // What was sent to STS: STS does not echo it, but its answers are scrubbed of it anyway.
  let secrets: string[] = identity.kind === 'keys' ? secretsOf(identity.keys) : [];
  let client: Promise<Call> | undefined;

  const open = async (): Promise<Call> => {
    const sts = await loadPeer('@alicloud/sts20150401');
    const Client = sts.default as StsClientClass;
    const AssumeRoleRequest = sts.AssumeRoleRequest as ModelClass;
    if (typeof AssumeRoleRequest !== 'function') {
      throw new OssSignError(
        'MISSING_PEER_DEPENDENCY',
        '@alicloud/sts20150401 has no AssumeRoleRequest: npm install @alicloud/sts20150401@latest',
      );
    }
    const readKeys = await keyReader(identity);
    const sdk = new Client({
      endpoint: configured?.host,
      protocol: configured?.protocol ?? 'https',
      regionId: settings.region,
      connectTimeout: settings.timeoutMs,
      readTimeout: settings.timeoutMs,
      credential: {
        getCredential: async () => {
          const keys = await readKeys();
          if (identity.kind !== 'keys')
            secrets = [...new Set([...secretsOf(keys), ...secrets])].slice(0, REMEMBERED_SECRETS);
          // `type` tells the SDK how to sign: with the token as well, or with the key pair alone.
          return { ...keys, type: keys.securityToken ? 'sts' : 'access_key' };
        },
      },
    });
    if (!configured && typeof sdk._endpoint === 'string' && /^[\w.:-]+$/.test(sdk._endpoint)) {
      endpoint = `https://${sdk._endpoint}`;
    }
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

  return async (policy) => {
    for (let attempt = 1; ; attempt++) {
      let failure: ReturnType<typeof describeFailure>;
      try {
        client ??= open().catch((error: unknown) => {
          client = undefined; // a peer installed later is picked up by the next call
          throw error;
        });
        const call = await client;
        const sentAt = settings.nowMs();
        const response = await call(policy);
        const receivedAt = settings.nowMs();
        return { ...parseAssumeRoleResponse(response, endpoint, secrets), sentAt, receivedAt };
      } catch (error) {
        failure = describeFailure(error, attempt, endpoint, secrets);
      }
      if (!failure.retryable || attempt >= settings.maxAttempts) throw failure.error;
      const ceiling = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** (attempt - 1));
      await sleep(ceiling / 2 + (Math.random() * ceiling) / 2);
    }
  };
}

/** Reads the caller's keys at each AssumeRole; the default chain's client is created once, on first use. */
async function keyReader(identity: CallerIdentity): Promise<() => Promise<CallerKeys>> {
  switch (identity.kind) {
    case 'keys':
      return async () => identity.keys;
    case 'client':
      return () => readClientKeys(identity.client, 'credentials.getCredential()');
    case 'default-chain': {
      const Credential = (await loadPeer('@alicloud/credentials')).default as CredentialClass;
      const client = new Credential();
      return () => readClientKeys(client, DEFAULT_CHAIN);
    }
  }
}

function secretsOf(keys: CallerKeys): string[] {
  return [keys.accessKeySecret, keys.securityToken, keys.accessKeyId].filter((s): s is string => !!s);
}

/** A plain timer: no `node:timers/promises`, so that the module loads in any runtime. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
