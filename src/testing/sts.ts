import { createHash, createHmac, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { encodeRfc3986 } from '../oss/encode.js';
import { MIN_DURATION_SECONDS, SESSION_NAME } from '../sts/rules.js';
import { sameSignature } from './auth.js';
import { parseSessionPolicy, type SessionPolicy } from './policy.js';
import {
  type LocalOssState,
  MAX_CLOCK_SKEW_MS,
  type OssRequest,
  type OssResponse,
  randomAlphanumeric,
  ServiceError,
  type StsSession,
} from './state.js';

const ACS3 = 'ACS3-HMAC-SHA256';
const AUTHORIZATION =
  /^ACS3-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)$/;
const ACS_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
/**
 * The longest session this endpoint's role allows: a role's default MaxSessionDuration, one hour, below
 * the 12 hours STS allows a role configured for it.
 */
const ROLE_MAX_DURATION_SECONDS = 3600;

/**
 * The local STS endpoint: `AssumeRole` for the configured role, signed with ACS3-HMAC-SHA256 by one of the
 * long-term keys, as the official SDK (`@alicloud/sts20150401`) sends it. Answers in STS's JSON.
 */
export function handleSts(state: LocalOssState, request: OssRequest): OssResponse {
  const requestId = randomUUID().toUpperCase();
  try {
    return json(200, assumeRole(state, request, requestId));
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    return json(error.status, {
      RequestId: requestId,
      HostId: request.host,
      Code: error.code,
      Message: error.message,
    });
  }
}

function json(status: number, body: unknown): OssResponse {
  return {
    status,
    headers: { 'content-type': 'application/json;charset=utf-8' },
    body: JSON.stringify(body),
  };
}

