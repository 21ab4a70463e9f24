// `npm run build && node examples/uppy/server.mjs`: Uppy uploading through presigned multipart, against a
// local OSS endpoint, or real OSS when OSS_REGION, OSS_BUCKET, ALIBABA_CLOUD_ACCESS_KEY_ID and
// ALIBABA_CLOUD_ACCESS_KEY_SECRET are set (the bucket's CORS rule must allow the page's origin, methods
// PUT, POST, GET, DELETE, any header, and expose ETag).
import { presignMultipart, presignUrl } from 'oss-direct-upload';
import { createLocalOss } from 'oss-direct-upload/testing';
import { LOCAL_BUCKET, startUppyExample } from './app.mjs';

const env = process.env;
const target = env.OSS_BUCKET && {
  bucket: env.OSS_BUCKET,
  region: env.OSS_REGION,
  credentials: {
    accessKeyId: env.ALIBABA_CLOUD_ACCESS_KEY_ID,
    accessKeySecret: env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
  },
};
const app = await startUppyExample({
  library: { presignMultipart, presignUrl },
  createLocalOss,
  target: target || undefined,
  port: Number(env.PORT ?? 3001),
});
console.log(
  app.local
    ? `Local OSS endpoint (bucket "${LOCAL_BUCKET}"): ${app.local.url}`
    : `Uploading to oss://${target.bucket}`,
);
console.log(`Open ${app.url}/ and choose files. Ctrl+C stops.`);
process.once('SIGINT', () => app.close().then(() => process.exit(0)));
