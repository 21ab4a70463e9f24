import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { OssSignError } from '../errors.js';
import { MAX_SESSION_POLICY_LENGTH, parseRamPolicy, type RamPolicyGrammar } from '../oss/ram-policy.js';
import { SigningCredentials } from '../signer/keys.js';
import { MIN_DURATION_SECONDS, SESSION_NAME } from '../sts/rules.js';
import { verifyAcs3 } from './acs3.js';
import type { BodyLimit } from './body.js';
import { ServiceError } from './errors.js';
import { MAX_SMALL_BODY } from './limits.js';
import { parseShallowJson } from './shallow-json.js';
import {
  type LocalOssState,
  type OssRequest,
  type OssResponse,
  randomAlphanumeric,
  type StsSession,
} from './state.js';

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
    return stsRefusal(error, request.host, requestId);
  }
}

/** An STS call's body: form-encoded parameters, a session policy among them. */
export const STS_BODY_LIMIT: BodyLimit = {
  max: MAX_SMALL_BODY,
  tooLarge: () =>
    new ServiceError(400, 'InvalidParameter', `The request body exceeds ${MAX_SMALL_BODY} bytes.`),
};

/** STS's JSON error body; what is no ServiceError is the endpoint's own failure. */
export function stsRefusal(
  error: unknown,
  host: string,
  requestId = randomUUID().toUpperCase(),
): OssResponse {
  const refused =
    error instanceof ServiceError
      ? error
      : new ServiceError(500, 'InternalError', `The local endpoint failed: ${(error as Error)?.message}`);
  return json(refused.status, {
    RequestId: requestId,
    HostId: host,
    Code: refused.code,
    Message: refused.message,
  });
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
      SecurityToken: session.credentials.securityToken,
      AccessKeyId: session.credentials.accessKeyId,
      AccessKeySecret: session.credentials.accessKeySecret,
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
  const policy = policyText ? sessionPolicy(policyText) : undefined;
  // STS expirations have whole seconds.
  const expiresAt = (Math.floor(state.nowMs() / 1000) + duration) * 1000;
  const credentials = new SigningCredentials(
    `STS.${randomAlphanumeric(25)}`,
    randomAlphanumeric(44),
    // Real tokens are long base64 strings; '+', '/' and '=' in them exercise the clients' URL encoding.
    `CAIS${randomBytes(120).toString('base64')}`,
    expiresAt,
  );
  const session: StsSession = { credentials, expiresAt, policy };
  state.sessions.set(credentials.securityToken as string, session);
  return session;
}

/**
 * The session policy by the grammar STS checks. Members RAM evaluates and this endpoint does not
 * (`Condition`, `NotAction`…) are refused rather than silently granting more than the policy says.
 */
function sessionPolicy(text: string): RamPolicyGrammar {
  const grammarError = (message: string) =>
    new ServiceError(
      400,
      'InvalidParameter.PolicyGrammar',
      `The parameter Policy has not passed grammar check: ${message}.`,
    );
  if (text.length > MAX_SESSION_POLICY_LENGTH) {
    throw new ServiceError(
      400,
      'InvalidParameter.PolicySize',
      `The size of the policy must not exceed ${MAX_SESSION_POLICY_LENGTH} characters.`,
    );
  }
  // A RAM policy nests three deep (document, statements, statement, lists of actions or resources).
  const json = parseShallowJson(text, 8);
  if (json === undefined) throw grammarError('the policy is not valid JSON');
  let policy: RamPolicyGrammar;
  try {
    policy = parseRamPolicy(json.value, 'the policy');
  } catch (error) {
    if (!(error instanceof OssSignError)) throw error;
    throw grammarError(error.message);
  }
  const unsupported = policy.statements.findIndex((statement) => statement.otherMembers.length > 0);
  if (unsupported >= 0) {
    const member = policy.statements[unsupported]?.otherMembers[0];
    throw grammarError(`Statement[${unsupported}].${member} is not supported by the local endpoint`);
  }
  return policy;
}
