// The callback route, as a Pages Router API route beside the app router's handlers: a route handler's
// answer goes out in chunks without Content-Length (Next.js drops that header), and OSS counts a reply
// without one as a failed callback (203). Here the answer goes out whole, with its length.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { configuredUploads } from '../../../shared/configured-uploads.js';
import { errorResponse, HttpError } from '../../../shared/errors.js';
import { MAX_CALLBACK_BYTES, readBody } from '../../../shared/read-body.js';

// The signature covers the raw body: Next.js must not parse it. Verifying needs node:crypto (RSA with MD5),
// which API routes have.
export const config = { api: { bodyParser: false } };

export default async function ossCallback(request: IncomingMessage, response: ServerResponse): Promise<void> {
  let answer: { status: number; body: unknown };
  try {
    if (request.method !== 'POST')
      throw new HttpError(405, 'MethodNotAllowed', 'the callback route takes POST');
    const body = await readBody(request, MAX_CALLBACK_BYTES);
    const reply = await configuredUploads().receiveCallback({
      url: request.url ?? '/',
      headers: request.headers,
      body,
    });
    answer = { status: 200, body: reply };
  } catch (error) {
    answer = errorResponse(error);
  }
  const text = JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}
