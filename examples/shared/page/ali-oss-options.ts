import type { StsUploadGrant } from '../uploads.js';

/** The options of ali-oss's browser build for what the STS route granted. */
export function aliOssOptions(grant: StsUploadGrant) {
  const { hostname } = new URL(grant.endpoint);
  return {
    // ali-oss names regions 'oss-<region>'.
    region: `oss-${grant.region}`,
    bucket: grant.bucket,
    endpoint: grant.endpoint,
    // ali-oss puts the bucket in the host name; in a browser, an IP address (the local endpoint) has to take
    // it in the path.
    sldEnable: /^[\d.]+$/.test(hostname) || hostname.startsWith('['),
    authorizationV4: true,
    accessKeyId: grant.accessKeyId,
    accessKeySecret: grant.accessKeySecret,
    stsToken: grant.securityToken,
  };
}
