import { createHmac } from 'node:crypto';
import { OssSignError } from '../lib/errors.js';

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

/** `/bucket/key?sub=resource`, with the signed query names sorted and their values decoded. */
export function canonicalResourceV1(request: {
  bucket?: string | undefined;
  key?: string | undefined;
  query: Readonly<Record<string, string | null>>;
  subResources?: readonly string[] | undefined;
}): string {
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
export function stringToSignV1(request: {
  method: string;
  /** Lower-case names. */
  headers: Readonly<Record<string, string>>;
  /** `Date` for header auth, `Expires` for presigned URLs. */
  date: string;
  canonicalResource: string;
}): string {
  const { headers } = request;
  let signed = `${request.method}\n${headers['content-md5'] ?? ''}\n${headers['content-type'] ?? ''}\n${request.date}\n`;
  const ossNames = Object.keys(headers).filter((name) => name.startsWith('x-oss-'));
  for (const name of ossNames.sort()) signed += `${name}:${headers[name]?.trim()}\n`;
  return signed + request.canonicalResource;
}

/** The primitives' own inputs, checked so that misuse fails as an OssSignError, not deep in node:crypto. */
export function checkSigningInput(stringToSign: unknown, accessKeySecret: unknown): void {
  if (typeof stringToSign !== 'string') {
    throw new OssSignError('INVALID_ARGUMENT', 'stringToSign must be a string');
  }
  if (typeof accessKeySecret !== 'string' || accessKeySecret === '') {
    throw new OssSignError('MISSING_CREDENTIALS', 'accessKeySecret must be a non-empty string');
  }
}
