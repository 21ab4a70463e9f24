import { OssSignError } from './errors.js';
import { objectUrl } from './lib/endpoint.js';
import { collectHeaders, headerRecord, lowerCaseHeaders, setHeader } from './lib/headers.js';
import { collectQuery } from './lib/query.js';
import {
  assertWithinCredentials,
  checkOptions,
  normalizeRegion,
  quote,
  resolveNow,
  signedNames,
  validateBucket,
  validateCredentials,
  validateExpiresIn,
  validateKey,
  validateProduct,
  validateSignatureVersion,
} from './lib/validate.js';
import { encodeQuery } from './oss/encode.js';
import { toHttpDate, toUnixSeconds } from './oss/time.js';
import { signV1 } from './signer/v1.js';
import {
  ALGORITHM_V4,
  additionalHeadersV4,
  canonicalQueryV4,
  canonicalRequestV4,
  signatureV4,
  signingScopeV4,
  stringToSignV4,
} from './signer/v4.js';
import type { OssCredentials, OssLocation, SignatureVersion } from './types.js';

export type PresignMethod = 'GET' | 'PUT' | 'HEAD' | 'DELETE' | 'POST';

export interface PresignUrlOptions extends OssLocation {
  credentials: OssCredentials;
  key: string;
  /** Default `'GET'`. */
  method?: PresignMethod | undefined;
  /** Seconds the URL stays valid, default 3600; at most 604800 (7 days) with V4. */
  expiresIn?: number | undefined;
  /** Shorthand for the `Content-Type` header the client must send. */
  contentType?: string | undefined;
  /** Shorthand for the `Content-MD5` header the client must send. */
  contentMd5?: string | undefined;
  /** Headers the client will send, any case. `Content-Type`, `Content-MD5` and `x-oss-*` are signed. */
  headers?: Record<string, string> | undefined;
  /** `versionId`, `response-content-*`, `x-oss-process`, `uploadId`, `partNumber`…; `null` is a bare name. */
  query?: Record<string, string | null> | undefined;
  /** V4 only: other header names to sign (dropped when absent from `headers` or signed anyway). */
  additionalHeaders?: string[] | undefined;
  /** V1 only: extra query names to sign. */
  subResources?: string[] | undefined;
  signatureVersion?: SignatureVersion | undefined;
  /** Signing time, default the current time. */
  now?: Date | undefined;
}

export interface PresignedRequest {
  url: string;
  method: string;
  /** Every header the client must send for the signature to hold (and the other headers it said it sends). */
  headers: Record<string, string>;
  expiresAt: Date;
}

const METHODS: ReadonlySet<string> = new Set(['GET', 'PUT', 'HEAD', 'DELETE', 'POST']);
const RESERVED_V1: ReadonlySet<string> = new Set([
  'ossaccesskeyid',
  'expires',
  'signature',
  'security-token',
]);
const RESERVED_V4: ReadonlySet<string> = new Set([
  'x-oss-signature-version',
  'x-oss-credential',
  'x-oss-date',
  'x-oss-expires',
  'x-oss-signature',
  'x-oss-additional-headers',
  'x-oss-security-token',
]);

/**
 * A URL that lets its holder send one request (a PUT upload, say) to one object until it expires.
 * Pure: the same options give the same URL, byte for byte.
 */
export function presignUrl(options: PresignUrlOptions): PresignedRequest {
  checkOptions(options, 'presignUrl');
  const version = validateSignatureVersion(options.signatureVersion);
  const { additionalHeaders: signedHeaderNames, subResources } = signedNames(options, version);
  const method = options.method ?? 'GET';
  if (!METHODS.has(method)) {
    throw new OssSignError(
      'INVALID_METHOD',
      `method must be one of GET, PUT, HEAD, DELETE, POST (got ${quote(method)})`,
    );
  }
  const bucket = validateBucket(options.bucket);
  const key = validateKey(options.key);
  const credentials = validateCredentials(options.credentials);
  const now = resolveNow(options.now);
  const expiresIn = validateExpiresIn(options.expiresIn ?? 3600, version);
  const signedAt = toUnixSeconds(now);
  const expiresAt = new Date((signedAt + expiresIn) * 1000);
  assertWithinCredentials(credentials, expiresAt, 'expiresIn');
  const headers = collectHeaders(options.headers, options);
  const query = collectQuery(options.query, version === 'v4' ? RESERVED_V4 : RESERVED_V1);
  const url = objectUrl(options, key);
  const token = credentials.securityToken;

  let signedQuery: string;
  if (version === 'v4') {
    const v4 = signingScopeV4(
      now,
      normalizeRegion(options.region),
      validateProduct(options.product),
      credentials.accessKeyId,
    );
    if (headers.has('x-oss-date')) setHeader(headers, 'x-oss-date', v4.datetime);
    const lower = lowerCaseHeaders(headers);
    const additionalHeaders = additionalHeadersV4(lower, signedHeaderNames);
    // Object.assign rather than a spread followed by more keys: V8 (Node 20) takes a slow path for that.
    const authQuery: Record<string, string | null> = Object.assign({}, query, {
      'x-oss-signature-version': ALGORITHM_V4,
      'x-oss-credential': v4.credential,
      'x-oss-date': v4.datetime,
      'x-oss-expires': String(expiresIn),
    });
    if (token) authQuery['x-oss-security-token'] = token;
    if (additionalHeaders.length > 0) authQuery['x-oss-additional-headers'] = additionalHeaders.join(';');
    // The URL carries the canonical query itself, so every parameter is encoded once.
    const canonicalQuery = canonicalQueryV4(authQuery);
    const canonicalRequest = canonicalRequestV4({
      method,
      bucket,
      key,
      canonicalQuery,
      headers: lower,
      additionalHeaders,
    });
    const signature = signatureV4(
      stringToSignV4(v4.datetime, v4.scope, canonicalRequest),
      credentials.accessKeySecret,
      v4,
    );
    signedQuery = `${canonicalQuery}&x-oss-signature=${signature}`;
  } else {
    const expires = String(signedAt + expiresIn);
    if (headers.has('x-oss-date')) setHeader(headers, 'x-oss-date', toHttpDate(now));
    const authQuery: Record<string, string | null> = Object.assign({}, query);
    if (token) authQuery['security-token'] = token;
    const { signature } = signV1(
      {
        method,
        headers: lowerCaseHeaders(headers),
        date: expires,
        bucket,
        key,
        query: authQuery,
        subResources,
      },
      credentials.accessKeySecret,
    );
    authQuery.OSSAccessKeyId = credentials.accessKeyId;
    authQuery.Expires = expires;
    authQuery.Signature = signature;
    signedQuery = encodeQuery(authQuery);
  }
  return { url: `${url}?${signedQuery}`, method, headers: headerRecord(headers), expiresAt };
}
