import { OssSignError } from '../errors.js';
import { checkKeyPair } from '../oss/credentials.js';
import { parseIsoUtc } from '../oss/time.js';
import { scrubIdentifier } from './scrub.js';
import type { StsCredentials } from './types.js';

/** One AssumeRole answer, as read from the SDK's response. */
export interface AssumeRoleAnswer {
  credentials: StsCredentials;
  /** `Credentials.Expiration`, in milliseconds since the epoch on STS's clock. */
  expiresAt: number;
  /** STS's clock when it answered (the HTTP `Date` header, whole seconds), when it sent one. */
  serverDate: number | undefined;
  requestId: string | undefined;
}

const FIELDS = ['accessKeyId', 'accessKeySecret', 'securityToken', 'expiration'] as const;
const STS_NAMES = {
  accessKeyId: 'AccessKeyId',
  accessKeySecret: 'AccessKeySecret',
  securityToken: 'SecurityToken',
  expiration: 'Expiration',
};

/**
 * The SDK's `AssumeRoleResponse`: `{ headers, statusCode, body: { requestId, credentials: {...} } }`, with the
 * response headers under their lower-case names.
 */
export function parseAssumeRoleResponse(
  response: unknown,
  endpoint: string,
  secrets: readonly string[],
): AssumeRoleAnswer {
  const { headers, body } = asRecord(response);
  const { requestId: rawRequestId, credentials } = asRecord(body);
  const requestId = scrubIdentifier(rawRequestId, secrets);
  const fields = asRecord(credentials);
  const missing = FIELDS.filter((name) => typeof fields[name] !== 'string' || fields[name] === '');
  if (missing.length > 0) {
    throw new OssSignError(
      'STS_BAD_RESPONSE',
      `AssumeRole at ${endpoint} answered without ${missing.map((name) => `Credentials.${STS_NAMES[name]}`).join(', ')}`,
      { details: { requestId, endpoint } },
    );
  }
  const { accessKeyId, accessKeySecret, securityToken, expiration } = fields as Record<
    (typeof FIELDS)[number],
    string
  >;
  checkIssuedKeys(fields, endpoint, requestId);
  const expiresAt = parseIsoUtc(expiration);
  if (expiresAt === undefined) {
    throw new OssSignError(
      'STS_BAD_RESPONSE',
      `AssumeRole at ${endpoint} answered with a Credentials.Expiration that is not an ISO 8601 UTC time`,
      { details: { requestId, endpoint } },
    );
  }
  const date = asRecord(headers).date;
  const serverDate = typeof date === 'string' ? Date.parse(date) : Number.NaN;
  return {
    credentials: {
      accessKeyId,
      accessKeySecret,
      securityToken,
      expiration: new Date(expiresAt).toISOString(),
    },
    expiresAt,
    serverDate: Number.isNaN(serverDate) ? undefined : serverDate,
    requestId,
  };
}

/**
 * Credentials STS issued pass the rules signing applies, or they would be served, and replace good ones,
 * only to fail every signature for their lifetime. The rule is named, never a value.
 */
function checkIssuedKeys(
  fields: Record<string, unknown>,
  endpoint: string,
  requestId: string | undefined,
): void {
  const { accessKeyId, accessKeySecret, securityToken } = fields;
  try {
    checkKeyPair({ accessKeyId, accessKeySecret, securityToken, stsToken: undefined }, 'Credentials');
  } catch (error) {
    const rule = (error as Error).message.replace(
      /^Credentials\.(\w)/,
      (_, first: string) => `Credentials.${first.toUpperCase()}`,
    );
    throw new OssSignError(
      'STS_BAD_RESPONSE',
      `AssumeRole at ${endpoint} answered with credentials that cannot sign: ${rule}`,
      { details: { requestId, endpoint } },
    );
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
