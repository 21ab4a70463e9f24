import { createHmac } from 'node:crypto';
import { checkSigningInput } from '../lib/validate.js';

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

/** base64(HMAC-SHA1(secret, stringToSign)): the V1 signature of a request, URL or POST policy. */
export function computeSignatureV1(stringToSign: string, accessKeySecret: string): string {
  checkSigningInput(stringToSign, accessKeySecret);
  return createHmac('sha1', accessKeySecret).update(stringToSign).digest('base64');
}

/** What V1 signs of a request. */
export interface RequestToSignV1 {
  method: string;
  /** Lower-case names. */
  headers: Readonly<Record<string, string>>;
  /** `Date` for header auth, `Expires` for presigned URLs. */
  date: string;
  bucket?: string | undefined;
  key?: string | undefined;
  query: Readonly<Record<string, string | null>>;
  /** Query names to sign besides OSS's own list and `x-oss-*`. */
  subResources?: readonly string[] | undefined;
}

/** `/bucket/key?sub=resource`, with the signed query names sorted and their values decoded. */
function canonicalResourceV1(
  request: Pick<RequestToSignV1, 'bucket' | 'key' | 'query' | 'subResources'>,
): string {
  const { query, subResources } = request;
  const resource = `/${request.bucket === undefined ? '' : `${request.bucket}/`}${request.key ?? ''}`;
  const names: string[] = [];
  for (const name in query) {
    if (SIGNED_SUB_RESOURCES.has(name) || name.startsWith('x-oss-') || subResources?.includes(name))
      names.push(name);
  }
  if (names.length === 0) return resource;
  names.sort();
  return `${resource}?${names.map((name) => (query[name] ? `${name}=${query[name]}` : name)).join('&')}`;
}

/** VERB, Content-MD5, Content-Type, date, the `x-oss-*` headers sorted, then the canonical resource. */
function stringToSignV1(request: RequestToSignV1): string {
  const { headers } = request;
  let signed = `${request.method}\n${headers['content-md5'] ?? ''}\n${headers['content-type'] ?? ''}\n${request.date}\n`;
  const ossNames = Object.keys(headers).filter((name) => name.startsWith('x-oss-'));
  for (const name of ossNames.sort()) signed += `${name}:${headers[name]?.trim()}\n`;
  return signed + canonicalResourceV1(request);
}

/** The V1 string to sign of a request and its signature. */
export function signV1(
  request: RequestToSignV1,
  accessKeySecret: string,
): { stringToSign: string; signature: string } {
  const stringToSign = stringToSignV1(request);
  return { stringToSign, signature: computeSignatureV1(stringToSign, accessKeySecret) };
}
