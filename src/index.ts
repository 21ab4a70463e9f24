export type { OssSignErrorCode, OssSignErrorDetails } from './lib/errors.js';
export { OssSignError } from './lib/errors.js';
export type { CreatePostPolicyOptions, PostPolicyResult } from './post-policy/create-post-policy.js';
export { createPostPolicy } from './post-policy/create-post-policy.js';
export type { SignedPostPolicy, SignPostPolicyOptions } from './post-policy/sign-post-policy.js';
export { signPostPolicy } from './post-policy/sign-post-policy.js';
export type { PolicyCondition, PolicyField, PostPolicyDocument } from './post-policy/types.js';
export type { PresignedRequest, PresignMethod, PresignUrlOptions } from './presign/presign-url.js';
export { presignUrl } from './presign/presign-url.js';
export type { SignedRequest, SignRequestOptions } from './request/sign-request.js';
export { signRequest } from './request/sign-request.js';
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
} from './sts/types.js';
export type { UploadPolicyOptions } from './sts/upload-policy.js';
export { createUploadPolicy } from './sts/upload-policy.js';
export type { OssCredentials, OssLocation, SignatureVersion } from './types.js';
