export type { CreatePostPolicyOptions, PostPolicyResult } from './create-post-policy.js';
export { createPostPolicy } from './create-post-policy.js';
export type { OssSignErrorCode, OssSignErrorDetails } from './errors.js';
export { OssSignError } from './errors.js';
export type { PolicyCondition, PolicyField, PostPolicyDocument } from './post-policy/types.js';
export type { PresignedRequest, PresignMethod, PresignUrlOptions } from './presign-url.js';
export { presignUrl } from './presign-url.js';
export type { SignedPostPolicy, SignPostPolicyOptions } from './sign-post-policy.js';
export { signPostPolicy } from './sign-post-policy.js';
export type { SignedRequest, SignRequestOptions } from './sign-request.js';
export { signRequest } from './sign-request.js';
export { computeSignatureV1 } from './signer/v1.js';
export { computeSignatureV4 } from './signer/v4.js';
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
