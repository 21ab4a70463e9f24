import { OssSignError, quote } from '../errors.js';

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
  completeAll: unknown = undefined;
}

/** Option names the bound signer takes once, in its configuration, and refuses per call. */
export const CONFIG_OPTIONS = [
  'bucket',
  'region',
  'endpoint',
  'cname',
  'pathStyle',
  'product',
  'credentials',
] as const;

/** The caller's options, read once: own enumerable properties only; unknown names are ignored. */
export function readOptions(options: unknown, fn: string): RawOptions {
  if (typeof options !== 'object' || options === null) {
    throw new OssSignError('INVALID_ARGUMENT', `${fn} takes an options object (got ${quote(options)})`);
  }
  const raw = new RawOptions();
  const entries = Object.entries(options);
  for (let i = 0; i < entries.length; i++) {
    const [name, value] = entries[i] as [string, unknown];
    if (value !== undefined && Object.hasOwn(raw, name))
      (raw as unknown as Record<string, unknown>)[name] = value;
  }
  return raw;
}
