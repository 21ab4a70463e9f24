import { encodeRfc3986 } from '../oss/encode.js';
import { type HmacKey, hmacSha256Hex, sha256Hex } from './crypto.js';
import type { ScopeV4 } from './keys.js';
import type { QueryParams, RequestHeaders } from './request-headers.js';

export const ALGORITHM_V4 = 'OSS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** The headers V4 signs whatever `additionalHeaders` says. */
function isDefaultSignedV4(lowerName: string): boolean {
  return lowerName.startsWith('x-oss-') || lowerName === 'content-type' || lowerName === 'content-md5';
}

/**
 * The additional headers actually signed: lower-cased, de-duplicated and sorted; names signed anyway, or
 * absent from the request or empty in it, are dropped, as the official v2 SDKs do.
 */
export function additionalHeadersV4(headers: RequestHeaders, names: readonly string[] | undefined): string[] {
  if (names === undefined || names.length === 0) return [];
  const kept: string[] = [];
  for (const name of names) {
    const lower = name.toLowerCase();
    if (!isDefaultSignedV4(lower) && headers.get(lower) && !kept.includes(lower)) kept.push(lower);
  }
  return kept.sort();
}

/** `/bucket/key` with the key already encoded by `encodeKeyPath`; `/bucket/` for a bucket, `/` for the service. */
export function canonicalUriV4(bucket: string | undefined, encodedKey: string | undefined): string {
  return bucket === undefined ? '/' : `/${bucket}/${encodedKey ?? ''}`;
}

/**
 * Every query parameter, RFC 3986-encoded and sorted by encoded name in byte order (plain ASCII after
 * encoding); an empty or null value is the bare name. A presigned URL's query is this plus the signature.
 */
export function canonicalQueryV4(query: QueryParams): string {
  return joinCanonicalQuery(encodeQueryParams(query));
}

/** Each name and value RFC 3986-encoded; an empty or null value becomes `''`. */
export function encodeQueryParams(query: QueryParams): [name: string, value: string][] {
  return query.map(([name, value]) => [encodeRfc3986(name), value ? encodeRfc3986(value) : '']);
}

/** Encoded parameters sorted by name in byte order and joined; an empty value is the bare name. */
export function joinCanonicalQuery(encoded: [name: string, value: string][]): string {
  encoded.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  let out = '';
  for (const [name, value] of encoded) out += `${out ? '&' : ''}${name}${value ? `=${value}` : ''}`;
  return out;
}

/** The signed headers, sorted by lower-case name, each `name:trimmed value` on its own line. */
function canonicalHeadersV4(headers: RequestHeaders, additionalHeaders: readonly string[]): string {
  const { lowerNames, values } = headers;
  const signed: number[] = [];
  for (let i = 0; i < lowerNames.length; i++) {
    const lower = lowerNames[i] as string;
    if (isDefaultSignedV4(lower) || additionalHeaders.includes(lower)) signed.push(i);
  }
  if (signed.length > 1)
    signed.sort((a, b) => ((lowerNames[a] as string) < (lowerNames[b] as string) ? -1 : 1));
  let out = '';
  for (const i of signed) out += `${lowerNames[i]}:${values[i]?.trim()}\n`;
  return out;
}

/** What V4 signs of a request, header-signed or presigned. */
export interface RequestToSignV4 {
  method: string;
  /** From {@link canonicalUriV4}. */
  canonicalUri: string;
  /** From {@link canonicalQueryV4}, or built directly in the same form. */
  canonicalQuery: string;
  headers: RequestHeaders;
  /** From {@link additionalHeadersV4}. */
  additionalHeaders: readonly string[];
}

export function canonicalRequestV4(request: RequestToSignV4): string {
  const { headers, additionalHeaders } = request;
  return `${request.method}\n${request.canonicalUri}\n${request.canonicalQuery}\n${canonicalHeadersV4(headers, additionalHeaders)}\n${additionalHeaders.join(';')}\n${headers.get('x-oss-content-sha256') ?? UNSIGNED_PAYLOAD}`;
}

function stringToSignV4(datetime: string, scope: string, canonicalRequest: string): string {
  return `${ALGORITHM_V4}\n${datetime}\n${scope}\n${sha256Hex(canonicalRequest)}`;
}

/** hex(HMAC-SHA256(signingKey, stringToSign)) */
export function signatureV4(stringToSign: string, signingKey: HmacKey): string {
  return hmacSha256Hex(signingKey, stringToSign);
}

/** The V4 signature of a request at `datetime` within `scope`, with the strings it signs. */
export function signV4(
  request: RequestToSignV4,
  datetime: string,
  scope: ScopeV4,
): { canonicalRequest: string; stringToSign: string; signature: string } {
  const canonicalRequest = canonicalRequestV4(request);
  const stringToSign = stringToSignV4(datetime, scope.scope, canonicalRequest);
  return { canonicalRequest, stringToSign, signature: signatureV4(stringToSign, scope.signingKey) };
}
