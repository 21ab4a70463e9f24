import { OssSignError } from '../errors.js';
import { readOwnOptions } from './own-options.js';
import type { CredentialClientLike } from './types.js';

/** The key pair (and, for role chaining, the token) that signs AssumeRole; a bearer token cannot. */
export interface CallerKeys {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/** Where the identity that calls AssumeRole comes from, and how messages name it. */
export type CallerIdentity =
  | { kind: 'keys'; keys: CallerKeys }
  | { kind: 'client'; client: CredentialClientLike }
  | { kind: 'default-chain' };

export const DEFAULT_CHAIN = 'the default credential chain of @alicloud/credentials';
const KEY_FIELDS = ['accessKeyId', 'accessKeySecret', 'securityToken', 'stsToken'] as const;
/** Control characters, or whitespace at either end: a pasted `.env` line, which STS would refuse as a bad signature. */
const UNCLEAN = /\p{Cc}|^\s|\s$/u;

/** The `credentials` option: keys (checked now, before any network call), a client, or the default chain. */
export function resolveCallerIdentity(credentials: unknown): CallerIdentity {
  if (credentials === undefined) return { kind: 'default-chain' };
  if (typeof (credentials as { getCredential?: unknown } | null)?.getCredential === 'function') {
    return { kind: 'client', client: credentials as CredentialClientLike };
  }
  if (typeof credentials !== 'object' || credentials === null) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      `credentials must be { accessKeyId, accessKeySecret } or a client with getCredential(), such as one from @alicloud/credentials (got ${credentials === null ? 'null' : `a ${typeof credentials}`}, not shown)`,
    );
  }
  return {
    kind: 'keys',
    keys: checkCallerKeys(readOwnOptions(credentials, KEY_FIELDS, 'credentials'), 'credentials'),
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

/** Messages name the field and the rule, never a value: every one of these fields may be secret. */
function checkCallerKeys(
  fields: Partial<Record<(typeof KEY_FIELDS)[number], unknown>>,
  name: string,
): CallerKeys {
  const { accessKeyId, accessKeySecret, securityToken, stsToken } = fields;
  if (
    typeof accessKeyId !== 'string' ||
    accessKeyId === '' ||
    typeof accessKeySecret !== 'string' ||
    accessKeySecret === ''
  ) {
    throw new OssSignError(
      'MISSING_CREDENTIALS',
      `${name} must give a non-empty accessKeyId and accessKeySecret`,
    );
  }
  if (
    securityToken !== undefined &&
    securityToken !== null &&
    (typeof securityToken !== 'string' || UNCLEAN.test(securityToken))
  ) {
    throw new OssSignError(
      'MISSING_CREDENTIALS',
      `${name} must give securityToken as a string without control characters or surrounding whitespace`,
    );
  }
  if (stsToken !== undefined && !securityToken) {
    throw new OssSignError(
      'MISSING_CREDENTIALS',
      `${name} names the STS token stsToken (ali-oss's spelling): call it securityToken`,
    );
  }
  if (UNCLEAN.test(accessKeyId) || UNCLEAN.test(accessKeySecret)) {
    throw new OssSignError(
      'MISSING_CREDENTIALS',
      `${name} must give accessKeyId and accessKeySecret without control characters or surrounding whitespace (a trailing newline from a .env file?)`,
    );
  }
  if (accessKeyId.startsWith('STS.') && !securityToken) {
    throw new OssSignError(
      'MISSING_CREDENTIALS',
      `${name} has an STS access key id (STS.…) but no securityToken: temporary keys only work with their token`,
    );
  }
  return securityToken ? { accessKeyId, accessKeySecret, securityToken } : { accessKeyId, accessKeySecret };
}

export function errorName(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && /^\w{1,64}$/.test(name) ? name : 'Error';
}
