import type { OssCallbackRequest } from './callback-request.js';
import type { VerifiedOssCallback, VerifyOssCallbackOptions } from './types.js';

export type { FetchRequestLike, OssCallbackRequest, RawCallbackRequest } from './callback-request.js';
export type { VerifiedOssCallback, VerifyOssCallbackOptions } from './types.js';

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
