import { OssSignError } from '../errors.js';
import { quote } from '../quote.js';
import { unknownOption } from './own-properties.js';

/**
 * Every option any entry point takes, in one fixed shape. Filled by one pass over the caller's own
 * enumerable properties, so that each is read once (a getter runs once) and nothing comes from a
 * prototype; V8 then reads this object's fields at fixed offsets, however the caller built its options
 * (a spread per call gives every call a new hidden class, and reading many names, most of them absent,
 * from such an object is slow).
 */
export class RawOptions {
  bucket: unknown = undefined;
  region: unknown = undefined;
  endpoint: unknown = undefined;
  cname: unknown = undefined;
  pathStyle: unknown = undefined;
  product: unknown = undefined;
  credentials: unknown = undefined;
  signatureVersion: unknown = undefined;
  now: unknown = undefined;
  expiresIn: unknown = undefined;
  key: unknown = undefined;
  method: unknown = undefined;
  contentType: unknown = undefined;
  contentMd5: unknown = undefined;
  headers: unknown = undefined;
  query: unknown = undefined;
  additionalHeaders: unknown = undefined;
  subResources: unknown = undefined;
  keyPrefix: unknown = undefined;
  contentLengthRange: unknown = undefined;
  successActionStatus: unknown = undefined;
  successActionRedirect: unknown = undefined;
  metadata: unknown = undefined;
  fields: unknown = undefined;
  conditions: unknown = undefined;
  callback: unknown = undefined;
  allowAnyKey: unknown = undefined;
  allowAnySize: unknown = undefined;
  step: unknown = undefined;
  uploadId: unknown = undefined;
  partNumber: unknown = undefined;
  partNumberMarker: unknown = undefined;
  completeAll: unknown = undefined;
}

/** Where the object is: what every entry point but the primitives takes, and what a bound signer fixes. */
const LOCATION = ['bucket', 'region', 'endpoint', 'cname', 'pathStyle', 'product'] as const;
/** What createSigner fixes once and refuses per call. */
export const CONFIG_OPTIONS: readonly string[] = [...LOCATION, 'credentials'];
const SIGNING = ['credentials', 'signatureVersion', 'now'] as const;

/** The presignMultipart options only some steps take (options/multipart.ts says which). */
export const MULTIPART_STEP_OPTIONS = [
  'uploadId',
  'partNumber',
  'partNumberMarker',
  'contentType',
  'headers',
  'completeAll',
  'callback',
] as const;

/** The options each entry point takes. */
export const ACCEPTED = {
  presignUrl: new Set<string>([
    ...LOCATION,
    ...SIGNING,
    'key',
    'method',
    'expiresIn',
    'contentType',
    'contentMd5',
    'headers',
    'query',
    'additionalHeaders',
    'subResources',
    'callback',
  ]),
  signRequest: new Set<string>([
    ...LOCATION,
    ...SIGNING,
    'key',
    'method',
    'headers',
    'query',
    'additionalHeaders',
    'subResources',
    'callback',
  ]),
  createPostPolicy: new Set<string>([
    ...LOCATION,
    ...SIGNING,
    'key',
    'keyPrefix',
    'expiresIn',
    'contentLengthRange',
    'contentType',
    'successActionStatus',
    'successActionRedirect',
    'metadata',
    'fields',
    'conditions',
    'callback',
    'allowAnyKey',
    'allowAnySize',
  ]),
  presignMultipart: new Set<string>([
    ...LOCATION,
    ...SIGNING,
    'key',
    'step',
    ...MULTIPART_STEP_OPTIONS,
    'expiresIn',
  ]),
  signPostPolicy: new Set<string>([...SIGNING, 'region', 'product']),
  createSigner: new Set<string>([...LOCATION, 'credentials', 'signatureVersion']),
} satisfies Record<string, ReadonlySet<string>>;

