import { encodeRfc3986 } from '../oss/encode.js';
import { toHttpDate, toIsoBasic, toUnixSeconds } from '../oss/time.js';
import type { SigningCredentials } from './keys.js';
import type { QueryParams, RequestHeaders } from './request-headers.js';
import { signV1 } from './v1.js';
import {
  ALGORITHM_V4,
  additionalHeadersV4,
  canonicalUriV4,
  encodeQueryParams,
  joinCanonicalQuery,
  signV4,
} from './v4.js';

/** A request to presign: what the URL's holder may send, validated. */
export interface RequestToPresign {
  method: string;
  bucket: string;
  key: string;
  /** `key` as the URL path carries it (`encodeKeyPath`). */
  encodedKey: string;
  /** The headers the client must send; the signer may set `x-oss-date` in them. */
  headers: RequestHeaders;
  query: QueryParams;
  credentials: SigningCredentials;
  now: Date;
  expiresIn: number;
}

const SIGNATURE_VERSION_PARAM = `x-oss-signature-version=${ALGORITHM_V4}`;

/**
 * The query of a V4 presigned URL: the canonical query that was signed (so each parameter is encoded
 * once), then the signature.
 */
export function presignedQueryV4(
  request: RequestToPresign,
  region: string,
  product: string,
  additionalHeaderNames: readonly string[] | undefined,
): string {
  const { headers, query, credentials } = request;
  const datetime = toIsoBasic(request.now);
  const v4 = credentials.scopeV4(datetime.slice(0, 8), region, product);
  if (headers.get('x-oss-date') !== undefined) headers.set('x-oss-date', datetime);
  const additionalHeaders = additionalHeadersV4(headers, additionalHeaderNames);
  const token =
    credentials.securityToken === undefined ? '' : `&x-oss-security-token=${credentials.encodedToken}`;
  let canonicalQuery: string;
  if (query.length === 0 && additionalHeaders.length === 0) {
    // The names below are already in canonical order.
    canonicalQuery = `x-oss-credential=${v4.encodedCredential}&x-oss-date=${datetime}&x-oss-expires=${request.expiresIn}${token}&${SIGNATURE_VERSION_PARAM}`;
  } else {
    const params = encodeQueryParams(query);
    params.push(
      ['x-oss-credential', v4.encodedCredential],
      ['x-oss-date', datetime],
      ['x-oss-expires', String(request.expiresIn)],
      ['x-oss-signature-version', ALGORITHM_V4],
    );
    if (credentials.securityToken !== undefined)
      params.push(['x-oss-security-token', credentials.encodedToken]);
    if (additionalHeaders.length > 0) {
      params.push(['x-oss-additional-headers', encodeRfc3986(additionalHeaders.join(';'))]);
    }
    canonicalQuery = joinCanonicalQuery(params);
  }
  const { signature } = signV4(
    {
      method: request.method,
      canonicalUri: canonicalUriV4(request.bucket, request.encodedKey),
      canonicalQuery,
      headers,
      additionalHeaders,
    },
    datetime,
    v4,
  );
  return `${canonicalQuery}&x-oss-signature=${signature}`;
}

/** The query of a V1 presigned URL: the caller's parameters, the token, then the signature's own. */
export function presignedQueryV1(
  request: RequestToPresign,
  subResources: readonly string[] | undefined,
): string {
  const { headers, credentials } = request;
  const expires = String(toUnixSeconds(request.now) + request.expiresIn);
  if (headers.get('x-oss-date') !== undefined) headers.set('x-oss-date', toHttpDate(request.now));
  const token = credentials.securityToken;
  const query: QueryParams =
    token === undefined ? request.query : [...request.query, ['security-token', token] as const];
  const { signature } = signV1(
    {
      method: request.method,
      headers,
      date: expires,
      bucket: request.bucket,
      key: request.key,
      query,
      subResources,
    },
    credentials.v1Key,
  );
  let out = '';
  for (const [name, value] of request.query) {
    out += `${encodeRfc3986(name)}${value === null ? '' : `=${encodeRfc3986(value)}`}&`;
  }
  if (token !== undefined) out += `security-token=${credentials.encodedToken}&`;
  return `${out}OSSAccessKeyId=${encodeRfc3986(credentials.accessKeyId)}&Expires=${expires}&Signature=${encodeRfc3986(signature)}`;
}
