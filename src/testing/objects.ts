import { createHash } from 'node:crypto';
import { OssSignError } from '../errors.js';
import { encodeKeyPath } from '../oss/encode.js';
import { checkKey } from '../oss/names.js';
import { performCallback } from './callback/perform.js';
import { requestCallback } from './callback/read.js';
import { invalidArgument, ServiceError } from './errors.js';
import { checkHeaderText, objectHeadersFrom } from './headers.js';
import type { LocalOssState, ObjectTarget, OssRequest, OssResponse, StoredObject } from './state.js';

/** GetObject query parameters that override a response header, as OSS allows on signed requests. */
const RESPONSE_OVERRIDES = [
  'content-type',
  'content-language',
  'expires',
  'cache-control',
  'content-disposition',
  'content-encoding',
];

/** OSS's object naming rules, the library's own (1-1023 UTF-8 bytes, no leading slash or backslash). */
export function checkObjectName(key: string): string {
  try {
    return checkKey(key);
  } catch (error) {
    if (!(error instanceof OssSignError)) throw error;
    throw new ServiceError(400, 'InvalidObjectName', `The specified object is not valid: ${error.message}.`, {
      Key: key,
    });
  }
}

/** The object's URL in the addressing style of the request (its Host), the key percent-encoded. */
export function objectLocation(host: string, target: ObjectTarget): string {
  const virtualHost = host.toLowerCase().startsWith(`${target.bucket}.`);
  return `http://${host}${virtualHost ? '' : `/${target.bucket}`}/${encodeKeyPath(target.key)}`;
}

/** `x-oss-forbid-overwrite` (a header, or a PostObject field): `true` or `false` (EC 0017-00000279). */
export function forbidsOverwrite(value: string | undefined): boolean {
  const flag = value?.toLowerCase();
  if (flag === undefined || flag === 'false') return false;
  if (flag === 'true') return true;
  throw invalidArgument('x-oss-forbid-overwrite must be true or false.', { EC: '0017-00000279' });
}

/** OSS's ETag of a simply uploaded object or part: the quoted upper-case hex MD5. */
export function md5Etag(body: Buffer): string {
  return `"${createHash('md5').update(body).digest('hex').toUpperCase()}"`;
}

/** Stores the object, unless it would replace one that the request forbids overwriting. */
export function storeObject(
  state: LocalOssState,
  target: ObjectTarget,
  object: {
    body: Buffer;
    headers: Record<string, string>;
    etag: string;
    type: 'Normal' | 'Multipart';
    forbidOverwrite: boolean;
  },
): void {
  const bucket = state.buckets.get(target.bucket);
  if (object.forbidOverwrite && bucket?.has(target.key)) throw fileAlreadyExists(target);
  bucket?.set(target.key, {
    body: object.body,
    headers: {
      ...object.headers,
      etag: object.etag,
      'last-modified': new Date(state.nowMs()).toUTCString(),
      'x-oss-object-type': object.type,
    },
  });
}

export function putObject(
  state: LocalOssState,
  target: ObjectTarget,
  request: OssRequest,
): OssResponse | Promise<OssResponse> {
  const callback = requestCallback(request); // a bad one is refused before anything is stored
  const etag = md5Etag(request.body);
  const headers = objectHeadersFrom(request.headers);
  const forbidOverwrite = forbidsOverwrite(request.headers['x-oss-forbid-overwrite']);
  storeObject(state, target, { body: request.body, headers, etag, type: 'Normal', forbidOverwrite });
  if (callback === undefined) return { status: 200, headers: { etag } };
  return performCallback(state, callback, request, {
    operation: 'PutObject',
    ...target,
    etag,
    body: request.body,
    contentType: headers['content-type'] as string,
  });
}

/** GetObject and HeadObject; the router leaves the body out of a HEAD response. */
export function getObject(
  state: LocalOssState,
  target: ObjectTarget,
  request: { query: Readonly<Record<string, string | null>>; headers: Readonly<Record<string, string>> },
): OssResponse {
  const object = findObject(state, target);
  const size = object.body.length;
  const headers: Record<string, string> = { ...object.headers, 'accept-ranges': 'bytes' };
  for (const name of RESPONSE_OVERRIDES) {
    const override = request.query[`response-${name}`];
    if (override) headers[name] = checkHeaderText(`response-${name}`, override);
  }
  const range = byteRange(request.headers.range, size);
  if (range === undefined) {
    headers['content-length'] = String(size);
    return { status: 200, headers, body: object.body };
  }
  const [first, last] = range;
  headers['content-range'] = `bytes ${first}-${last}/${size}`;
  headers['content-length'] = String(last - first + 1);
  return { status: 206, headers, body: object.body.subarray(first, last + 1) };
}

/**
 * The first and last byte of a single `bytes=` range. Like OSS, a malformed or multiple range is ignored
 * (`undefined`: the whole object), and one starting past the end is `InvalidRange`.
 */
function byteRange(header: string | undefined, size: number): [number, number] | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  const [, from = '', to = ''] = match ?? [];
  if (!match || (from === '' && to === '')) return undefined;
  if (from === '') {
    // "bytes=-N": the last N bytes.
    const suffix = Number(to);
    return suffix === 0 || size === 0 ? undefined : [Math.max(0, size - suffix), size - 1];
  }
  const first = Number(from);
  const last = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (to !== '' && Number(to) < first) return undefined;
  if (first >= size) {
    throw new ServiceError(416, 'InvalidRange', 'The requested range cannot be satisfied.', {
      ActualObjectSize: String(size),
    });
  }
  return [first, last];
}

export function deleteObject(state: LocalOssState, target: ObjectTarget): OssResponse {
  state.buckets.get(target.bucket)?.delete(target.key);
  return { status: 204 };
}

export function fileAlreadyExists(target: ObjectTarget): ServiceError {
  return new ServiceError(
    409,
    'FileAlreadyExists',
    'The object you specified already exists and can not be overwritten.',
    { Key: target.key },
  );
}

function findObject(state: LocalOssState, target: ObjectTarget): StoredObject {
  const object = state.buckets.get(target.bucket)?.get(target.key);
  if (object === undefined) {
    throw new ServiceError(404, 'NoSuchKey', 'The specified key does not exist.', { Key: target.key });
  }
  return object;
}
