import { OssSignError } from '../errors.js';
import { ownProperties } from '../options/own-properties.js';
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
/** Printable ASCII without spaces: what an AccessKey ID is (the rules of options/credentials.ts). */
const KEY_ID = /^[\x21-\x7e]+$/;
/** Printable ASCII, not starting or ending with a space: what a token may hold and travel in a header. */
const TOKEN = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

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

/**
 * The shape rules signing applies to credentials (options/credentials.ts), with the same codes. Messages
 * name the field and the rule, never a value: every one of these fields may be secret.
 */
function checkCallerKeys(fields: Record<string, unknown>, name: string): CallerKeys {
  const { accessKeyId, accessKeySecret, securityToken, stsToken } = fields;
  const invalid = (rule: string) => new OssSignError('INVALID_CREDENTIALS', `${name}: ${rule}`);
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
  if (!KEY_ID.test(accessKeyId) || accessKeyId.includes('/') || accessKeyId.includes(',')) {
    throw invalid(
      "accessKeyId must be printable ASCII without spaces, '/' or ',': check for a stray line break or quote",
    );
  }
  if (accessKeySecret.trim() !== accessKeySecret) {
    throw invalid('accessKeySecret has leading or trailing whitespace: check for a stray line break');
  }
  if (securityToken !== undefined && securityToken !== null && typeof securityToken !== 'string') {
    throw invalid('securityToken must be a string when given');
  }
  if (securityToken && !TOKEN.test(securityToken)) {
    throw invalid(
      'securityToken must be printable ASCII without leading or trailing spaces: check for a stray line break',
    );
  }
  if (!securityToken && stsToken !== undefined) {
    throw invalid("stsToken is ali-oss's name for the STS token: pass it as securityToken");
  }
  if (!securityToken && accessKeyId.startsWith('STS.')) {
    throw invalid(
      "accessKeyId starts with 'STS.', so these are temporary credentials: pass their security token as securityToken",
    );
  }
  return securityToken ? { accessKeyId, accessKeySecret, securityToken } : { accessKeyId, accessKeySecret };
}

export function errorName(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && /^\w{1,64}$/.test(name) ? name : 'Error';
}
