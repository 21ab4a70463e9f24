import { timingSafeEqual } from 'node:crypto';
import { type OssAction, ramAllows } from '../../oss/ram-policy.js';
import type { SigningCredentials } from '../../signer/keys.js';
import { accessDenied, ServiceError } from '../errors.js';
import { type LocalOssState, MAX_CLOCK_SKEW_MS, type Principal } from '../state.js';

/**
 * The credentials behind an AccessKey ID. A security token must be one this endpoint issued for that
 * very key and still valid; STS keys are only known through their token.
 */
export function lookUpAccessKey(
  state: LocalOssState,
  accessKeyId: string,
  securityToken: string | null | undefined,
): { credentials: SigningCredentials; principal: Principal } {
  if (securityToken) {
    const session = state.sessions.get(securityToken);
    if (session === undefined || session.credentials.accessKeyId !== accessKeyId) {
      throw new ServiceError(403, 'InvalidSecurityToken', 'The security token you provided is invalid.');
    }
    if (session.expiresAt <= state.nowMs()) {
      throw new ServiceError(403, 'SecurityTokenExpired', 'The security token you provided has expired.');
    }
    return { credentials: session.credentials, principal: { accessKeyId, session } };
  }
  const credentials = state.keys.get(accessKeyId);
  if (credentials === undefined) {
    throw new ServiceError(
      403,
      'InvalidAccessKeyId',
      'The OSS Access Key Id you provided does not exist in our records.',
      {
        OSSAccessKeyId: accessKeyId,
      },
    );
  }
  return { credentials, principal: { accessKeyId } };
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
  if (policy && !ramAllows(policy, action, resource)) {
    throw accessDenied(`You are forbidden to ${action} on ${resource} by the session policy.`);
  }
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
export function checkClockSkew(state: LocalOssState, requestTime: number, shown: string): void {
  const now = state.nowMs();
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

/** A presigned URL works until it expires and, in V4, from its signing time (give or take the skew). */
export function checkUrlValidity(state: LocalOssState, expiresAt: number, signedAt?: number): void {
  const now = state.nowMs();
  const times = () => ({ Expires: showTime(expiresAt), ServerTime: new Date(now).toISOString() });
  if (now > expiresAt) throw accessDenied('Request has expired.', times());
  if (signedAt !== undefined && signedAt - now > MAX_CLOCK_SKEW_MS) {
    throw accessDenied('Request is not valid yet.', times());
  }
}

/** A time from a client's URL, which may lie outside what a Date can show. */
function showTime(time: number): string {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? String(time) : date.toISOString();
}
