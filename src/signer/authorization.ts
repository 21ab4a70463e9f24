import { toHttpDate, toIsoBasic } from '../oss/time.js';
import type { SigningCredentials } from './keys.js';
import type { QueryParams, RequestHeaders } from './request-headers.js';
import { signV1 } from './v1.js';
import {
  ALGORITHM_V4,
  additionalHeadersV4,
  canonicalQueryV4,
  canonicalUriV4,
  signV4,
  UNSIGNED_PAYLOAD,
} from './v4.js';

/** A request to sign in its `Authorization` header, validated. */
export interface RequestToAuthorize {
  method: string;
  bucket: string | undefined;
  key: string | undefined;
  /** `key` as the URL path carries it (`encodeKeyPath`). */
  encodedKey: string | undefined;
  /** The request's headers: the signer adds its own to them. */
  headers: RequestHeaders;
  query: QueryParams;
  credentials: SigningCredentials;
  now: Date;
}

/** Sets the time, token, payload hash and `Authorization` headers of a V4 request. */
export function authorizeV4(
  request: RequestToAuthorize,
  region: string,
  product: string,
  additionalHeaderNames: readonly string[] | undefined,
): { stringToSign: string; canonicalRequest: string } {
  const { headers, credentials } = request;
  const datetime = toIsoBasic(request.now);
  const v4 = credentials.scopeV4(datetime.slice(0, 8), region, product);
  setOwnHeaders(request);
  headers.set('x-oss-date', datetime);
  if (headers.get('x-oss-content-sha256') === undefined)
    headers.set('x-oss-content-sha256', UNSIGNED_PAYLOAD);
  const additionalHeaders = additionalHeadersV4(headers, additionalHeaderNames);
  const { canonicalRequest, stringToSign, signature } = signV4(
    {
      method: request.method,
      canonicalUri: canonicalUriV4(request.bucket, request.encodedKey),
      canonicalQuery: canonicalQueryV4(request.query),
      headers,
      additionalHeaders,
    },
    datetime,
    v4,
  );
  const additional = additionalHeaders.length > 0 ? `,AdditionalHeaders=${additionalHeaders.join(';')}` : '';
  headers.set(
    'Authorization',
    `${ALGORITHM_V4} Credential=${v4.credential}${additional},Signature=${signature}`,
  );
  return { stringToSign, canonicalRequest };
}

/** Sets the time, token and `Authorization` headers of a V1 request. */
export function authorizeV1(
  request: RequestToAuthorize,
  subResources: readonly string[] | undefined,
): { stringToSign: string } {
  const { headers, credentials } = request;
  const date = setOwnHeaders(request);
  if (headers.get('x-oss-date') !== undefined) headers.set('x-oss-date', date);
  const { stringToSign, signature } = signV1(
    {
      method: request.method,
      headers,
      date,
      bucket: request.bucket,
      key: request.key,
      query: request.query,
      subResources,
    },
    credentials.v1Key,
  );
  headers.set('Authorization', `OSS ${credentials.accessKeyId}:${signature}`);
  return { stringToSign };
}

/** The headers both versions set: `Date`, the security token; a caller's `Authorization` is replaced. */
function setOwnHeaders(request: RequestToAuthorize): string {
  const { headers, credentials } = request;
  headers.delete('authorization');
  const date = toHttpDate(request.now);
  headers.set('Date', date);
  if (credentials.securityToken !== undefined) headers.set('x-oss-security-token', credentials.securityToken);
  return date;
}
