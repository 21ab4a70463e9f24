// `npm run demo`: the demo page and its app server, against a local OSS endpoint, or against real OSS when
// the environment variables of docs/examples.md are set (OSS_REGION, OSS_BUCKET,
// ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABA_CLOUD_ROLE_ARN).
import * as library from 'oss-direct-upload';
import { createLocalOss } from 'oss-direct-upload/testing';
import { readOssEnvironment } from '../shared/env.mjs';
import { LOCAL_BUCKET, startDemoApp } from './app.mjs';

let demo;
let target;
try {
  target = readOssEnvironment();
  demo = await startDemoApp({ library, createLocalOss, target, port: Number(process.env.PORT ?? 3000) });
} catch (error) {
  // A half-set environment, a port in use: the message says what to do.
  console.error(error.message);
  process.exit(1);
}

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
