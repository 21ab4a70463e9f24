// The demo's app server: serves one page and signs the three kinds of direct upload for it.
// `npm run demo` runs it against the built package; the browser tests run it against src/.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { closeServer, listen } from '../shared/http-server.mjs';

const require = createRequire(import.meta.url);
const publicFile = (name) => fileURLToPath(new URL(`./public/${name}`, import.meta.url));

/** Every path the page may load, and the only files the server reads. */
const STATIC_FILES = {
  '/': { file: publicFile('index.html'), type: 'text/html; charset=utf-8' },
  '/app.js': { file: publicFile('app.js'), type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: publicFile('style.css'), type: 'text/css; charset=utf-8' },
  // ali-oss's browser build defines the global `OSS`.
  '/vendor/aliyun-oss-sdk.min.js': {
    file: require.resolve('ali-oss/dist/aliyun-oss-sdk.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
};

export const LOCAL_BUCKET = 'local-bucket';
export const LOCAL_ROLE_ARN = 'acs:ram::1000000000000000:role/browser-upload';
const MAX_JSON_BYTES = 16 * 1024;
const PART_SIZE = 1024 * 1024;
/**
 * Every temporary credential handed out lives at least this long: the page's ali-oss refreshes every 5
 * minutes (public/app.js), so it never signs with an expired one.
 */
const MIN_VALIDITY_SECONDS = 900;
/** The page's names for the three upload methods. */
const UPLOAD_METHODS = ['sts', 'post', 'presign'];

/**
 * Starts the app server on `host:port` (default 127.0.0.1, any free port). Without `target` it also starts
 * a local OSS endpoint (with STS) that accepts cross-origin requests from the page; with `target` it signs
 * for that bucket on real OSS.
 */
export async function startDemoApp(options) {
  const { library, createLocalOss, target, host = '127.0.0.1', port = 0, ...appOptions } = options;
  const server = createServer();
  // The page's origin must be known before the endpoint starts: it is the one origin CORS allows.
  const url = await listen(server, port, host);
  const local = target
    ? undefined
    : await createLocalOss({ buckets: [LOCAL_BUCKET], roleArn: LOCAL_ROLE_ARN, corsOrigins: [url] });
  const resolved = target ?? {
    bucket: LOCAL_BUCKET,
    region: local.region,
    endpoint: local.url,
    credentials: local.credentials,
    sts: { roleArn: LOCAL_ROLE_ARN, endpoint: local.stsEndpoint },
  };
  server.on('request', createDemoHandler({ library, ...resolved, ...appOptions }));
  return {
    url,
    local,
    close: async () => {
      await closeServer(server);
      await local?.close();
    },
  };
}

/**
 * The request handler. `bucket`, `region`, `endpoint`, `pathStyle` say where uploads go; `credentials` is
 * the server's long-term key, which signs URLs and forms and calls AssumeRole (options in `sts`).
 */
export function createDemoHandler(options) {
  const { library, credentials, sts, prefix = 'uploads/', maxUploadBytes = 20 * 1024 * 1024 } = options;
  const location = {
    bucket: options.bucket,
    region: options.region,
    endpoint: options.endpoint,
    pathStyle: options.pathStyle,
  };
  const stsProvider = library.createStsCredentialProvider({
    ...sts,
    credentials,
    // The browser's temporary credentials may write under `prefix` and nowhere else.
    policy: library.createUploadPolicy({ bucket: location.bucket, prefix }),
  });
  const sign = (request) => library.presignUrl({ ...location, credentials, ...request });
  /** What the page has uploaded, newest first, as confirmed by a HEAD request to the bucket. */
  const uploads = [];

  const config = {
    bucket: location.bucket,
    target: location.endpoint ?? `oss-${location.region}`,
    prefix,
    maxUploadBytes,
    partSize: PART_SIZE,
    aliOss: aliOssOptions(location),
  };

  const routes = {
    'GET /api/config': () => config,
    'POST /api/sts-credentials': () =>
      stsProvider.getCredentials({ minValiditySeconds: MIN_VALIDITY_SECONDS }),
    'POST /api/post-policy': () => {
      const { url, fields, expiresAt } = library.createPostPolicy({
        ...location,
        credentials,
        keyPrefix: prefix,
        contentLengthRange: [0, maxUploadBytes],
        successActionStatus: 201,
        expiresIn: 600,
      });
      return { url, fields, expiresAt };
    },
    'POST /api/presigned-url': ({ name, type }) => {
      const key = `${prefix}${safeFileName(name)}`;
      const { url, method, headers, expiresAt } = sign({
        method: 'PUT',
        key,
        contentType: typeof type === 'string' && type !== '' ? type : 'application/octet-stream',
        expiresIn: 600,
      });
      return { key, url, method, headers, expiresAt };
    },
    'POST /api/uploads': async ({ key, method }) => {
      if (typeof key !== 'string' || !key.startsWith(prefix)) {
        throw httpError(400, 'InvalidKey', `key must be a string starting with ${prefix}`);
      }
      if (!UPLOAD_METHODS.includes(method)) {
        throw httpError(400, 'InvalidMethod', `method must be one of ${UPLOAD_METHODS.join(', ')}`);
      }
      const head = sign({ method: 'HEAD', key, expiresIn: 60 });
      const response = await fetch(head.url, { method: 'HEAD', headers: head.headers });
      if (!response.ok) throw httpError(404, 'NotStored', `HEAD ${key} answered ${response.status}`);
      const record = {
        key,
        method,
        size: Number(response.headers.get('content-length')),
        contentType: response.headers.get('content-type'),
        etag: response.headers.get('etag'),
        uploadedAt: new Date().toISOString(),
      };
      const previous = uploads.findIndex((upload) => upload.key === key);
      if (previous !== -1) uploads.splice(previous, 1);
      uploads.unshift(record);
      return record;
    },
    // Each listed object comes with a short-lived download link.
    'GET /api/uploads': () =>
      uploads.map((upload) => ({
        ...upload,
        url: sign({ method: 'GET', key: upload.key, expiresIn: 600 }).url,
      })),
  };

  return async function handle(request, response) {
    const path = new URL(request.url ?? '/', 'http://app.invalid').pathname;
    try {
      const route = routes[`${request.method} ${path}`];
      if (route) {
        const body = request.method === 'POST' ? await readJson(request) : {};
        sendJson(response, 200, await route(body));
        return;
      }
      const file = request.method === 'GET' ? STATIC_FILES[path] : undefined;
      if (!file) throw httpError(404, 'NotFound', `no ${request.method} ${path}`);
      response.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' });
      response.end(await readFile(file.file));
    } catch (error) {
      // OssSignError messages name the bad argument and never contain a secret.
      const status = error.status ?? (error.name === 'OssSignError' ? 400 : 500);
      sendJson(response, status, { code: error.code ?? 'InternalError', message: error.message });
    }
  };
}

/**
 * Options for ali-oss in the page. ali-oss puts the bucket in the host name unless the endpoint is an IP
 * address; for an IP endpoint or a path-style one, `sldEnable` makes it send `/bucket/key` instead.
 */
function aliOssOptions({ bucket, region, endpoint, pathStyle }) {
  const options = {
    bucket,
    region: `oss-${region.replace(/^oss-/, '')}`,
    secure: true,
    authorizationV4: true,
  };
  if (endpoint === undefined) return options;
  const { hostname } = new URL(endpoint.includes('://') ? endpoint : `https://${endpoint}`);
  const ipHost = /^[\d.]+$/.test(hostname) || hostname.startsWith('[');
  return { ...options, endpoint, sldEnable: Boolean(pathStyle) || ipHost };
}

/** The last path segment of a browser-supplied name, without control characters. */
function safeFileName(name) {
  const base = String(name ?? '')
    .split(/[/\\]/)
    .pop()
    .replace(/\p{Cc}/gu, '')
    .trim();
  return base === '' || base === '.' || base === '..' ? 'file' : base;
}

function httpError(status, code, message) {
  return Object.assign(new Error(message), { status, code });
}

async function readJson(request) {
  const chunks = [];
  let size = 0;
  for await (const chunk of request) {
    size += chunk.length;
    if (size > MAX_JSON_BYTES) throw httpError(413, 'BodyTooLarge', `JSON body over ${MAX_JSON_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  let value;
  try {
    value = text === '' ? {} : JSON.parse(text);
  } catch {
    throw httpError(400, 'InvalidJson', 'the body is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw httpError(400, 'InvalidJson', 'the body must be a JSON object');
  }
  return value;
}

function sendJson(response, status, value) {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(JSON.stringify(value));
}
