import { type HmacKey, hmacSha1Base64 } from './crypto.js';
import type { QueryParams, RequestHeaders } from './request-headers.js';

/** The query names OSS signs in V1, as the official v2 SDKs list them; `x-oss-*` names are signed too. */
const SIGNED_SUB_RESOURCES: ReadonlySet<string> = new Set([
  'acl',
  'bucketInfo',
  'location',
  'stat',
  'delete',
  'append',
  'tagging',
  'objectMeta',
  'uploads',
  'uploadId',
  'partNumber',
  'security-token',
  'position',
  'response-content-type',
  'response-content-language',
  'response-expires',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'restore',
  'callback',
  'callback-var',
  'versions',
  'versioning',
  'versionId',
  'sequential',
  'continuation-token',
  'regionList',
  'cloudboxes',
  'symlink',
]);

/** What V1 signs of a request, header-signed or presigned. */
export interface RequestToSignV1 {
  method: string;
  headers: RequestHeaders;
  /** `Date` for header auth, `Expires` (Unix seconds) for presigned URLs. */
  date: string;
  bucket: string | undefined;
  /** The key as stored (not encoded). */
  key: string | undefined;
  query: QueryParams;
  /** Query names to sign besides OSS's own list and `x-oss-*`. */
  subResources: readonly string[] | undefined;
}

/** `/bucket/key?sub=resource`, with the signed query names sorted and their values as given. */
function canonicalResourceV1(request: RequestToSignV1): string {
  const { query, subResources } = request;
  const resource = `/${request.bucket === undefined ? '' : `${request.bucket}/`}${request.key ?? ''}`;
  const signed: (readonly [string, string | null])[] = [];
  for (const param of query) {
    const name = param[0];
    if (SIGNED_SUB_RESOURCES.has(name) || name.startsWith('x-oss-') || subResources?.includes(name)) {
      signed.push(param);
    }
  }
  if (signed.length === 0) return resource;
  if (signed.length > 1) signed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${resource}?${signed.map(([name, value]) => (value ? `${name}=${value}` : name)).join('&')}`;
}

/** VERB, Content-MD5, Content-Type, date, the `x-oss-*` headers sorted, then the canonical resource. */
export function stringToSignV1(request: RequestToSignV1): string {
  const { headers } = request;
  let signed = `${request.method}\n${headers.get('content-md5') ?? ''}\n${headers.get('content-type') ?? ''}\n${request.date}\n`;
  const ossHeaders: number[] = [];
  for (let i = 0; i < headers.lowerNames.length; i++) {
    if ((headers.lowerNames[i] as string).startsWith('x-oss-')) ossHeaders.push(i);
  }
  if (ossHeaders.length > 1) {
    ossHeaders.sort((a, b) =>
      (headers.lowerNames[a] as string) < (headers.lowerNames[b] as string) ? -1 : 1,
    );
  }
  for (const i of ossHeaders) signed += `${headers.lowerNames[i]}:${headers.values[i]?.trim()}\n`;
  return signed + canonicalResourceV1(request);
}

/** base64(HMAC-SHA1(secret, stringToSign)): the V1 signature of a request, URL or POST policy. */
export function signatureV1(stringToSign: string, key: HmacKey | string): string {
  return hmacSha1Base64(key, stringToSign);
}

/** The V1 signature of a request, with the string it signs. */
export function signV1(
  request: RequestToSignV1,
  key: HmacKey | string,
): { stringToSign: string; signature: string } {
  const stringToSign = stringToSignV1(request);
  return { stringToSign, signature: signatureV1(stringToSign, key) };
}
