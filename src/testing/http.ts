import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { type BodyLimit, readBody } from './body.js';
import { corsHeaders } from './cors.js';
import { ServiceError } from './errors.js';
import { wireHeaders } from './headers.js';
import { readRequest } from './request.js';
import { handleOss, ossBodyLimit } from './router.js';
import { type LocalOssState, type OssRequest, type OssResponse, randomHex } from './state.js';
import { handleSts, STS_BODY_LIMIT, stsRefusal } from './sts.js';
import { xmlResponse } from './xml.js';

/** The two services behind the one port, told apart by the `x-acs-action` header of STS calls. */
interface Service {
  bodyLimit(state: LocalOssState, request: Omit<OssRequest, 'body'>): BodyLimit;
  handle(state: LocalOssState, request: OssRequest): OssResponse | Promise<OssResponse>;
  refuse(error: unknown, requestId: string, host: string): OssResponse;
}

const OSS: Service = { bodyLimit: ossBodyLimit, handle: handleOss, refuse: ossRefusal };
const STS: Service = {
  bodyLimit: () => STS_BODY_LIMIT,
  handle: handleSts,
  refuse: (error, _requestId, host) => stsRefusal(error, host),
};

/**
 * Answers one HTTP request. The body is read only once the request line and headers say which operation
 * it is for, up to what that operation takes; a refused body is still drained (by Node once the answer
 * is sent, or by {@link readBody}), so keep-alive clients get an answer, never a reset.
 */
export async function handleHttp(
  state: LocalOssState,
  req: IncomingMessage,
  res: ServerResponse,
  continueExpected = false,
): Promise<void> {
  const requestId = randomHex(12);
  const host = req.headers.host ?? '';
  const service = req.headers['x-acs-action'] === undefined ? OSS : STS;
  let response: OssResponse;
  try {
    const head = readRequest(req, requestId);
    const inviteBody = continueExpected ? () => res.writeContinue() : undefined;
    const body = await readBody(req, service.bodyLimit(state, head), inviteBody);
    // Awaited: an upload with a callback answers once the application has.
    response = await service.handle(state, { ...head, body });
  } catch (error) {
    response = service.refuse(error, requestId, host);
  }
  const headers = {
    server: 'AliyunOSS',
    date: new Date(state.nowMs()).toUTCString(),
    'x-oss-request-id': requestId,
    ...corsHeaders(state, req.headers.origin),
    ...response.headers,
  };
  try {
    res.writeHead(response.status, wireHeaders(headers));
  } catch (error) {
    // A header the endpoint built wrong: its own failure, answered rather than cut.
    const failure = ossRefusal(error, requestId, host);
    res.writeHead(failure.status, { 'x-oss-request-id': requestId, ...failure.headers });
    response = failure;
  }
  res.end(req.method === 'HEAD' ? undefined : response.body);
}

/** OSS's XML error body; what is no ServiceError is the endpoint's own failure. */
function ossRefusal(error: unknown, requestId: string, host: string): OssResponse {
  const refused =
    error instanceof ServiceError
      ? error
      : new ServiceError(500, 'InternalError', `The local endpoint failed: ${(error as Error)?.message}`);
  return xmlResponse(refused.status, 'Error', [
    ['Code', refused.code],
    ['Message', refused.message],
    ['RequestId', requestId],
    ['HostId', host],
    ...Object.entries(refused.extra),
  ]);
}

/**
 * A request Node could not parse (a malformed request line or framing, headers over 16 KiB), or that took
 * longer than Node's header or request timeout, gets OSS's XML error and a graceful close.
 */
export function refuseUnparsable(error: Error & { code?: string; rawPacket?: Buffer }, socket: Socket): void {
  // Node's own rule: no answer once the response in flight on this socket has started (and none to a
  // client that is gone); `_httpMessage` is that response.
  const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const refused =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? new ServiceError(
          400,
          'RequestTimeout',
          'Your socket connection to the server was not read from or written to within the timeout period.',
        )
      : new ServiceError(
          400,
          'InvalidRequest',
          error.code === 'HPE_HEADER_OVERFLOW'
            ? 'The request headers exceed 16 KiB.'
            : `The request is not well-formed HTTP/1.1 (${error.code ?? 'unknown'}).`,
        );
  // The answer to a HEAD has no body (its length is still told).
  const head = error.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
  answerAndClose(socket, refused, 'Bad Request', head);
}

/** A CONNECT request, which Node hands over with its socket: OSS is no proxy. */
export function refuseConnect(_req: IncomingMessage, socket: Socket): void {
  const refused = new ServiceError(
    405,
    'MethodNotAllowed',
    'The specified method is not allowed against this resource.',
  );
  answerAndClose(socket, refused, 'Method Not Allowed', false);
}

/**
 * An XML error written on the socket itself, then a graceful close; what the client still sends is read
 * and dropped, since closing a socket with unread data resets it.
 */
function answerAndClose(socket: Socket, refused: ServiceError, reason: string, head: boolean): void {
  const body = Buffer.from(ossRefusal(refused, randomHex(12), '').body ?? '');
  socket.end(
    `HTTP/1.1 ${refused.status} ${reason}\r\nServer: AliyunOSS\r\nContent-Type: application/xml\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${head ? '' : body}`,
  );
  socket.resume();
}
