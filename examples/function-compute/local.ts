// Function Compute on this machine: a Node server that turns each request into the HTTP trigger's event,
// calls the handler as FC would, and sends what it returns. It also serves the page, which a deployed
// function leaves to static hosting.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { errorResponse } from '../shared/errors.js';
import { loadPageAssets, type PageAssets } from '../shared/page-assets.js';
import { readBody } from '../shared/read-body.js';
import { type StartExample, serveUploads } from '../shared/start.js';
import { createHandler, type FcHttpEvent } from './index.js';

/** FC passes these content types as text; any other body arrives base64-encoded. */
const TEXT_BODY = /^(text\/|application\/(json|x-www-form-urlencoded|xml)\b)/i;
/** FC's limit for the body of a synchronous HTTP invocation. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export const start: StartExample = async (options) => {
  const page = await loadPageAssets();
  return serveUploads(options, (uploads) =>
    listener(
      createHandler(() => uploads),
      page,
    ),
  );
};

/** The HTTP trigger in front of `handler`, and the page. */
function listener(handler: ReturnType<typeof createHandler>, page: PageAssets): RequestListener {
  return async (request, response) => {
    try {
      const asset =
        request.method === 'GET'
          ? page.get(new URL(request.url ?? '/', 'http://fc.invalid').pathname)
          : undefined;
      if (asset) {
        response.writeHead(200, { 'content-type': asset.type }).end(asset.body);
        return;
      }
      const event = toEvent(request, await readBody(request, MAX_BODY_BYTES));
      const result = await handler(Buffer.from(JSON.stringify(event)), {
        requestId: event.requestContext.requestId,
      });
      const body = Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
      // FC sends the body whole, with its Content-Length (a header functions may not set): OSS takes a
      // callback reply only with one.
      response.writeHead(result.statusCode, { ...result.headers, 'content-length': body.length }).end(body);
    } catch (error) {
      sendError(response, error);
    }
  };
}

function sendError(response: ServerResponse, error: unknown): void {
  const { status, body } = errorResponse(error);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

/** The event FC 3.0 builds for a request to an HTTP trigger. */
function toEvent(request: IncomingMessage, body: Uint8Array): FcHttpEvent {
  const url = new URL(request.url ?? '/', 'http://fc.invalid');
  // Maps, then own properties: a name such as __proto__ must stay a name.
  const headers: Record<string, string> = Object.fromEntries(
    Object.entries(request.headers).flatMap(([name, value]) =>
      value === undefined ? [] : [[name, Array.isArray(value) ? value.join(',') : value]],
    ),
  );
  const query = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    const previous = query.get(name);
    query.set(name, previous === undefined ? value : `${previous},${value}`);
  }
  const queryParameters = Object.fromEntries(query);
  const text = TEXT_BODY.test(headers['content-type'] ?? '');
  const now = new Date();
  return {
    version: 'v1',
    rawPath: url.pathname,
    body: Buffer.from(body).toString(text ? 'utf8' : 'base64'),
    isBase64Encoded: !text,
    headers,
    queryParameters,
    requestContext: {
      accountId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: request.method ?? 'GET',
        path: decodePath(url.pathname),
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      time: now.toISOString().replace(/\.\d+Z$/, 'Z'),
      timeEpoch: String(now.getTime()),
    },
  };
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
