import type { OssCallbackRequest } from './callback-request.js';

export type { FetchRequestLike, OssCallbackRequest, RawCallbackRequest } from './callback-request.js';

export interface VerifyOssCallbackOptions {
  /** A PEM RSA public key that alone verifies callbacks (tests, the local endpoint); no key URL is read. */
  publicKey?: string | undefined;
  /**
   * URL prefixes a key named by `x-oss-pub-key-url` may be fetched from, default
   * `['https://gosspublic.alicdn.com/']`. OSS's own key is bundled and needs no entry.
   */
  allowedKeyUrls?: readonly string[] | undefined;
  /** The path (and query, with a '?') OSS called, when a proxy rewrote it before this server. */
  path?: string | undefined;
  /** How long fetching an allow-listed key may take, default 3000 ms. */
  fetchTimeoutMs?: number | undefined;
}

export interface VerifiedOssCallback {
  /** The body, as OSS sent and signed it (UTF-8). */
  body: string;
  /** The body parsed per its Content-Type: an object for a form, the value for JSON, else `undefined`. */
  params: unknown;
}

/**
 * Checks that a callback request was signed by OSS (`authorization`: base64 RSA/MD5 signature over
 * the URL-decoded path, the query, '\n' and the body) and returns its body. OSS's published key is
 * bundled: no network for OSS's callbacks, and no request at all for a key URL off the allow-list.
 */
export async function verifyOssCallback(
  request: OssCallbackRequest,
  options?: VerifyOssCallbackOptions,
): Promise<VerifiedOssCallback> {
  // The verifier (request reading, key trust and fetching, RSA) loads with the first callback: a server
  // that only signs never parses it.
  const { verify } = await import('./verify.js');
  return verify(request, options);
}
