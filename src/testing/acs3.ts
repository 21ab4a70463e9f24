import { createHash, createHmac } from 'node:crypto';
import { encodeRfc3986 } from '../oss/encode.js';
import { sameSignature } from './auth/principal.js';
import { ServiceError } from './errors.js';
import { type LocalOssState, MAX_CLOCK_SKEW_MS, type OssRequest } from './state.js';

const ACS3 = 'ACS3-HMAC-SHA256';
const AUTHORIZATION =
  /^ACS3-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)$/;
const ACS_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/**
 * Recomputes the ACS3-HMAC-SHA256 signature from the request as received: method, path, sorted and
 * encoded query, the signed headers, and the SHA-256 of the body actually sent.
 */
export function verifyAcs3(state: LocalOssState, request: OssRequest): void {
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
  const now = state.nowMs();
  if (Math.abs(Date.parse(date) - now) > MAX_CLOCK_SKEW_MS) {
    throw new ServiceError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
  }
  const nonce = headers['x-acs-signature-nonce'];
  if (!nonce)
    throw new ServiceError(400, 'MissingSignatureNonce', 'SignatureNonce is mandatory for this action.');
  if (state.nonces.has(nonce)) {
    throw new ServiceError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
  }
  const secret = state.keys.get(accessKeyId)?.accessKeySecret;
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

/**
 * Nonces only need remembering while their request time could still pass the skew check. They are
 * remembered in the order seen, so the sweep stops at the first one still needed.
 */
function rememberNonce(state: LocalOssState, nonce: string, now: number): void {
  for (const [seen, at] of state.nonces) {
    if (now - at <= 2 * MAX_CLOCK_SKEW_MS) break;
    state.nonces.delete(seen);
  }
  state.nonces.set(nonce, now);
}
