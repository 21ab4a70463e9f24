// STS direct upload, server side: one route hands each signed-in user temporary credentials that can only
// write under that user's prefix; the page (index.html) uploads with ali-oss, straight to OSS.
//
//   npm run build
//   ALIBABA_CLOUD_ACCESS_KEY_ID=... ALIBABA_CLOUD_ACCESS_KEY_SECRET=... \
//   STS_ROLE_ARN=acs:ram::<account id>:role/<role name> OSS_BUCKET=<bucket> OSS_REGION=cn-hangzhou \
//   node examples/sts/server.mjs
//
// The key pair is a RAM user's that may call sts:AssumeRole on that role (see the README); on ECS or with
// a profile, leave the two variables out: @alicloud/credentials' default chain finds the identity.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { createStsCredentialProvider, createUploadPolicy, OssSignError } from 'oss-direct-upload';

const { STS_ROLE_ARN, OSS_BUCKET, OSS_REGION = 'cn-hangzhou', PORT = '3000' } = process.env;
if (!STS_ROLE_ARN || !OSS_BUCKET) {
  console.error('Set STS_ROLE_ARN and OSS_BUCKET (and OSS_REGION, default cn-hangzhou).');
  process.exit(1);
}

/** Every token handed out lives at least this long; the page refreshes well before (index.html). */
const MIN_VALIDITY_SECONDS = 900;

const provider = createStsCredentialProvider({
  roleArn: STS_ROLE_ARN,
  region: OSS_REGION,
  durationSeconds: 3600,
  // STS_ENDPOINT, a base URL, points it elsewhere: 'https://sts-vpc.cn-hangzhou.aliyuncs.com', or a local
  // STS such as createLocalOss's ('http://127.0.0.1:PORT').
  endpoint: process.env.STS_ENDPOINT,
  // Background refreshes that fail are hidden while cached credentials still serve: log them.
  onRefreshError: (error) => console.warn(`STS refresh failed: ${error.message}`),
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
      policy: createUploadPolicy({ bucket: OSS_BUCKET, prefix }),
      minValiditySeconds: MIN_VALIDITY_SECONDS,
    });
    // ali-oss wants the region as 'oss-<region>'.
    sendJson(response, 200, { ...credentials, region: `oss-${OSS_REGION}`, bucket: OSS_BUCKET, prefix });
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
server.listen(Number(PORT), '127.0.0.1', () => console.log(`http://127.0.0.1:${PORT}/`));