function assumeRole(state: LocalOssState, request: OssRequest, requestId: string): unknown {
  const { roleArn } = state;
  if (roleArn === undefined) {
    throw new ServiceError(
      404,
      'InvalidAction.NotFound',
      'This local endpoint serves no STS: it was given no roleArn.',
    );
  }
  verifyAcs3(state, request);
  const action = request.headers['x-acs-action'];
  if (action !== 'AssumeRole') {
    throw new ServiceError(404, 'InvalidAction.NotFound', `Specified api is not found: ${action}.`);
  }
  if (request.headers['x-acs-version'] !== '2015-04-01') {
    throw new ServiceError(400, 'InvalidVersion', 'Specified parameter Version is not valid.');
  }
  const params = requestParameters(request);
  const session = issueSession(state, params, roleArn);
  const sessionName = params.get('RoleSessionName') ?? '';
  return {
    RequestId: requestId,
    AssumedRoleUser: {
      Arn: `${roleArn}/${sessionName}`,
      AssumedRoleId: `${randomInt(1e14, 2e14)}:${sessionName}`,
    },
    Credentials: {
      SecurityToken: session.securityToken,
      AccessKeyId: session.accessKeyId,
      AccessKeySecret: session.accessKeySecret,
      Expiration: new Date(session.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
  };
}

/** Query parameters, and form-encoded body parameters (RPC calls may send either). */
function requestParameters(request: OssRequest): Map<string, string> {
  const params = new Map<string, string>();
  for (const [name, value] of Object.entries(request.query)) params.set(name, value ?? '');
  if (/^application\/x-www-form-urlencoded/i.test(request.headers['content-type'] ?? '')) {
    for (const [name, value] of new URLSearchParams(request.body.toString('utf8'))) params.set(name, value);
  }
  return params;
}

function issueSession(
  state: LocalOssState,
  params: ReadonlyMap<string, string>,
  roleArn: string,
): StsSession {
  const requestedRole = params.get('RoleArn');
  if (!requestedRole) throw new ServiceError(400, 'MissingRoleArn', 'RoleArn is mandatory for this action.');
  if (requestedRole.toLowerCase() !== roleArn.toLowerCase()) {
    throw new ServiceError(404, 'EntityNotExist.Role', `The role not exists: ${requestedRole}.`);
  }
  const sessionName = params.get('RoleSessionName');
  if (!sessionName) {
    throw new ServiceError(400, 'MissingRoleSessionName', 'RoleSessionName is mandatory for this action.');
  }
  if (!SESSION_NAME.test(sessionName)) {
    throw new ServiceError(
      400,
      'InvalidParameter.RoleSessionName',
      'The parameter RoleSessionName is wrongly formed.',
    );
  }
  const duration = Number(params.get('DurationSeconds') ?? ROLE_MAX_DURATION_SECONDS);
  if (
    !Number.isInteger(duration) ||
    duration < MIN_DURATION_SECONDS ||
    duration > ROLE_MAX_DURATION_SECONDS
  ) {
    throw new ServiceError(
      400,
      'InvalidParameter.DurationSeconds',
      `The Min/Max value of DurationSeconds is ${MIN_DURATION_SECONDS}/${ROLE_MAX_DURATION_SECONDS} seconds.`,
    );
  }
  const policyText = params.get('Policy');
  let policy: SessionPolicy | undefined;
  try {
    policy = policyText ? parseSessionPolicy(policyText) : undefined;
  } catch (error) {
    throw new ServiceError(
      400,
      'InvalidParameter.PolicyGrammar',
      `The parameter Policy has not passed grammar check: ${(error as Error).message}.`,
    );
  }
  // STS expirations have whole seconds.
  const expiresAt = (Math.floor(state.now() / 1000) + duration) * 1000;
  const session: StsSession = {
    accessKeyId: `STS.${randomAlphanumeric(25)}`,
    accessKeySecret: randomAlphanumeric(44),
    // Real tokens are long base64 strings; '+', '/' and '=' in them exercise the clients' URL encoding.
    securityToken: `CAIS${randomBytes(120).toString('base64')}`,
    expiresAt,
    policy,
  };
  state.sessions.set(session.securityToken, session);
  return session;
}

/**
 * Recomputes the ACS3-HMAC-SHA256 signature from the request as received: method, path, sorted and
 * encoded query, the signed headers, and the SHA-256 of the body actually sent.
 */
function verifyAcs3(state: LocalOssState, request: OssRequest): void {
  const { headers } = request;
  const match = AUTHORIZATION.exec(headers.authorization ?? '');
  if (!match) {
    throw new ServiceError(
      400,
      'IncompleteSignature',
      `The request signature does not conform to Aliyun standards: expected "${ACS3} Credential=...,SignedHeaders=...,Signature=...".`,
    );
  }
  const [, accessKeyId = '', signedList = '', provided = ''] = match;
  const signedHeaders = signedList.split(';');
  const unsigned = ['host', ...Object.keys(headers).filter((name) => name.startsWith('x-acs-'))].filter(
    (name) => !signedHeaders.includes(name),
  );
  if (unsigned.length > 0) {
    throw new ServiceError(
      400,
      'IncompleteSignature',
      `These headers must be signed: ${unsigned.join(', ')}.`,
    );
  }
  const date = headers['x-acs-date'] ?? '';
  if (!ACS_DATE.test(date)) {
    throw new ServiceError(
      400,
      'InvalidTimeStamp.Format',
      'Specified time stamp or date value is not well formatted.',
    );
  }
  const now = state.now();
  if (Math.abs(Date.parse(date) - now) > MAX_CLOCK_SKEW_MS) {
    throw new ServiceError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
  }
  const nonce = headers['x-acs-signature-nonce'];
  if (!nonce)
    throw new ServiceError(400, 'MissingSignatureNonce', 'SignatureNonce is mandatory for this action.');
  if (state.nonces.has(nonce)) {
    throw new ServiceError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
  }
  const secret = state.keys.get(accessKeyId);
  if (secret === undefined) {
    throw new ServiceError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
  }

  const canonicalQuery = Object.entries(request.query)
    .map(([name, value]) => [encodeRfc3986(name), encodeRfc3986(value ?? '')] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${(headers[name] ?? '').trim()}\n`).join('');
  const payloadHash = createHash('sha256').update(request.body).digest('hex');
  const canonicalRequest = `${request.method}\n${request.rawPath}\n${canonicalQuery}\n${canonicalHeaders}\n${signedList}\n${payloadHash}`;
  const stringToSign = `${ACS3}\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
  const expected = createHmac('sha256', secret).update(stringToSign).digest('hex');
  if (!sameSignature(expected, provided)) {
    throw new ServiceError(
      400,
      'SignatureDoesNotMatch',
      `Specified signature does not match our calculation. server string to sign is:${stringToSign}`,
    );
  }
  rememberNonce(state, nonce, now);
}

/** Nonces only need remembering while their request time could still pass the skew check. */
function rememberNonce(state: LocalOssState, nonce: string, now: number): void {
  for (const [seen, at] of state.nonces) {
    if (now - at > 2 * MAX_CLOCK_SKEW_MS) state.nonces.delete(seen);
  }
  state.nonces.set(nonce, now);
}
