// Alibaba Cloud Function Compute 3.0, built-in Node.js runtime, HTTP trigger: FC hands the function each
// request as a JSON event (in a Buffer) and turns the object it returns into the response. Deploy it bundled
// (docs/examples.md) with the handler `index.handler` and the environment variables set on the function;
// serve the page from elsewhere (OSS static hosting, a CDN). local.ts runs it on this machine.
import { configuredUploads } from '../shared/configured-uploads.js';
import { errorResponse, HttpError } from '../shared/errors.js';
import { MAX_JSON_BYTES } from '../shared/read-body.js';
import type { Uploads } from '../shared/uploads.js';
import { signedInUser } from '../shared/user.js';

/** The HTTP trigger's event (FC 3.0, "Use an HTTP trigger to invoke a function": request struct). */
export interface FcHttpEvent {
  version: 'v1';
  /** The path as requested, still URL-encoded. */
  rawPath: string;
  /** Base64 when `isBase64Encoded` (a binary body), else the text. */
  body: string;
  isBase64Encoded: boolean;
  /** Repeated headers and query parameters arrive joined with ','. */
  headers: Record<string, string>;
  queryParameters: Record<string, string>;
  requestContext: {
    accountId: string;
    domainName: string;
    domainPrefix: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    time: string;
    timeEpoch: string;
  };
}

/** What the function returns; FC sends it as the HTTP response (response struct). */
export interface FcHttpResponse {
  statusCode: number;
  headers?: Record<string, string>;
  isBase64Encoded?: boolean;
  body: string;
}

/** The part of FC's context object this handler reads. */
export interface FcContext {
  requestId: string;
}

type Route = (uploads: Uploads, event: FcHttpEvent) => unknown;

const ROUTES = new Map<string, Route>([
  ['POST /api/sts-credentials', (uploads, event) => uploads.stsCredentials(signedInUser(event))],
  ['POST /api/post-policy', (uploads, event) => uploads.postPolicy(signedInUser(event))],
  ['POST /api/presigned-url', (uploads, event) => uploads.presignedUrl(signedInUser(event), jsonBody(event))],
  ['POST /api/multipart', (uploads, event) => uploads.multipart(signedInUser(event), jsonBody(event))],
  [
    'POST /api/oss-callback',
    (uploads, event) =>
      uploads.receiveCallback({ url: requestTarget(event), headers: event.headers, body: bodyBytes(event) }),
  ],
]);

/** The FC handler for `uploads` (by default: the target the function's environment variables describe). */
export function createHandler(getUploads: () => Uploads = configuredUploads) {
  return async (rawEvent: Buffer, _context: FcContext): Promise<FcHttpResponse> => {
    try {
      const event = JSON.parse(rawEvent.toString('utf8')) as FcHttpEvent;
      const route = ROUTES.get(`${event.requestContext.http.method} ${event.rawPath}`);
      if (!route)
        throw new HttpError(404, 'NotFound', `no ${event.requestContext.http.method} ${event.rawPath}`);
      return json(200, await route(getUploads(), event));
    } catch (error) {
      const { status, body } = errorResponse(error);
      return json(status, body);
    }
  };
}

export const handler = createHandler();

function json(statusCode: number, value: unknown): FcHttpResponse {
  // Temporary credentials and signatures must not be cached.
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    isBase64Encoded: false,
    body: JSON.stringify(value),
  };
}

function bodyBytes(event: FcHttpEvent): Buffer {
  return Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
}

function jsonBody(event: FcHttpEvent): unknown {
  if (bodyBytes(event).length > MAX_JSON_BYTES) {
    throw new HttpError(413, 'BodyTooLarge', `the body must be at most ${MAX_JSON_BYTES} bytes`);
  }
  try {
    return JSON.parse(bodyBytes(event).toString('utf8'));
  } catch {
    throw new HttpError(400, 'InvalidBody', 'the body must be JSON');
  }
}

/**
 * The path and query OSS called, which its callback signature covers. FC gives the query only parsed, so it
 * is written back in order; keep a callback URL's query to plain `name=value` pairs for it to verify.
 */
function requestTarget(event: FcHttpEvent): string {
  const query = new URLSearchParams(event.queryParameters).toString();
  return query ? `${event.rawPath}?${query}` : event.rawPath;
}
