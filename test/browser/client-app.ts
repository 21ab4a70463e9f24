/**
 * What the browser client's tests run against: the client built with the package's tsup settings, a page
 * server that signs with src/ (presignMultipart, presignUrl, createPostPolicy), the local OSS endpoint on
 * another origin, and a proxy in front of it that can cut, fail, stall or rewrite one chosen request.
 */
import { readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { createPostPolicy, OssSignError, presignMultipart, presignUrl } from '../../src/index.js';
import { createLocalOss, type LocalOss } from '../../src/testing/index.js';
import { buildDir } from '../support/build-dir.js';

export const BUCKET = 'local-bucket';
const root = fileURLToPath(new URL('../..', import.meta.url));

/** Builds `oss-direct-upload/client` as `npm run build` does, into a temporary directory. */
export async function buildClient(): Promise<{ code: string; remove: () => Promise<void> }> {
  const outDir = await buildDir('client-browser');
  const cwd = process.cwd();
  process.chdir(root);
  try {
    await build({ config: 'tsup.client.config.ts', outDir, dts: false, silent: true });
  } finally {
    process.chdir(cwd);
  }
  return {
    code: await readFile(join(outDir, 'client.js'), 'utf8'),
    remove: () => rm(outDir, { recursive: true, force: true }),
  };
}

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * `cut`: drop the connection halfway through the request body (after a pause). `fail`: answer 500 with OSS's XML.
 * `stall`: never answer. `callbackFailed`: forward, then answer as OSS does when the upload callback fails.
 */
export type Fault = 'cut' | 'fail' | 'stall' | 'callbackFailed';

export interface ProxiedRequest {
  method: string;
  url: string;
  status: number;
}

export interface FaultProxy {
  url: string;
  /** Requests answered (by the endpoint or a fault), in order; preflights left out. */
  answered: ProxiedRequest[];
  /** The most PUT requests in flight at once since the last reset. */
  readonly maxInFlight: number;
  /** Applies `fault` to requests matching `match` (`times` of them, default 1). */
  inject(fault: Fault, match: (method: string, url: string) => boolean, times?: number): void;
  /** Drops stalled requests and pending faults. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * Every answer closes its connection: Chrome silently resends a request that fails on a reused keep-alive
 * connection, which would hide a cut from the page.
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const faults: { fault: Fault; match: (method: string, url: string) => boolean; times: number }[] = [];
  const stalled: IncomingMessage[] = [];
  const answered: ProxiedRequest[] = [];
  const upstream = new URL(target);
  let inFlight = 0;
  let maxInFlight = 0;

  const record = (req: IncomingMessage, status: number) => {
    if (req.method !== 'OPTIONS') answered.push({ method: req.method ?? '', url: req.url ?? '', status });
  };
  const cors = (req: IncomingMessage) => ({
    'access-control-allow-origin': req.headers.origin ?? '*',
    'access-control-expose-headers': 'ETag, x-oss-request-id',
    connection: 'close',
  });

  const forward = (req: IncomingMessage, res: ServerResponse, rewrite?: (status: number) => boolean) => {
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (response) => {
        const status = response.statusCode ?? 502;
        if (rewrite?.(status)) {
          response.resume();
          const body =
            '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>CallbackFailed</Code><Message>Error status : 502.</Message><RequestId>5C3D9175B6FC201293AD****</RequestId><HostId>local</HostId></Error>';
          res.writeHead(203, {
            ...cors(req),
            'content-type': 'application/xml',
            etag: response.headers.etag ?? '',
          });
          res.end(body);
          record(req, 203);
          return;
        }
        res.writeHead(status, { ...response.headers, connection: 'close' });
        response.pipe(res);
        record(req, status);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  };

  const server = createServer((req, res) => {
    const method = req.method ?? '';
    if (method === 'PUT') {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      res.on('close', () => inFlight--);
    }
    const index = method === 'OPTIONS' ? -1 : faults.findIndex((f) => f.match(method, req.url ?? ''));
    const fault = faults[index];
    if (fault === undefined) return forward(req, res);
    if (--fault.times === 0) faults.splice(index, 1);
    switch (fault.fault) {
      case 'cut': {
        const half = Number(req.headers['content-length'] ?? 0) / 2;
        let received = 0;
        req.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received >= half && !req.isPaused()) {
            // A pause first, so the page sees progress for bytes that are then lost.
            req.pause();
            setTimeout(() => {
              record(req, 0);
              req.socket.destroy();
            }, 200);
          }
        });
        return;
      }
      case 'fail':
        readBody(req).then(() => {
          res.writeHead(500, { ...cors(req), 'content-type': 'application/xml' });
          res.end(
            '<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>',
          );
          record(req, 500);
        });
        return;
      case 'stall':
        stalled.push(req);
        return;
      case 'callbackFailed':
        return forward(req, res, (status) => status < 300);
    }
  });
  const url = await listen(server);
  return {
    url,
    answered,
    get maxInFlight() {
      return maxInFlight;
    },
    inject(fault, match, times = 1) {
      faults.push({ fault, match, times });
    },
    reset() {
      faults.length = 0;
      maxInFlight = inFlight;
      for (const req of stalled.splice(0)) req.socket.destroy();
    },
    close: () => close(server),
  };
}

/** The page: the built client on `window.client`, and helpers to make files and call the signing route. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>client</title>
<script type="module">
import * as client from '/client.js';
window.client = client;
// The same bytes for the same seed, so a reloaded page can rebuild the file it was uploading.
// Random bytes, or (with a seed) the same bytes for the same seed, so a reloaded page can rebuild its file.
window.makeFile = (size, seed, name = 'file.bin', type = 'application/octet-stream') => {
  const words = new Uint32Array(Math.ceil(size / 4));
  if (seed === undefined) {
    for (let i = 0; i < words.length; i += 16384) crypto.getRandomValues(words.subarray(i, i + 16384));
  } else {
    let x = seed >>> 0 || 1;
    for (let i = 0; i < words.length; i++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      words[i] = x;
    }
  }
  return new File([new Uint8Array(words.buffer, 0, size)], name, { type });
};
window.sha256 = async (blob) => {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
};
window.sign = async (fn, options) => {
  const response = await fetch('/sign', { method: 'POST', body: JSON.stringify({ fn, options }) });
  const body = await response.json();
  if (!response.ok) throw Object.assign(new Error(body.message), { code: body.code });
  return body;
};
document.body.dataset.ready = 'true';
</script>`;

export interface ClientApp {
  url: string;
  local: LocalOss;
  proxy: FaultProxy;
  /** V1 list URLs get `max-parts` (V1 leaves it unsigned): forces ListParts to page. */
  listMaxParts: number | undefined;
  close(): Promise<void>;
}

const SIGNERS = { presignMultipart, presignUrl, createPostPolicy } as const;

export async function startClientApp(clientCode: string): Promise<ClientApp> {
  const server = createServer();
  const url = await listen(server);
  const local = await createLocalOss({ buckets: [BUCKET], corsOrigins: [url] });
  const proxy = await startFaultProxy(local.url);
  const app: ClientApp = {
    url,
    local,
    proxy,
    listMaxParts: undefined,
    close: async () => {
      proxy.reset();
      await close(server);
      await proxy.close();
      await local.close();
    },
  };
  const location = {
    bucket: BUCKET,
    region: local.region,
    endpoint: proxy.url,
    credentials: local.credentials,
  };

  server.on('request', async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' && (req.url === '/' || req.url === '/client.js')) {
      const page = req.url === '/';
      res.writeHead(200, { 'content-type': page ? 'text/html; charset=utf-8' : 'text/javascript' });
      return res.end(page ? PAGE : clientCode);
    }
    if (req.method !== 'POST' || req.url !== '/sign') {
      res.writeHead(404);
      return res.end();
    }
    const { fn, options } = JSON.parse((await readBody(req)).toString('utf8')) as {
      fn: keyof typeof SIGNERS;
      options: Record<string, unknown>;
    };
    try {
      const now = typeof options.now === 'string' ? { now: new Date(options.now) } : {};
      const signed = (SIGNERS[fn] as (o: object) => { url: string })({ ...location, ...options, ...now });
      if (options.step === 'list' && options.signatureVersion === 'v1' && app.listMaxParts) {
        signed.url += `&max-parts=${app.listMaxParts}`;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(signed));
    } catch (error) {
      res.writeHead(error instanceof OssSignError ? 400 : 500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: (error as OssSignError).code, message: (error as Error).message }));
    }
  });
  return app;
}