/** Other SDKs' names (ali-oss, mostly) for what these options do. */
const HINTS: Readonly<Record<string, string>> = {
  expires: 'use expiresIn, in seconds',
  accessKeyId: 'put it in credentials: { accessKeyId, accessKeySecret, securityToken }',
  accessKeySecret: 'put it in credentials: { accessKeyId, accessKeySecret, securityToken }',
  securityToken: 'put it in credentials: { accessKeyId, accessKeySecret, securityToken }',
  stsToken: 'put it in credentials as securityToken',
  credential: 'the name is credentials',
  secure: "give endpoint as a URL, like 'https://oss-cn-hangzhou.aliyuncs.com'",
  'Content-Type': 'use contentType, or headers',
  process: "use query: { 'x-oss-process': ... }",
  response: "use query: { 'response-content-disposition': ... }",
  dir: 'use keyPrefix',
};

/**
 * The caller's options, read once: own enumerable properties only, each read once (a throwing getter
 * becomes an OssSignError with the thrown value as `cause`); a name this function does not take is
 * refused rather than silently ignored.
 */
export function readOptions(options: unknown, fn: string, accepted: ReadonlySet<string>): RawOptions {
  if (typeof options !== 'object' || options === null) {
    throw new OssSignError('INVALID_ARGUMENT', `${fn} takes an options object (got ${quote(options)})`);
  }
  const raw = new RawOptions();
  let entries: [string, unknown][];
  try {
    entries = Object.entries(options);
  } catch (cause) {
    throw new OssSignError('INVALID_ARGUMENT', `${fn} options could not be read: reading them threw`, {
      cause,
    });
  }
  for (let i = 0; i < entries.length; i++) {
    const [name, value] = entries[i] as [string, unknown];
    if (value === undefined) continue;
    if (!accepted.has(name)) throw unknownOption(`${fn} options`, name, 'INVALID_ARGUMENT', accepted, HINTS);
    // A store per name, not raw[name]: each is then a store at a fixed offset.
    switch (name) {
      case 'bucket':
        raw.bucket = value;
        break;
      case 'region':
        raw.region = value;
        break;
      case 'endpoint':
        raw.endpoint = value;
        break;
      case 'cname':
        raw.cname = value;
        break;
      case 'pathStyle':
        raw.pathStyle = value;
        break;
      case 'product':
        raw.product = value;
        break;
      case 'credentials':
        raw.credentials = value;
        break;
      case 'signatureVersion':
        raw.signatureVersion = value;
        break;
      case 'now':
        raw.now = value;
        break;
      case 'expiresIn':
        raw.expiresIn = value;
        break;
      case 'key':
        raw.key = value;
        break;
      case 'method':
        raw.method = value;
        break;
      case 'contentType':
        raw.contentType = value;
        break;
      case 'contentMd5':
        raw.contentMd5 = value;
        break;
      case 'headers':
        raw.headers = value;
        break;
      case 'query':
        raw.query = value;
        break;
      case 'additionalHeaders':
        raw.additionalHeaders = value;
        break;
      case 'subResources':
        raw.subResources = value;
        break;
      case 'keyPrefix':
        raw.keyPrefix = value;
        break;
      case 'contentLengthRange':
        raw.contentLengthRange = value;
        break;
      case 'successActionStatus':
        raw.successActionStatus = value;
        break;
      case 'successActionRedirect':
        raw.successActionRedirect = value;
        break;
      case 'metadata':
        raw.metadata = value;
        break;
      case 'fields':
        raw.fields = value;
        break;
      case 'conditions':
        raw.conditions = value;
        break;
      case 'callback':
        raw.callback = value;
        break;
      case 'allowAnyKey':
        raw.allowAnyKey = value;
        break;
      case 'allowAnySize':
        raw.allowAnySize = value;
        break;
      case 'step':
        raw.step = value;
        break;
      case 'uploadId':
        raw.uploadId = value;
        break;
      case 'partNumber':
        raw.partNumber = value;
        break;
      case 'partNumberMarker':
        raw.partNumberMarker = value;
        break;
      case 'completeAll':
        raw.completeAll = value;
        break;
    }
  }
  return raw;
}
