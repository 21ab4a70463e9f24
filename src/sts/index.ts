export { createStsCredentialProvider } from './provider.js';
export type {
  CredentialClientLike,
  CredentialModelLike,
  GetStsCredentialsOptions,
  RamPolicy,
  RamPolicyStatement,
  StsCredentialProvider,
  StsCredentialProviderOptions,
  StsCredentials,
} from './types.js';
export type { UploadPolicyOptions } from './upload-policy.js';
export { createUploadPolicy } from './upload-policy.js';
