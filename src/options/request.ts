import { OssSignError } from '../errors.js';
import { encodeKeyPath } from '../oss/encode.js';
import { checkBucket, checkKey, checkProduct, normalizeRegion } from '../oss/names.js';
import { quote } from '../quote.js';
import type { RequestToAuthorize } from '../signer/authorization.js';
import type { SigningCredentials } from '../signer/keys.js';
import type { SignatureVersion } from '../types.js';
import { resolveCallback, setCallbackHeaders } from './callback.js';
import type { SigningContext } from './config.js';
import { resolveCredentials } from './credentials.js';
import { parseBaseUrl } from './endpoint.js';
import { collectHeaders } from './headers.js';
import { requireRegion, resolveAddressing } from './location.js';
import { collectQuery } from './query.js';
import type { RawOptions } from './read.js';
import { resolveSignatureVersion, resolveSignedNames } from './signed-names.js';
import { resolveNow } from './timing.js';

const METHOD = /^[A-Z]+$/;
const NO_RESERVED_NAMES: ReadonlySet<string> = new Set();

/** Whom and where a header-signed request is for: a bucket is optional (service-level requests). */
export interface RequestTarget {
  bucket: string | undefined;
  region: string | undefined;
  product: string;
  credentials: SigningCredentials;
  signatureVersion: SignatureVersion;
}

/** Everything a header-signed request is made of, validated. */
export type RequestContext = SigningContext<RequestToAuthorize>;

export function resolveRequestTarget(raw: RawOptions): RequestTarget {
  // Not needed for the headers, but checked as everywhere: an endpoint with a password is refused, and
  // `pathStyle: 'false'` is a mistake here too.
  if (raw.endpoint !== undefined)
    parseBaseUrl(raw.endpoint, 'endpoint', 'https://oss-cn-hangzhou.aliyuncs.com');
  resolveAddressing(raw);
  return {
    bucket: raw.bucket === undefined ? undefined : checkBucket(raw.bucket),
    region: raw.region === undefined ? undefined : normalizeRegion(raw.region),
    product: checkProduct(raw.product),
    credentials: resolveCredentials(raw.credentials),
    signatureVersion: resolveSignatureVersion(raw.signatureVersion),
  };
}

export function resolveRequest(raw: RawOptions, target: RequestTarget): RequestContext {
  const version = resolveSignatureVersion(raw.signatureVersion, target.signatureVersion);
  const { additionalHeaders, subResources } = resolveSignedNames(
    raw.additionalHeaders,
    raw.subResources,
    version,
  );
  const method = typeof raw.method === 'string' ? raw.method.toUpperCase() : '';
  if (!METHOD.test(method)) {
    throw new OssSignError(
      'INVALID_METHOD',
      `method must be an HTTP method like "PUT" (got ${quote(raw.method)})`,
    );
  }
  const { bucket } = target;
  const key = raw.key === undefined ? undefined : checkKey(raw.key);
  if (key !== undefined && bucket === undefined) {
    throw new OssSignError('INVALID_BUCKET', 'bucket is required when key is given');
  }
  const headers = collectHeaders(raw.headers);
  const query = collectQuery(raw.query, NO_RESERVED_NAMES);
  const callback = resolveCallback(raw.callback);
  if (callback) setCallbackHeaders(callback, method, headers, query);
  return {
    version,
    request: {
      method,
      bucket,
      key,
      encodedKey: key === undefined ? undefined : encodeKeyPath(key),
      headers,
      query,
      credentials: target.credentials,
      now: resolveNow(raw.now),
    },
    region: version === 'v4' ? requireRegion(target, 'a request') : target.region,
    product: target.product,
    additionalHeaders,
    subResources,
  };
}
