import { OssSignError } from './errors.js';
import { collectHeaders, headerRecord, lowerCaseHeaders, setHeader } from './lib/headers.js';
import { collectQuery } from './lib/query.js';
import {
  checkOptions,
  normalizeRegion,
  quote,
  resolveNow,
  signedNames,
  validateBucket,
  validateCredentials,
  validateKey,
  validateProduct,
  validateSignatureVersion,
} from './lib/validate.js';
import { toHttpDate } from './oss/time.js';
import { signV1 } from './signer/v1.js';
import {
  ALGORITHM_V4,
  additionalHeadersV4,
  canonicalQueryV4,
  canonicalRequestV4,
  signatureV4,
  signingScopeV4,
  stringToSignV4,
  UNSIGNED_PAYLOAD,
} from './signer/v4.js';
import type { OssCredentials, OssLocation, SignatureVersion } from './types.js';

export interface SignRequestOptions extends Partial<OssLocation> {
  /** Any HTTP method; upper-cased. */
  method: string;
  /** Omit `key` for a bucket-level request and `bucket` too for a service-level one. */
  key?: string | undefined;
  query?: Record<string, string | null> | undefined;
  /** Headers the request carries, any case. */
  headers?: Record<string, string> | undefined;
  credentials: OssCredentials;
  /** V4 only: other header names to sign (dropped when absent from `headers` or signed anyway). */
  additionalHeaders?: string[] | undefined;
  /** V1 only: extra query names to sign. */
  subResources?: string[] | undefined;
  signatureVersion?: SignatureVersion | undefined;
  now?: Date | undefined;
}

export interface SignedRequest {
  /** The caller's headers plus `Authorization`, the date, the security token and (V4) `x-oss-content-sha256`. */
  headers: Record<string, string>;
  stringToSign: string;
  /** V4 only. */
  canonicalRequest?: string | undefined;
}

const METHOD = /^[A-Z]+$/;
const NO_RESERVED_NAMES: ReadonlySet<string> = new Set();

/** Signs a request in its `Authorization` header, for servers that call OSS themselves. */
export function signRequest(request: SignRequestOptions): SignedRequest {
  checkOptions(request, 'signRequest');
  const version = validateSignatureVersion(request.signatureVersion);
  const { additionalHeaders: signedHeaderNames, subResources } = signedNames(request, version);
  const method = typeof request.method === 'string' ? request.method.toUpperCase() : '';
  if (!METHOD.test(method))
    throw new OssSignError(
      'INVALID_METHOD',
      `method must be an HTTP method like "PUT" (got ${quote(request.method)})`,
    );
  const bucket = request.bucket === undefined ? undefined : validateBucket(request.bucket);
  const key = request.key === undefined ? undefined : validateKey(request.key);
  if (key !== undefined && bucket === undefined)
    throw new OssSignError('INVALID_BUCKET', 'bucket is required when key is given');
  const credentials = validateCredentials(request.credentials);
  const now = resolveNow(request.now);
  const headers = collectHeaders(request.headers);
  const query = collectQuery(request.query, NO_RESERVED_NAMES);
  if (credentials.securityToken) setHeader(headers, 'x-oss-security-token', credentials.securityToken);
  headers.delete('authorization');

  if (version === 'v4') {
    if (request.region === undefined)
      throw new OssSignError('INVALID_REGION', 'region is required to sign with V4');
    const v4 = signingScopeV4(
      now,
      normalizeRegion(request.region),
      validateProduct(request.product),
      credentials.accessKeyId,
    );
    setHeader(headers, 'x-oss-date', v4.datetime);
    setHeader(headers, 'Date', toHttpDate(now));
    if (!headers.has('x-oss-content-sha256')) setHeader(headers, 'x-oss-content-sha256', UNSIGNED_PAYLOAD);
    const lower = lowerCaseHeaders(headers);
    const additionalHeaders = additionalHeadersV4(lower, signedHeaderNames);
    const canonicalQuery = canonicalQueryV4(query);
    const canonicalRequest = canonicalRequestV4({
      method,
      bucket,
      key,
      canonicalQuery,
      headers: lower,
      additionalHeaders,
    });
    const stringToSign = stringToSignV4(v4.datetime, v4.scope, canonicalRequest);
    const signature = signatureV4(stringToSign, credentials.accessKeySecret, v4);
    const additional =
      additionalHeaders.length > 0 ? `,AdditionalHeaders=${additionalHeaders.join(';')}` : '';
    setHeader(
      headers,
      'Authorization',
      `${ALGORITHM_V4} Credential=${v4.credential}${additional},Signature=${signature}`,
    );
    return { headers: headerRecord(headers), stringToSign, canonicalRequest };
  }

  const httpDate = toHttpDate(now);
  setHeader(headers, 'Date', httpDate);
  if (headers.has('x-oss-date')) setHeader(headers, 'x-oss-date', httpDate);
  const { stringToSign, signature } = signV1(
    { method, headers: lowerCaseHeaders(headers), date: httpDate, bucket, key, query, subResources },
    credentials.accessKeySecret,
  );
  setHeader(headers, 'Authorization', `OSS ${credentials.accessKeyId}:${signature}`);
  return { headers: headerRecord(headers), stringToSign };
}
