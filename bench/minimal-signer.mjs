// A hand-written minimal presigner, V1 and V4: the least code that gives this library's URLs byte for
// byte (for the bench's inputs: a virtual-hosted bucket on the default endpoint, GET or PUT with a
// Content-Type, with or without an STS token). It validates nothing and supports nothing else, and it
// keeps what it can derive from a credentials object (the HMAC key, the encoded token, the V4 signing key
// of the day) in a WeakMap keyed by that object. The bench reports the library's time divided by this
// one's: the price of validation and generality, measured against the realistic limit.
//
// The floor rows (floor.mjs) sign the strings built here, so the floor hashes exactly what a URL signs.

import * as crypto from 'node:crypto';

const ALGORITHM_V4 = 'OSS4-HMAC-SHA256';
const UNRESERVED = /^[A-Za-z0-9._~-]*$/;
const UNRESERVED_OR_SLASH = /^[A-Za-z0-9._~/-]*$/;
const SUB_DELIMS = /[!'()*]/g;

// crypto.hash (Node >= 20.12) is the one-shot SHA-256; createHash is the fallback.
export const sha256Hex = crypto.hash
  ? (data) => crypto.hash('sha256', data, 'hex')
  : (data) => crypto.createHash('sha256').update(data).digest('hex');

const derived = new WeakMap();

function derivedFrom(credentials) {
  let entry = derived.get(credentials);
  if (!entry) {
    entry = {
      secretKey: crypto.createSecretKey(Buffer.from(credentials.accessKeySecret, 'utf8')),
      accessKeyId: encode(credentials.accessKeyId),
      token: credentials.securityToken ? encode(credentials.securityToken) : '',
      scope: '',
      signingKey: undefined,
    };
    derived.set(credentials, entry);
  }
  return entry;
}

function encode(value) {
  if (UNRESERVED.test(value)) return value;
  return encodeURIComponent(value).replace(
    SUB_DELIMS,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function encodePath(key) {
  return UNRESERVED_OR_SLASH.test(key) ? key : encode(key).replaceAll('%2F', '/');
}

function twoDigits(n) {
  return n < 10 ? `0${n}` : `${n}`;
}

/** `20231216T162057Z` */
export function isoBasic(date) {
  return `${date.getUTCFullYear()}${twoDigits(date.getUTCMonth() + 1)}${twoDigits(date.getUTCDate())}T${twoDigits(date.getUTCHours())}${twoDigits(date.getUTCMinutes())}${twoDigits(date.getUTCSeconds())}Z`;
}

function hmac(key, data) {
  return crypto.createHmac('sha256', key).update(data).digest();
}

/** The V4 signing key of `scope` (`yyyymmdd/region/oss/aliyun_v4_request`), derived once per day. */
export function signingKeyV4(credentials, date, region) {
  const entry = derivedFrom(credentials);
  const scope = `${date}/${region}/oss/aliyun_v4_request`;
  if (entry.scope !== scope) {
    const key = hmac(
      hmac(hmac(hmac(`aliyun_v4${credentials.accessKeySecret}`, date), region), 'oss'),
      'aliyun_v4_request',
    );
    entry.signingKey = crypto.createSecretKey(key);
    entry.scope = scope;
  }
  return entry.signingKey;
}

/** The HMAC-SHA1 key of a credentials object, for V1. */
export function secretKeyV1(credentials) {
  return derivedFrom(credentials).secretKey;
}

/** What V1 signs for a presigned URL: verb, Content-Type, expiry, then the resource and the token. */
export function stringToSignV1({ bucket, credentials, key, method, contentType, expires }) {
  const token = credentials.securityToken;
  return `${method}\n\n${contentType ?? ''}\n${expires}\n/${bucket}/${key}${token ? `?security-token=${token}` : ''}`;
}

/** The V4 presigned query without the signature: the parameters sorted by name, RFC 3986-encoded. */
function queryV4(credentials, date, region, datetime, expiresIn) {
  const entry = derivedFrom(credentials);
  const token = entry.token ? `&x-oss-security-token=${entry.token}` : '';
  return `x-oss-credential=${entry.accessKeyId}%2F${date}%2F${region}%2Foss%2Faliyun_v4_request&x-oss-date=${datetime}&x-oss-expires=${expiresIn}${token}&x-oss-signature-version=${ALGORITHM_V4}`;
}

/** The V4 string to sign without its last line, the canonical request's SHA-256. */
export function stringToSignHeadV4(datetime, region) {
  return `${ALGORITHM_V4}\n${datetime}\n${datetime.slice(0, 8)}/${region}/oss/aliyun_v4_request\n`;
}

/** The V4 canonical request of a presigned URL: no additional headers, payload unsigned. */
function canonicalRequestV4(bucket, key, method, contentType, query) {
  const headers = contentType === undefined ? '' : `content-type:${contentType}\n`;
  return `${method}\n/${bucket}/${encodePath(key)}\n${query}\n${headers}\n\nUNSIGNED-PAYLOAD`;
}

/** The V4 canonical request a presigned URL signs at `datetime` (`20231216T162057Z`). */
export function presignedCanonicalRequestV4(options, datetime) {
  const { bucket, region, credentials, key, method, contentType, expiresIn } = options;
  const query = queryV4(credentials, datetime.slice(0, 8), region, datetime, expiresIn);
  return canonicalRequestV4(bucket, key, method, contentType, query);
}

/** `presignUrl` for the bench's inputs, with the same result. */
export function minimalPresignUrl({
  bucket,
  region,
  credentials,
  key,
  method = 'GET',
  contentType,
  expiresIn = 3600,
  signatureVersion = 'v4',
  now = new Date(),
}) {
  const entry = derivedFrom(credentials);
  const base = `https://${bucket}.oss-${region}.aliyuncs.com/${encodePath(key)}`;
  const signedAt = Math.floor(now.getTime() / 1000);
  const headers = contentType === undefined ? {} : { 'Content-Type': contentType };
  const expiresAt = new Date((signedAt + expiresIn) * 1000);
  if (signatureVersion === 'v1') {
    const expires = signedAt + expiresIn;
    const stringToSign = stringToSignV1({ bucket, credentials, key, method, contentType, expires });
    const signature = crypto.createHmac('sha1', entry.secretKey).update(stringToSign).digest('base64');
    const token = entry.token ? `security-token=${entry.token}&` : '';
    const url = `${base}?${token}OSSAccessKeyId=${entry.accessKeyId}&Expires=${expires}&Signature=${encode(signature)}`;
    return { url, method, headers, expiresAt };
  }
  const datetime = isoBasic(now);
  const date = datetime.slice(0, 8);
  const query = queryV4(credentials, date, region, datetime, expiresIn);
  const canonicalRequest = canonicalRequestV4(bucket, key, method, contentType, query);
  const stringToSign = `${stringToSignHeadV4(datetime, region)}${sha256Hex(canonicalRequest)}`;
  const signature = crypto
    .createHmac('sha256', signingKeyV4(credentials, date, region))
    .update(stringToSign)
    .digest('hex');
  return { url: `${base}?${query}&x-oss-signature=${signature}`, method, headers, expiresAt };
}
