import * as crypto from 'node:crypto';
import { OssSignError } from '../errors.js';
import { checkSigningInput, normalizeRegion, quote, validateProduct } from '../lib/validate.js';
import { encodeKeyPath, encodeRfc3986 } from '../oss/encode.js';
import { toIsoBasic } from '../oss/time.js';

export const ALGORITHM_V4 = 'OSS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const MAX_CACHED_KEYS = 64;
const DATE = /^\d{8}$/;
/** Derived signing keys by secret digest, date, region and product; least recently used dropped first. */
const signingKeys = new Map<string, Buffer>();

/** The headers V4 signs whatever `additionalHeaders` says. */
function isDefaultSignedV4(lowerName: string): boolean {
  return lowerName.startsWith('x-oss-') || lowerName === 'content-type' || lowerName === 'content-md5';
}

/** `yyyymmdd/region/product/aliyun_v4_request` */
export function scopeV4(date: string, region: string, product: string): string {
  return `${date}/${region}/${product}/aliyun_v4_request`;
}

/** What one V4 signature (header, URL or form) is made at: time, day, region, product and credential. */
export interface SigningScopeV4 {
  /** `x-oss-date`: `20231216T162057Z`. */
  datetime: string;
  /** `yyyymmdd` */
  date: string;
  region: string;
  product: string;
  /** `yyyymmdd/region/product/aliyun_v4_request` */
  scope: string;
  /** `x-oss-credential`: `accessKeyId/` and the scope. */
  credential: string;
}

/** The scope for signing at `now`; `region` and `product` already validated. */
export function signingScopeV4(
  now: Date,
  region: string,
  product: string,
  accessKeyId: string,
): SigningScopeV4 {
  const datetime = toIsoBasic(now);
  const date = datetime.slice(0, 8);
  const scope = scopeV4(date, region, product);
  return { datetime, date, region, product, scope, credential: `${accessKeyId}/${scope}` };
}

/**
 * The additional headers actually signed: lower-cased, de-duplicated and sorted; names signed anyway, or
 * absent from the request or empty in it, are dropped, as the official v2 SDKs do.
 */
export function additionalHeadersV4(
  headers: Readonly<Record<string, string>>,
  names: readonly string[] | undefined,
): string[] {
  if (!names || names.length === 0) return [];
  const kept = new Set<string>();
  for (const name of names) {
    const lower = name.toLowerCase();
    if (!isDefaultSignedV4(lower) && headers[lower]) kept.add(lower);
  }
  return [...kept].sort();
}

/**
 * Every query parameter, RFC 3986-encoded and sorted by encoded name in byte order (plain ASCII after
 * encoding); an empty or null value is the bare name. A presigned URL's query is this plus the signature.
 */
export function canonicalQueryV4(query: Readonly<Record<string, string | null>>): string {
  const params = Object.keys(query).map((name) => [encodeRfc3986(name), query[name]] as const);
  params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return params.map(([name, value]) => (value ? `${name}=${encodeRfc3986(value)}` : name)).join('&');
}

export function canonicalRequestV4(request: {
  method: string;
  bucket?: string | undefined;
  key?: string | undefined;
  /** From {@link canonicalQueryV4}. */
  canonicalQuery: string;
  /** Lower-case names. */
  headers: Readonly<Record<string, string>>;
  /** From {@link additionalHeadersV4}. */
  additionalHeaders: readonly string[];
}): string {
  const { canonicalQuery, headers, additionalHeaders } = request;
  const uri = encodeKeyPath(
    `/${request.bucket === undefined ? '' : `${request.bucket}/`}${request.key ?? ''}`,
  );

  const names = Object.keys(headers).filter(
    (name) => isDefaultSignedV4(name) || additionalHeaders.includes(name),
  );
  let canonicalHeaders = '';
  for (const name of names.sort()) canonicalHeaders += `${name}:${headers[name]?.trim()}\n`;

  return `${request.method}\n${uri}\n${canonicalQuery}\n${canonicalHeaders}\n${additionalHeaders.join(';')}\n${headers['x-oss-content-sha256'] ?? UNSIGNED_PAYLOAD}`;
}

export function stringToSignV4(datetime: string, scope: string, canonicalRequest: string): string {
  return `${ALGORITHM_V4}\n${datetime}\n${scope}\n${sha256(canonicalRequest, 'hex')}`;
}

/** hex(HMAC-SHA256(signingKey, stringToSign)), with the signing key derived from the secret and scope. */
export function computeSignatureV4(
  stringToSign: string,
  options: { accessKeySecret: string; date: string; region: string; product?: string | undefined },
): string {
  checkSigningInput(stringToSign, options?.accessKeySecret);
  if (typeof options.date !== 'string' || !DATE.test(options.date)) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      `date must be the signing day as yyyymmdd (got ${quote(options.date)})`,
    );
  }
  const scope = {
    date: options.date,
    region: normalizeRegion(options.region),
    product: validateProduct(options.product),
  };
  return signatureV4(stringToSign, options.accessKeySecret, scope);
}

/** {@link computeSignatureV4} for inputs the caller has already validated. */
export function signatureV4(
  stringToSign: string,
  accessKeySecret: string,
  scope: { date: string; region: string; product: string },
): string {
  const key = signingKeyV4(accessKeySecret, scope.date, scope.region, scope.product);
  return crypto.createHmac('sha256', key).update(stringToSign).digest('hex');
}

// crypto.hash (Node >= 20.12) skips the Hash object: about half the cost of createHash for short input.
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: string) => string }).hash;
function sha256(data: string, encoding: 'hex' | 'base64'): string {
  return oneShotHash
    ? oneShotHash('sha256', data, encoding)
    : crypto.createHash('sha256').update(data).digest(encoding);
}

function signingKeyV4(secret: string, date: string, region: string, product: string): Buffer {
  // A digest, not the secret, names the entry, so the cache never holds a secret as a key.
  const id = `${sha256(secret, 'base64')}/${date}/${region}/${product}`;
  let key = signingKeys.get(id);
  if (key) {
    signingKeys.delete(id);
  } else {
    key = hmac(hmac(hmac(hmac(`aliyun_v4${secret}`, date), region), product), 'aliyun_v4_request');
    if (signingKeys.size >= MAX_CACHED_KEYS) signingKeys.delete(signingKeys.keys().next().value as string);
  }
  signingKeys.set(id, key);
  return key;
}

function hmac(key: string | Buffer, data: string): Buffer {
  return crypto.createHmac('sha256', key).update(data).digest();
}
