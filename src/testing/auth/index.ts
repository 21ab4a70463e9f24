import { ALGORITHM_V4 } from '../../signer/v4.js';
import { invalidArgument } from '../errors.js';
import type { LocalOssState, OssRequest, Principal } from '../state.js';
import { verifyHeaderV1, verifyPresignedV1 } from './v1.js';
import { verifyHeaderV4, verifyPresignedV4 } from './v4.js';

/**
 * Checks the request's signature, whichever of the four ways it is signed (V1 or V4, in the
 * Authorization header or in the query). `undefined` means the request is not signed at all.
 */
export function authenticate(state: LocalOssState, request: OssRequest): Principal | undefined {
  const { authorization } = request.headers;
  if (authorization?.startsWith(`${ALGORITHM_V4} `)) return verifyHeaderV4(state, request, authorization);
  if (authorization?.startsWith('OSS ')) return verifyHeaderV1(state, request, authorization);
  if (authorization !== undefined) throw invalidArgument('Authorization header is invalid.');
  if (request.query['x-oss-signature'] !== undefined) return verifyPresignedV4(state, request);
  if (request.query.Signature !== undefined) return verifyPresignedV1(state, request);
  return undefined;
}
