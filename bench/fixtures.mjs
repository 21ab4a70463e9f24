// What every signing row signs: one bucket and region, realistic credentials, and rings of object keys
// and upload prefixes generated before timing, so that keys vary from call to call without their
// generation being timed.

import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const versions = {
  'ali-oss': require('ali-oss/package.json').version,
  '@aws-sdk/s3-request-presigner': require('@aws-sdk/s3-request-presigner/package.json').version,
};

export const BUCKET = 'examplebucket';
export const REGION = 'cn-hangzhou';
export const EXPIRES_IN = 3600;
export const CONTENT_TYPE = 'image/jpeg';
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

// Realistic shapes: a 24-character AccessKey ID, a 30-character secret, and an STS token of the usual
// ~600 base64 characters (its '+', '/' and '=' must be percent-encoded in a URL).
export const longTerm = {
  accessKeyId: 'LTAI5tBenchmarkKeyId0001',
  accessKeySecret: 'BenchmarkSecretNotARealOne0001',
};
export const temporary = {
  accessKeyId: 'STS.NTBenchmarkTemporaryKey01',
  accessKeySecret: randomBytes(33).toString('base64'),
  securityToken: `CAIS${randomBytes(450).toString('base64')}`,
  expiration: new Date(Date.now() + 12 * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
};

/** A power of two: a task picks `ring[calls & (RING_SIZE - 1)]`. */
export const RING_SIZE = 1024;

/** Object keys as an upload route makes them: a user's folder, the year, a random name. */
export const keys = Array.from(
  { length: RING_SIZE },
  (_, index) => `uploads/user-${1000 + index}/2025/${randomUUID()}.jpg`,
);

/** The folder each POST policy allows, one user's per call. */
export const keyPrefixes = Array.from({ length: RING_SIZE }, (_, index) => `uploads/user-${1000 + index}/`);

/** The options of `new OSS()` for the same bucket and credentials: the client a server creates once. */
export function aliOssOptions(credentials) {
  return {
    region: `oss-${REGION}`,
    bucket: BUCKET,
    secure: true,
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.accessKeySecret,
    stsToken: credentials.securityToken,
  };
}
