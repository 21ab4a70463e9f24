import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { isBucketName } from '../lib/validate.js';
import { authenticate, authorize } from './auth.js';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  initiateMultipartUpload,
  listParts,
  uploadPart,
} from './multipart.js';
import { checkObjectName, deleteObject, getObject, putObject } from './objects.js';
import type { OssAction } from './policy.js';
import { postObject } from './post-object.js';
import {
  invalidArgument,
  type LocalOssState,
  type ObjectTarget,
  type OssRequest,
  type OssResponse,
  randomHex,
  ServiceError,
} from './state.js';
import { handleSts } from './sts.js';
import { xmlResponse } from './xml.js';

const CORS_METHODS = ['GET', 'PUT', 'POST', 'HEAD', 'DELETE'];
/** Object sub-resources (`?acl`, `?tagging`…) of operations this endpoint does not implement. */
const UNSUPPORTED_SUBRESOURCES = [
  'acl',
  'append',
  'restore',
  'symlink',
  'tagging',
  'versionId',
  'x-oss-process',
];

type ObjectOperation = {
  action: OssAction;
  run: (state: LocalOssState, target: ObjectTarget, request: OssRequest) => OssResponse;
};

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
    const request = readRequest(req, Buffer.concat(chunks));
    response =
      request.headers['x-acs-action'] === undefined ? handleOss(state, request) : handleSts(state, request);
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

function handleOss(state: LocalOssState, request: OssRequest): OssResponse {
  const { bucket, key, method } = request;
  if (bucket === undefined) {
    throw new ServiceError(501, 'NotImplemented', 'The local endpoint serves object operations only.');
  }
  if (!isBucketName(bucket)) {
    throw new ServiceError(400, 'InvalidBucketName', 'The specified bucket is not valid.', {
      BucketName: bucket,
    });
  }
  if (!state.buckets.has(bucket)) {
    throw new ServiceError(404, 'NoSuchBucket', 'The specified bucket does not exist.', {
      BucketName: bucket,
    });
  }
  if (method === 'OPTIONS') return preflight(state, request);
  if (key === undefined) {
    if (method === 'POST') return postObject(state, request, bucket);
    throw new ServiceError(
      501,
      'NotImplemented',
      `The local endpoint does not implement ${method} on a bucket.`,
    );
  }
  const operation = selectOperation(request);
  const principal = authenticate(state, request);
  authorize(state, principal, operation.action, bucket, key);
  checkContentMd5(request);
  return operation.run(state, { bucket, key }, request);
}

function selectOperation(request: OssRequest): ObjectOperation {
  const { method, query, headers } = request;
  const unsupported = UNSUPPORTED_SUBRESOURCES.find((name) => name in query);
  if (unsupported !== undefined || 'x-oss-copy-source' in headers) {
    throw new ServiceError(
      501,
      'NotImplemented',
      `The local endpoint does not implement this operation (${unsupported ?? 'x-oss-copy-source'}).`,
    );
  }
  const upload = 'uploadId' in query;
  switch (method) {
    case 'PUT':
      return { action: 'oss:PutObject', run: upload ? uploadPart : putObject };
    case 'GET':
      return upload
        ? { action: 'oss:ListParts', run: listParts }
        : { action: 'oss:GetObject', run: getObject };
    case 'HEAD':
      return { action: 'oss:GetObject', run: getObject };
    case 'DELETE':
      return upload
        ? { action: 'oss:AbortMultipartUpload', run: abortMultipartUpload }
        : { action: 'oss:DeleteObject', run: deleteObject };
    case 'POST':
      if ('uploads' in query) return { action: 'oss:PutObject', run: initiateMultipartUpload };
      if (upload) return { action: 'oss:PutObject', run: completeMultipartUpload };
  }
  throw new ServiceError(
    405,
    'MethodNotAllowed',
    `The specified method is not allowed against this resource.`,
  );
}

