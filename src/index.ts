export type { CallbackBodyType, CallbackOptions, CallbackParameters } from './callback/create-callback.js';
export { createCallback } from './callback/create-callback.js';
export type {
  FetchRequestLike,
  OssCallbackRequest,
  RawCallbackRequest,
  VerifiedOssCallback,
  VerifyOssCallbackOptions,
} from './callback/verify-oss-callback.js';
export { verifyOssCallback } from './callback/verify-oss-callback.js';
export type {
  CheckPostPolicyOptions,
  CheckPostPolicyResult,
  PostPolicyViolation,
} from './check-post-policy.js';
export { checkPostPolicy } from './check-post-policy.js';
export type { ComputeSignatureV1Options } from './compute-signature-v1.js';
export { computeSignatureV1 } from './compute-signature-v1.js';
export type { ComputeSignatureV4Options } from './compute-signature-v4.js';
export { computeSignatureV4 } from './compute-signature-v4.js';
export type { CreatePostPolicyOptions, PostPolicyResult } from './create-post-policy.js';
export { createPostPolicy } from './create-post-policy.js';
export type { Signer, SignerConfig } from './create-signer.js';
export { createSigner } from './create-signer.js';
export type { OssSignErrorCode, OssSignErrorDetails } from './errors.js';
export { OssSignError } from './errors.js';
export type { MultipartStep, PresignMultipartOptions } from './multipart/presign-multipart.js';
export { presignMultipart } from './multipart/presign-multipart.js';
export type { PolicyCondition, PolicyField, PostPolicyDocument } from './oss/post-policy/types.js';
export type { PresignedRequest, PresignMethod, PresignUrlOptions } from './presign-url.js';
export { presignUrl } from './presign-url.js';
export type { SignedPostPolicy, SignPostPolicyOptions } from './sign-post-policy.js';
export { signPostPolicy } from './sign-post-policy.js';
export type { SignedRequest, SignRequestOptions } from './sign-request.js';
export { signRequest } from './sign-request.js';
export { createStsCredentialProvider } from './sts/provider.js';
export type {
  CredentialClientLike,
  CredentialModelLike,
  GetStsCredentialsOptions,
  RamPolicy,
  RamPolicyStatement,
  StsCredentialProvider,
  StsCredentialProviderOptions,
  StsCredentials,
  UploadPolicyOptions,
} from './sts/types.js';
export { createUploadPolicy } from './sts/upload-policy.js';
export type { OssCredentials, OssLocation, SignatureVersion } from './types.js';
