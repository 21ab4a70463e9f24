import type { StsUploadGrant } from '../uploads.js';

/** ali-oss's constructor options for what the STS route granted (the page and the tests use this). */
export function aliOssOptions(grant: StsUploadGrant) {
  return {
    // ali-oss names regions 'oss-<region>'; for an IP endpoint (the local one) it addresses the bucket in
    // the path, otherwise in the host name.
    region: `oss-${grant.region}`,
    bucket: grant.bucket,
    endpoint: grant.endpoint,
    secure: grant.endpoint.startsWith('https:'),
    authorizationV4: true,
    accessKeyId: grant.accessKeyId,
    accessKeySecret: grant.accessKeySecret,
    stsToken: grant.securityToken,
  };
}
