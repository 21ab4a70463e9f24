import { OssSignError } from '../errors.js';
import { ownProperties } from '../options/own-properties.js';
import { checkKeyPair, type KeyPair } from '../oss/credentials.js';
import type { CredentialClientLike } from './types.js';

/** The key pair (and, for role chaining, the token) that signs AssumeRole; a bearer token cannot. */
export type CallerKeys = KeyPair;

/** Where the identity that calls AssumeRole comes from, and how messages name it. */
export type CallerIdentity =
  | { kind: 'keys'; keys: CallerKeys }
  | { kind: 'client'; client: CredentialClientLike }
  | { kind: 'default-chain' };

export const DEFAULT_CHAIN = 'the default credential chain of @alicloud/credentials';

/** The `credentials` option: keys (checked now, before any network call), a client, or the default chain. */
export function resolveCallerIdentity(credentials: unknown): CallerIdentity {
  if (credentials === undefined) return { kind: 'default-chain' };
  let isClient: boolean;
  try {
    isClient = typeof (credentials as { getCredential?: unknown } | null)?.getCredential === 'function';
  } catch (cause) {
    throw new OssSignError('INVALID_ARGUMENT', 'credentials could not be read: reading it threw', { cause });
  }
  if (isClient) return { kind: 'client', client: credentials as CredentialClientLike };
  if (typeof credentials !== 'object' || credentials === null) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      `credentials must be { accessKeyId, accessKeySecret } or a client with getCredential(), such as one from @alicloud/credentials (got ${credentials === null ? 'null' : `a ${typeof credentials}`}, not shown)`,
    );
  }
  return {
    kind: 'keys',
    keys: checkCallerKeys(ownProperties(credentials, 'credentials', 'MISSING_CREDENTIALS'), 'credentials'),
  };
}

/** The keys of a credential client, read at each AssumeRole (the client may rotate them). */
export async function readClientKeys(client: CredentialClientLike, name: string): Promise<CallerKeys> {
  let model: unknown;
  try {
    model = await client.getCredential();
  } catch (error) {
    // Credential providers quote config files and HTTP bodies in their messages: keep only the name.
    throw new OssSignError(
      'MISSING_CREDENTIALS',
      name === DEFAULT_CHAIN
        ? `${DEFAULT_CHAIN} found no credentials (${errorName(error)}): set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, a profile or a RAM role, or pass the credentials option`
        : `${name} failed (${errorName(error)})`,
    );
  }
  const fields = (typeof model === 'object' && model !== null ? model : {}) as Record<string, unknown>;
  return checkCallerKeys(
    {
      accessKeyId: fields.accessKeyId,
      accessKeySecret: fields.accessKeySecret,
      securityToken: fields.securityToken,
    },
    name,
  );
}

function checkCallerKeys(fields: Record<string, unknown>, name: string): CallerKeys {
  const { accessKeyId, accessKeySecret, securityToken, stsToken } = fields;
  return checkKeyPair({ accessKeyId, accessKeySecret, securityToken, stsToken }, name);
}

export function errorName(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && /^\w{1,64}$/.test(name) ? name : 'Error';
}
