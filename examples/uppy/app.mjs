// The example's app server: the page (bundled with esbuild at start) and the signing route for Uppy.
// `node examples/uppy/server.mjs` runs it against the built package; the browser test against src/.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { signUppyRequest } from './sign-uppy-request.mjs';

export const LOCAL_BUCKET = 'local-bucket';
const MAX_JSON_BYTES = 16 * 1024;
const here = (name) => fileURLToPath(new URL(name, import.meta.url));

/**
 * Starts the app on `host:port` (default 127.0.0.1, any free port). Without `target` it also starts a local
 * OSS endpoint that accepts the page's origin; with `target` ({ bucket, region, endpoint?, credentials })
 * it signs for that bucket. `library` holds presignMultipart and presignUrl.
 */
export async function startUppyExample({ library, createLocalOss, target, host = '127.0.0.1', port = 0 }) {
  const bundle = await build({
    entryPoints: [here('./page.mjs')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  const files = {
    '/': { type: 'text/html; charset=utf-8', body: await readFile(here('./index.html')) },
    '/page.js': { type: 'text/javascript; charset=utf-8', body: bundle.outputFiles[0].contents },
  };
  const server = createServer();
  const url = await new Promise((resolve) =>
    server.listen(port, host, () => resolve(`http://${host}:${server.address().port}`)),
  );
  const local = target ? undefined : await createLocalOss({ buckets: [LOCAL_BUCKET], corsOrigins: [url] });
  const options = {
    prefix: 'uploads/',
    ...(target ?? {
      bucket: LOCAL_BUCKET,
      region: local.region,
      endpoint: local.url,
      credentials: local.credentials,
    }),
  };

  server.on('request', async (request, response) => {
    const send = (status, type, body) => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    try {
      if (request.method === 'POST' && request.url === '/api/uppy/sign') {
        const signed = signUppyRequest(library, options, await readJson(request));
        return send(200, 'application/json', JSON.stringify(signed));
      }
      const file = request.method === 'GET' ? files[request.url] : undefined;
      if (file) return send(200, file.type, file.body);
      send(404, 'text/plain', 'not found');
    } catch (error) {
      // OssSignError messages name the bad argument and never contain a secret.
      const status = error.status ?? (error.name === 'OssSignError' ? 400 : 500);
      send(status, 'application/json', JSON.stringify({ code: error.code, message: error.message }));
    }
  });

  return {
    url,
    local,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await local?.close();
    },
  };
}

async function readJson(request) {
  let text = '';
  for await (const chunk of request) {
    text += chunk;
    if (text.length > MAX_JSON_BYTES) throw Object.assign(new Error('body too large'), { status: 413 });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw Object.assign(new Error('the body is not JSON'), { status: 400 });
  }
}
