import { OssSignError } from '../errors.js';
import { encodeKeyPath } from '../oss/encode.js';
import { checkKey } from '../oss/names.js';
import { quote } from '../quote.js';
import type { RequestToPresign } from '../signer/presigned-query.js';
import { resolveCallback, withCallbackQuery } from './callback.js';
import type { SigningConfig, SigningContext } from './config.js';
import { collectHeaders } from './headers.js';
import { requireRegion } from './location.js';
import { collectQuery } from './query.js';
import type { RawOptions } from './read.js';
import { resolveSignatureVersion, resolveSignedNames } from './signed-names.js';
import { resolveExpiry, resolveNow } from './timing.js';

const METHODS: ReadonlySet<unknown> = new Set(['GET', 'PUT', 'HEAD', 'DELETE', 'POST']);
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

/** Everything a presigned URL is made of, validated. */
export interface PresignContext extends SigningContext<RequestToPresign> {
  /** The object's URL, without query. */
  url: string;
  expiresAt: Date;
}

export function resolvePresign(raw: RawOptions, config: SigningConfig): PresignContext {
  const version = resolveSignatureVersion(raw.signatureVersion, config.signatureVersion);
  const { additionalHeaders, subResources } = resolveSignedNames(
    raw.additionalHeaders,
    raw.subResources,
    version,
  );
  const method = raw.method === undefined ? 'GET' : raw.method;
  if (!METHODS.has(method)) {
    throw new OssSignError(
      'INVALID_METHOD',
      `method must be one of GET, PUT, HEAD, DELETE, POST (got ${quote(method)})`,
    );
  }
  const key = checkKey(raw.key);
  const { location, credentials } = config;
  const region = version === 'v4' ? requireRegion(location, 'a URL') : location.region;
  const now = resolveNow(raw.now);
  const { expiresIn, expiresAt } = resolveExpiry(raw.expiresIn, now, credentials);
  const encodedKey = encodeKeyPath(key);
  const headers = collectHeaders(raw.headers, raw.contentType, raw.contentMd5);
  const query = collectQuery(raw.query, version === 'v4' ? RESERVED_V4 : RESERVED_V1);
  const callback = resolveCallback(raw.callback);
  return {
    version,
    request: {
      method: method as string,
      bucket: location.bucket,
      key,
      encodedKey,
      headers,
      query: callback ? withCallbackQuery(callback, method as string, query, headers) : query,
      credentials,
      now,
      expiresIn,
    },
    url: `${location.origin}${location.pathPrefix}/${encodedKey}`,
    expiresAt,
    region,
    product: location.product,
    additionalHeaders,
    subResources,
  };
}
