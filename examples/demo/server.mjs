// `npm run demo`: the demo page and its app server, against a local OSS endpoint, or against real OSS when
// OSS_REGION, OSS_BUCKET, ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET and
// ALIBABA_CLOUD_ROLE_ARN are set.
import * as library from 'oss-direct-upload';
import { createLocalOss } from 'oss-direct-upload/testing';
import { LOCAL_BUCKET, startDemoApp } from './app.mjs';

const REAL_OSS_VARIABLES = [
  'OSS_REGION',
  'OSS_BUCKET',
  'ALIBABA_CLOUD_ACCESS_KEY_ID',
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  'ALIBABA_CLOUD_ROLE_ARN',
];

const env = process.env;
const given = REAL_OSS_VARIABLES.filter((name) => env[name]);
if (given.length > 0 && given.length < REAL_OSS_VARIABLES.length) {
  const missing = REAL_OSS_VARIABLES.filter((name) => !env[name]);
  console.error(`To use real OSS, also set ${missing.join(', ')} (or unset ${given.join(', ')}).`);
  process.exit(1);
}
const target =
  given.length === 0
    ? undefined
    : {
        bucket: env.OSS_BUCKET,
        region: env.OSS_REGION,
        credentials: {
          accessKeyId: env.ALIBABA_CLOUD_ACCESS_KEY_ID,
          accessKeySecret: env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
        },
        sts: { roleArn: env.ALIBABA_CLOUD_ROLE_ARN },
      };

const demo = await startDemoApp({
  library,
  createLocalOss,
  target,
  port: Number(env.PORT ?? 3000),
});

if (demo.local) {
  console.log(`Local OSS endpoint (in memory, bucket "${LOCAL_BUCKET}"): ${demo.local.url}`);
} else {
  console.log(`Uploading to oss://${target.bucket} in ${target.region}. The bucket's CORS rules must allow`);
  console.log(`origin ${demo.url}, methods GET, PUT, POST, HEAD, headers *, and expose ETag.`);
}
console.log(`\nOpen ${demo.url}/ to upload files by each of the three methods. Ctrl+C stops the demo.`);

const stop = async () => {
  await demo.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
