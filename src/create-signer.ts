import {
  type CreatePostPolicyOptions,
  type PostPolicyResult,
  postPolicyContext,
} from './create-post-policy.js';
import { refuseConfigOptions, resolveConfig } from './options/config.js';
import { resolvePostPolicy } from './options/post-policy.js';
import { resolvePresign } from './options/presign.js';
import { ACCEPTED, readOptions } from './options/read.js';
import { type RequestTarget, resolveRequest } from './options/request.js';
import { type PresignedRequest, type PresignUrlOptions, presignContext } from './presign-url.js';
import { type SignedRequest, type SignRequestOptions, signRequestContext } from './sign-request.js';
import type { OssCredentials, OssLocation, SignatureVersion } from './types.js';

/** What a bound signer fixes once: where, with which credentials, and the default signature version. */
export interface SignerConfig extends OssLocation {
  credentials: OssCredentials;
  /** The version of calls that name none; default `'v4'`. */
  signatureVersion?: SignatureVersion | undefined;
}

type PerCall<T> = Omit<T, keyof OssLocation | 'credentials'>;

export interface Signer {
  presignUrl(options: PerCall<PresignUrlOptions>): PresignedRequest;
  createPostPolicy(options: PerCall<CreatePostPolicyOptions>): PostPolicyResult;
  signRequest(options: PerCall<SignRequestOptions>): SignedRequest;
}

/**
 * A signer bound to one bucket and one set of credentials, for a server that signs many uploads: the
 * configuration is checked once, and each method takes only the per-call options and returns exactly what
 * the pure function returns for the merged options.
 */
export function createSigner(config: SignerConfig): Signer {
  const raw = readOptions(config, 'createSigner', ACCEPTED.createSigner);
  const resolved = resolveConfig(raw);
  const { location, credentials, signatureVersion } = resolved;
  const target: RequestTarget = {
    bucket: location.bucket,
    region: location.region,
    product: location.product,
    credentials,
    signatureVersion,
  };
  const perCall = (options: unknown, fn: 'presignUrl' | 'createPostPolicy' | 'signRequest') => {
    const callRaw = readOptions(options, fn, ACCEPTED[fn]);
    refuseConfigOptions(callRaw, fn);
    return callRaw;
  };
  return {
    presignUrl: (options) => presignContext(resolvePresign(perCall(options, 'presignUrl'), resolved)),
    createPostPolicy: (options) =>
      postPolicyContext(resolvePostPolicy(perCall(options, 'createPostPolicy'), resolved)),
    signRequest: (options) => signRequestContext(resolveRequest(perCall(options, 'signRequest'), target)),
  };
}
