import { createHash, timingSafeEqual } from 'node:crypto';
import { MAX_EXPIRES_V4 } from '../lib/validate.js';
import { signV1 } from '../signer/v1.js';
import {
  ALGORITHM_V4,
  canonicalQueryV4,
  canonicalRequestV4,
  scopeV4,
  signatureV4,
  stringToSignV4,
  UNSIGNED_PAYLOAD,
} from '../signer/v4.js';
import { isAllowed, type OssAction } from './policy.js';
import {
  accessDenied,
  invalidArgument,
  type LocalOssState,
  MAX_CLOCK_SKEW_MS,
  type OssRequest,
  type Principal,
  ServiceError,
} from './state.js';

const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** The parts of a V4 credential: `AccessKeyId/yyyymmdd/region/product/aliyun_v4_request`. */
interface CredentialScopeV4 {
  accessKeyId: string;
  date: string;
  region: string;
  product: string;
}

/**
 * Checks the request's signature, whichever of the four ways it is signed (V1 or V4, in the
 * Authorization header or in the query). `undefined` means the request is not signed at all.
 */
export function authenticate(state: LocalOssState, request: OssRequest): Principal | undefined {
  const authorization = request.headers.authorization;
  if (authorization?.startsWith(`${ALGORITHM_V4} `)) return verifyHeaderV4(state, request, authorization);
  if (authorization?.startsWith('OSS ')) return verifyHeaderV1(state, request, authorization);
  if (authorization !== undefined) throw invalidArgument('Authorization header is invalid.');
  if ('x-oss-signature' in request.query) return verifyPresignedV4(state, request);
  if ('Signature' in request.query) return verifyPresignedV1(state, request);
  return undefined;
}

/** What an unsigned request gets: every bucket here is private. */
export function anonymousDenied(): ServiceError {
  return accessDenied('You have no right to access this object because of bucket acl.');
}

/** Refuses anonymous requests (buckets are private) and what the session policy does not allow. */
export function authorize(
  state: LocalOssState,
  principal: Principal | undefined,
  action: OssAction,
  bucket: string,
  key: string,
): void {
  if (principal === undefined) throw anonymousDenied();
  const policy = principal.session?.policy;
  const resource = `acs:oss:${state.region}:${state.accountId}:${bucket}/${key}`;
  if (policy && !isAllowed(policy, action, resource)) {
    throw accessDenied(`You are forbidden to ${action} on ${resource} by the session policy.`);
  }
}

/**
 * The secret behind an AccessKey ID. A security token must be one this endpoint issued for that very
 * key and still valid; STS keys are only known through their token.
 */
export function resolveSecret(
  state: LocalOssState,
  accessKeyId: string,
  securityToken: string | null | undefined,
): { secret: string; principal: Principal } {
  if (securityToken) {
    const session = state.sessions.get(securityToken);
    if (session === undefined || session.accessKeyId !== accessKeyId) {
      throw new ServiceError(403, 'InvalidSecurityToken', 'The security token you provided is invalid.');
    }
    if (session.expiresAt <= state.now()) {
      throw new ServiceError(403, 'SecurityTokenExpired', 'The security token you provided has expired.');
    }
    return { secret: session.accessKeySecret, principal: { accessKeyId, session } };
  }
  const secret = state.keys.get(accessKeyId);
  if (secret === undefined) {
    throw new ServiceError(
      403,
      'InvalidAccessKeyId',
      'The OSS Access Key Id you provided does not exist in our records.',
      { OSSAccessKeyId: accessKeyId },
    );
  }
  return { secret, principal: { accessKeyId } };
}