function checkContentMd5(request: OssRequest): void {
  const expected = request.headers['content-md5'];
  if (expected !== undefined && expected !== createHash('md5').update(request.body).digest('base64')) {
    throw new ServiceError(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.');
  }
}

function isAllowedOrigin(state: LocalOssState, origin: string): boolean {
  return state.corsOrigins === '*' || state.corsOrigins.includes(origin);
}

/** What every response to an allowed origin carries, errors included, so pages can read them. */
function corsHeaders(state: LocalOssState, origin: string | undefined): Record<string, string> {
  if (origin === undefined || !isAllowedOrigin(state, origin)) return {};
  return {
    'access-control-allow-origin': state.corsOrigins === '*' ? '*' : origin,
    'access-control-expose-headers': 'ETag, x-oss-request-id',
    vary: 'Origin',
  };
}

function preflight(state: LocalOssState, request: OssRequest): OssResponse {
  const { origin, 'access-control-request-method': method } = request.headers;
  if (origin === undefined) {
    throw new ServiceError(400, 'BadRequest', 'Insufficient information. Origin request header needed.');
  }
  if (method === undefined) {
    throw new ServiceError(
      400,
      'BadRequest',
      'Insufficient information. Request Access-Control-Request-Method header needed.',
    );
  }
  if (!isAllowedOrigin(state, origin) || !CORS_METHODS.includes(method)) {
    throw new ServiceError(
      403,
      'AccessForbidden',
      'CORSResponse: This CORS request is not allowed. The origin or the Access-Control-Request-Method is not in the CORS rules.',
    );
  }
  return {
    status: 200,
    headers: {
      'access-control-allow-methods': CORS_METHODS.join(', '),
      'access-control-allow-headers': request.headers['access-control-request-headers'] ?? '',
      'access-control-max-age': '600',
    },
  };
}

function readRequest(req: IncomingMessage, body: Buffer): OssRequest {
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  const rawPath = queryStart < 0 ? url : url.slice(0, queryStart);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const host = headers.host ?? '';
  return {
    method: req.method ?? 'GET',
    host,
    rawPath,
    ...routeTarget(host, decode(rawPath)),
    query: parseQuery(queryStart < 0 ? '' : url.slice(queryStart + 1)),
    headers,
    body,
  };
}

/**
 * Virtual-host style when the Host is a name of more than one label (`bucket.oss-cn-hangzhou.aliyuncs.com`,
 * `bucket.localhost:9000`): the first label is the bucket and the whole path the key. Otherwise (an IP
 * address, `localhost`) path style: `/bucket/key`.
 */
function routeTarget(host: string, path: string): { bucket: string | undefined; key: string | undefined } {
  const hostname = host.startsWith('[') ? host : host.replace(/:\d*$/, '');
  let bucket: string;
  let key: string;
  if (hostname.includes('.') && isIP(hostname) === 0) {
    bucket = hostname.slice(0, hostname.indexOf('.')).toLowerCase();
    key = path.slice(1);
  } else {
    const rest = path.slice(1);
    const slash = rest.indexOf('/');
    bucket = slash < 0 ? rest : rest.slice(0, slash);
    key = slash < 0 ? '' : rest.slice(slash + 1);
  }
  return { bucket: bucket || undefined, key: key === '' ? undefined : checkObjectName(key) };
}

/** `a=1&b&c=` gives `{ a: '1', b: null, c: '' }`; `+` is a space, as in any form-encoded query. */
function parseQuery(rawQuery: string): Record<string, string | null> {
  const query: Record<string, string | null> = {};
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = decode((equals < 0 ? pair : pair.slice(0, equals)).replace(/\+/g, ' '));
    query[name] = equals < 0 ? null : decode(pair.slice(equals + 1).replace(/\+/g, ' '));
  }
  return query;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalidArgument(`Malformed percent-encoding in the request URL: ${text}`);
  }
}
