import { createHash } from 'node:crypto';
import { isBucketName } from '../oss/names.js';
import type { OssAction } from '../oss/ram-policy.js';
import { authenticate } from './auth/index.js';
import { authorize } from './auth/principal.js';
import type { BodyLimit } from './body.js';
import { PUBLIC_KEY_FILE } from './callback/key.js';
import { preflight } from './cors.js';
import { invalidArgument, ServiceError } from './errors.js';
import { FORM_OVERHEAD, MAX_COMPLETE_BODY, MAX_FORM_FIELDS, MAX_SMALL_BODY } from './limits.js';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  initiateMultipartUpload,
  listParts,
  uploadPart,
} from './multipart.js';
import { deleteObject, getObject, putObject } from './objects.js';
import { postObject } from './post-object/index.js';
import type { LocalOssState, ObjectTarget, OssRequest, OssResponse } from './state.js';

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
  run: (
    state: LocalOssState,
    target: ObjectTarget,
    request: OssRequest,
  ) => OssResponse | Promise<OssResponse>;
};

/**
 * The most body the operation a request names can take, known from its line and headers: an object or a
 * part, a form with its fields, a CompleteMultipartUpload list, or next to nothing.
 */
export function ossBodyLimit(state: LocalOssState, request: Omit<OssRequest, 'body'>): BodyLimit {
  const { method, key, query } = request;
  const tooLarge = (max: number) => () =>
    new ServiceError(
      400,
      'EntityTooLarge',
      `Your proposed upload exceeds the maximum allowed size: this local endpoint keeps at most ${max} bytes (its maxObjectSize option).`,
    );
  const tooLong = (max: number) => () =>
    invalidArgument(`The request body exceeds ${max} bytes, the most this operation takes.`);
  if (method === 'PUT' && key !== undefined)
    return { max: state.maxObjectSize, tooLarge: tooLarge(state.maxObjectSize) };
  if (method === 'POST' && key === undefined) {
    return {
      max: state.maxObjectSize + MAX_FORM_FIELDS + FORM_OVERHEAD,
      tooLarge: tooLarge(state.maxObjectSize),
    };
  }
  if (method === 'POST' && query.uploadId !== undefined)
    return { max: MAX_COMPLETE_BODY, tooLarge: tooLong(MAX_COMPLETE_BODY) };
  return { max: MAX_SMALL_BODY, tooLarge: tooLong(MAX_SMALL_BODY) };
}

/** Answers an OSS request: the bucket, then CORS preflight, PostObject, or an authorised object operation. */
export function handleOss(state: LocalOssState, request: OssRequest): OssResponse | Promise<OssResponse> {
  const { bucket, key, method } = request;
  // The key upload callbacks are signed with, at the URL they name (path style: never a bucket name).
  if (bucket === PUBLIC_KEY_FILE && key === undefined && method === 'GET') {
    const headers = { 'content-type': 'application/x-pem-file' };
    return { status: 200, headers, body: state.callbackKey.publicKey };
  }
  if (bucket === undefined) throw notImplemented('The local endpoint serves object operations only.');
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
    throw notImplemented(`The local endpoint does not implement ${method} on a bucket.`);
  }
  const operation = selectOperation(request);
  const principal = authenticate(state, request);
  authorize(state, principal, operation.action, bucket, key);
  checkContentMd5(request);
  return operation.run(state, { bucket, key }, request);
}

function selectOperation(request: OssRequest): ObjectOperation {
  const { method, query, headers } = request;
  const unsupported = UNSUPPORTED_SUBRESOURCES.find((name) => query[name] !== undefined);
  if (unsupported !== undefined || headers['x-oss-copy-source'] !== undefined) {
    throw notImplemented(
      `The local endpoint does not implement this operation (${unsupported ?? 'x-oss-copy-source'}).`,
    );
  }
  const upload = query.uploadId !== undefined;
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
      if (query.uploads !== undefined) return { action: 'oss:PutObject', run: initiateMultipartUpload };
      if (upload) return { action: 'oss:PutObject', run: completeMultipartUpload };
  }
  throw new ServiceError(
    405,
    'MethodNotAllowed',
    `The specified method is not allowed against this resource.`,
  );
}

/**
 * An OSS operation this endpoint lacks. OSS's code, with a 4xx status: the request is not the server's
 * fault, and SDKs that retry 5xx answers must not retry it.
 */
function notImplemented(message: string): ServiceError {
  return new ServiceError(400, 'NotImplemented', message);
}

function checkContentMd5(request: OssRequest): void {
  const expected = request.headers['content-md5'];
  if (expected !== undefined && expected !== createHash('md5').update(request.body).digest('base64')) {
    throw new ServiceError(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.');
  }
}