/** Compares signatures without leaking, through timing, how much of a forged one was right. */
export function sameSignature(expected: string, provided: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(provided);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function signatureMismatch(
  accessKeyId: string,
  provided: string,
  stringToSign: string,
  canonicalRequest?: string,
): ServiceError {
  return new ServiceError(
    403,
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    {
      OSSAccessKeyId: accessKeyId,
      SignatureProvided: provided,
      StringToSign: stringToSign,
      ...(canonicalRequest === undefined ? {} : { CanonicalRequest: canonicalRequest }),
    },
  );
}

/** Header-signed requests must be within 15 minutes of the server clock. */
function checkClockSkew(state: LocalOssState, requestTime: number, shown: string): void {
  const now = state.now();
  if (Math.abs(now - requestTime) > MAX_CLOCK_SKEW_MS) {
    throw new ServiceError(
      403,
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
      {
        RequestTime: shown,
        ServerTime: new Date(now).toISOString(),
        MaxAllowedSkewMilliseconds: String(MAX_CLOCK_SKEW_MS),
      },
    );
  }
}

/** Milliseconds since the epoch of a `20231216T162057Z` time, or `undefined` if it is not one. */
export function parseIsoBasic(value: string | null | undefined): number | undefined {
  const match = ISO_BASIC.exec(value ?? '');
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  const time = Date.UTC(year ?? 0, (month ?? 1) - 1, day, hour, minute, second);
  return Number.isNaN(time) ? undefined : time;
}

/** Splits a V4 credential and checks its scope against the request date and this endpoint's region. */
export function parseCredentialV4(
  state: LocalOssState,
  credential: string,
  datetime: string,
): CredentialScopeV4 {
  const [accessKeyId = '', date = '', region = '', product = '', terminator, ...rest] = credential.split('/');
  if (!accessKeyId || terminator !== 'aliyun_v4_request' || rest.length > 0) {
    throw invalidArgument(`Invalid credential: ${credential}`);
  }
  if (date !== datetime.slice(0, 8)) {
    throw accessDenied(`Invalid signing date in credential: ${date} is not the date of ${datetime}.`);
  }
  if (region !== state.region) {
    throw accessDenied(`Invalid signing region in credential: expected ${state.region}, got ${region}.`);
  }
  if (product !== 'oss') {
    throw accessDenied(`Invalid signing product in credential: expected oss, got ${product}.`);
  }
  return { accessKeyId, date, region, product };
}

/** `host;x-custom` as the list of (lower-case) additional header names it is. */
function headerNames(list: string | null | undefined): string[] {
  return (list ?? '')
    .split(';')
    .filter(Boolean)
    .map((name) => name.toLowerCase());
}

/** Recomputes the V4 signature of the request as received and compares it with the one provided. */
function checkSignatureV4(
  request: OssRequest,
  options: {
    scope: CredentialScopeV4;
    secret: string;
    datetime: string;
    query: Record<string, string | null>;
    additionalHeaders: readonly string[];
    provided: string;
  },
): void {
  const { scope, secret } = options;
  const canonicalRequest = canonicalRequestV4({
    method: request.method,
    bucket: request.bucket,
    key: request.key,
    canonicalQuery: canonicalQueryV4(options.query),
    headers: request.headers,
    additionalHeaders: options.additionalHeaders,
  });
  const stringToSign = stringToSignV4(
    options.datetime,
    scopeV4(scope.date, scope.region, scope.product),
    canonicalRequest,
  );
  // parseCredentialV4 has checked the scope, so the unvalidating primitive is enough.
  const expected = signatureV4(stringToSign, secret, scope);
  if (!sameSignature(expected, options.provided)) {
    throw signatureMismatch(scope.accessKeyId, options.provided, stringToSign, canonicalRequest);
  }
}

function verifyHeaderV4(state: LocalOssState, request: OssRequest, authorization: string): Principal {
  const fields = new Map<string, string>();
  for (const item of authorization.slice(ALGORITHM_V4.length + 1).split(',')) {
    const at = item.indexOf('=');
    if (at > 0) fields.set(item.slice(0, at).trim(), item.slice(at + 1).trim());
  }
  const credential = fields.get('Credential');
  const provided = fields.get('Signature');
  if (credential === undefined || provided === undefined) {
    throw invalidArgument('Authorization header is invalid: it needs Credential and Signature.');
  }
  const datetime = request.headers['x-oss-date'] ?? '';
  const requestTime = parseIsoBasic(datetime);
  if (requestTime === undefined) {
    throw accessDenied('V4 signed requests need an x-oss-date header in the form 20231216T162057Z.');
  }
  const payloadHash = request.headers['x-oss-content-sha256'];
  if (payloadHash === undefined) {
    throw new ServiceError(
      400,
      'InvalidRequest',
      'Missing required header for this request: x-oss-content-sha256',
    );
  }
  checkClockSkew(state, requestTime, datetime);
  const scope = parseCredentialV4(state, credential, datetime);
  const { secret, principal } = resolveSecret(
    state,
    scope.accessKeyId,
    request.headers['x-oss-security-token'],
  );
  const additionalHeaders = headerNames(fields.get('AdditionalHeaders'));
  checkSignatureV4(request, { scope, secret, datetime, query: request.query, additionalHeaders, provided });
  if (
    payloadHash !== UNSIGNED_PAYLOAD &&
    payloadHash !== createHash('sha256').update(request.body).digest('hex')
  ) {
    throw invalidArgument('The x-oss-content-sha256 you specified did not match what we received.');
  }
  return principal;
}

function verifyPresignedV4(state: LocalOssState, request: OssRequest): Principal {
  const { query } = request;
  const version = query['x-oss-signature-version'];
  const credential = query['x-oss-credential'];
  const datetime = query['x-oss-date'] ?? '';
  const expires = Number(query['x-oss-expires']);
  const provided = query['x-oss-signature'] ?? '';
  if (version !== ALGORITHM_V4 || !credential) {
    throw invalidArgument(
      `A V4 presigned URL needs x-oss-signature-version=${ALGORITHM_V4} and x-oss-credential.`,
    );
  }
  const signedAt = parseIsoBasic(datetime);
  if (signedAt === undefined) throw invalidArgument('x-oss-date must be in the form 20231216T162057Z.');
  if (!Number.isInteger(expires) || expires < 1 || expires > MAX_EXPIRES_V4) {
    throw invalidArgument(`x-oss-expires must be a whole number of seconds, 1..${MAX_EXPIRES_V4}.`);
  }
  checkUrlValidity(state, signedAt + expires * 1000, signedAt);
  const scope = parseCredentialV4(state, credential, datetime);
  const { secret, principal } = resolveSecret(state, scope.accessKeyId, query['x-oss-security-token']);
  const { 'x-oss-signature': _signature, ...signedQuery } = query;
  const additionalHeaders = headerNames(query['x-oss-additional-headers']);
  checkSignatureV4(request, { scope, secret, datetime, query: signedQuery, additionalHeaders, provided });
  return principal;
}

/** A presigned URL works until it expires and, in V4, from its signing time (give or take the skew). */
function checkUrlValidity(state: LocalOssState, expiresAt: number, signedAt?: number): void {
  const now = state.now();
  const times = { Expires: new Date(expiresAt).toISOString(), ServerTime: new Date(now).toISOString() };
  if (now > expiresAt) throw accessDenied('Request has expired.', times);
  if (signedAt !== undefined && signedAt - now > MAX_CLOCK_SKEW_MS) {
    throw accessDenied('Request is not valid yet.', times);
  }
}

function verifyHeaderV1(state: LocalOssState, request: OssRequest, authorization: string): Principal {
  const credentials = authorization.slice('OSS '.length);
  const colon = credentials.indexOf(':');
  if (colon <= 0)
    throw invalidArgument('Authorization header is invalid: expected "OSS AccessKeyId:Signature".');
  const accessKeyId = credentials.slice(0, colon);
  const provided = credentials.slice(colon + 1);
  // Browsers cannot set Date, so ali-oss sends x-oss-date alone and signs it in the Date line.
  const date = request.headers.date ?? request.headers['x-oss-date'];
  const requestTime = date === undefined ? Number.NaN : Date.parse(date);
  if (date === undefined || Number.isNaN(requestTime)) {
    throw accessDenied('OSS authentication requires a valid Date or x-oss-date header.');
  }
  checkClockSkew(state, requestTime, date);
  const { secret, principal } = resolveSecret(state, accessKeyId, request.headers['x-oss-security-token']);
  checkSignatureV1({ ...request, date }, secret, accessKeyId, provided);
  return principal;
}

function verifyPresignedV1(state: LocalOssState, request: OssRequest): Principal {
  const { query } = request;
  const accessKeyId = query.OSSAccessKeyId;
  const expires = query.Expires ?? '';
  const provided = query.Signature ?? '';
  if (!accessKeyId || !/^\d+$/.test(expires)) {
    throw invalidArgument('A V1 presigned URL needs OSSAccessKeyId, Expires (Unix seconds) and Signature.');
  }
  checkUrlValidity(state, Number(expires) * 1000);
  const { secret, principal } = resolveSecret(state, accessKeyId, query['security-token']);
  checkSignatureV1({ ...request, date: expires }, secret, accessKeyId, provided);
  return principal;
}

/** Recomputes what OSS signs in V1 (header or URL auth, by `date`) and compares it with what was sent. */
function checkSignatureV1(
  request: OssRequest & { date: string },
  secret: string,
  accessKeyId: string,
  provided: string,
): void {
  const { stringToSign, signature } = signV1(request, secret);
  if (!sameSignature(signature, provided)) throw signatureMismatch(accessKeyId, provided, stringToSign);
}
