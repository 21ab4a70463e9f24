// Where an example uploads when it starts: real OSS if the environment says so, else a local endpoint
// started in this process (in memory, with an STS AssumeRole API), so the examples run with no account.
// Plain JavaScript, shared with examples/sts, which runs on plain Node against the built package.
import { createLocalOss } from 'oss-direct-upload/testing';
import { readOssEnvironment } from './env.mjs';

export const LOCAL_BUCKET = 'local-bucket';
export const LOCAL_ROLE_ARN = 'acs:ram::1000000000000000:role/browser-upload';

/** Real OSS from the environment (docs/examples.md), or a local endpoint any page origin may call. */
export async function openTarget(env = process.env) {
  const configured = readOssEnvironment(env);
  if (configured) return { target: configured, local: undefined, close: async () => {} };
  // Any origin: the page's port is not known yet, and the endpoint holds nothing but what the page puts.
  const local = await createLocalOss({ buckets: [LOCAL_BUCKET], roleArn: LOCAL_ROLE_ARN, corsOrigins: '*' });
  const target = {
    bucket: LOCAL_BUCKET,
    region: local.region,
    endpoint: local.url,
    credentials: local.credentials,
    sts: { roleArn: LOCAL_ROLE_ARN, endpoint: local.stsEndpoint },
    // The endpoint signs its callbacks with its own key; their URL is the example's, once it listens.
    callback: { publicKey: local.callbackPublicKey },
  };
  return { target, local, close: () => local.close() };
}

/** What to tell whoever started the example about where uploads go. */
export function describeTarget({ target, local }, pageOrigin) {
  if (local) return `Local OSS endpoint (in memory, bucket "${target.bucket}"): ${local.url}`;
  return [
    `Uploading to oss://${target.bucket} in ${target.region}. The bucket's CORS rules must allow origin`,
    `${pageOrigin}, methods GET, PUT, POST, DELETE, HEAD, headers *, and expose ETag.`,
  ].join('\n');
}
