// STS direct upload, server side: one route hands each signed-in user temporary credentials that can only
// write under that user's prefix; the page (index.html) uploads with ali-oss, straight to OSS.
//
//   npm run build && node examples/sts/server.mjs
//
// Without environment variables it runs against a local OSS endpoint (with an STS AssumeRole API) started
// in this process; with OSS_REGION, OSS_BUCKET, ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET
// and ALIBABA_CLOUD_ROLE_ARN set, against real OSS (docs/examples.md; the key pair is a RAM user's that may
// call sts:AssumeRole on that role, docs/sts.md).
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { createStsCredentialProvider, createUploadPolicy, OssSignError } from 'oss-direct-upload';
import { closeServer, listen } from '../shared/http-server.mjs';
import { describeTarget, openTarget } from '../shared/target.mjs';

/** Every token handed out lives at least this long; the page refreshes well before (index.html). */
const MIN_VALIDITY_SECONDS = 900;

let opened;
try {
  opened = await openTarget();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
const { target } = opened;
const endpoint = target.endpoint ?? `https://oss-${target.region}.aliyuncs.com`;

const provider = createStsCredentialProvider({
  roleArn: target.sts.roleArn,
  endpoint: target.sts.endpoint,
  credentials: target.credentials,
  durationSeconds: 3600,
  // Background refreshes that fail are hidden while cached credentials still serve: log them.
  onRefreshError: (error) => console.warn(`STS refresh failed: ${error.code}: ${error.message}`),
});

/** Stands in for your session lookup: the prefix must come from who is signed in, never from the request. */
function signedInUser(_request) {
  return 'demo-user';
}

async function sendCredentials(request, response) {
  const userId = signedInUser(request);
  if (!userId) return sendJson(response, 401, { error: 'sign in first' });
  const prefix = `uploads/${userId}/`;
  try {
    const credentials = await provider.getCredentials({
      policy: createUploadPolicy({ bucket: target.bucket, prefix }),
      minValiditySeconds: MIN_VALIDITY_SECONDS,
    });
    sendJson(response, 200, {
      ...credentials,
      bucket: target.bucket,
      region: target.region,
      endpoint,
      prefix,
    });
  } catch (error) {
    // OssSignError messages never hold a secret, so they may be logged; the browser only gets the code.
    console.error(error instanceof OssSignError ? `${error.code}: ${error.message}` : error);
    sendJson(response, 503, { error: error instanceof OssSignError ? error.code : 'INTERNAL' });
  }
}

function sendJson(response, status, body) {
  // Temporary credentials must not be cached by browsers or proxies.
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

const require = createRequire(import.meta.url);
const files = {
  '/': { path: new URL('./index.html', import.meta.url), type: 'text/html; charset=utf-8' },
  '/ali-oss.js': { path: require.resolve('ali-oss/dist/aliyun-oss-sdk.min.js'), type: 'text/javascript' },
};

const server = createServer(async (request, response) => {
  const { pathname } = new URL(request.url ?? '/', 'http://localhost');
  if (request.method === 'GET' && pathname === '/api/sts-credentials')
    return sendCredentials(request, response);
  const file = request.method === 'GET' ? files[pathname] : undefined;
  if (!file) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { 'content-type': file.type });
  response.end(await readFile(file.path));
});

try {
  const url = await listen(server, Number(process.env.PORT ?? 3000), '127.0.0.1');
  console.log(`${describeTarget(opened, url)}\n\nOpen ${url}/ to upload with ali-oss. Ctrl+C stops.`);
} catch (error) {
  console.error(error.message);
  await opened.close();
  process.exit(1);
}
process.once('SIGINT', async () => {
  await closeServer(server);
  await opened.close();
  process.exit(0);
});
