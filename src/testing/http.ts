import type { IncomingMessage, ServerResponse } from 'node:http';
import { corsHeaders } from './cors.js';
import { ServiceError } from './errors.js';
import { readRequest } from './request.js';
import { handleOss } from './router.js';
import { type LocalOssState, type OssResponse, randomHex } from './state.js';
import { handleSts } from './sts.js';
import { xmlResponse } from './xml.js';

/** Answers one HTTP request: STS when it carries `x-acs-action`, OSS otherwise. */
export async function handleHttp(
  state: LocalOssState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  // The whole body is read first, even for a request about to be refused, so keep-alive clients that are
  // still sending never see the connection cut.
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const requestId = randomHex(12);
  const host = req.headers.host ?? '';
  let response: OssResponse;
  try {
    const request = readRequest(req, Buffer.concat(chunks), requestId);
    // Awaited: an upload with a callback answers once the application has.
    response = await (request.headers['x-acs-action'] === undefined
      ? handleOss(state, request)
      : handleSts(state, request));
  } catch (error) {
    response = errorResponse(error, requestId, host);
  }
  res.writeHead(response.status, {
    server: 'AliyunOSS',
    date: new Date(state.now()).toUTCString(),
    'x-oss-request-id': requestId,
    ...corsHeaders(state, req.headers.origin),
    ...response.headers,
  });
  res.end(req.method === 'HEAD' ? undefined : response.body);
}

function errorResponse(error: unknown, requestId: string, host: string): OssResponse {
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
