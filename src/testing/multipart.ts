import { createHash } from 'node:crypto';
import { performCallback } from './callback/perform.js';
import { requestCallback } from './callback/read.js';
import { malformedXml, readCompleteMultipartUpload } from './complete-xml.js';
import { invalidArgument, ServiceError } from './errors.js';
import { objectHeadersFrom } from './headers.js';
import { MAX_PARTS, MIN_PART_SIZE } from './limits.js';
import { fileAlreadyExists, forbidsOverwrite, md5Etag, objectLocation, storeObject } from './objects.js';
import {
  type LocalOssState,
  type ObjectTarget,
  type OssRequest,
  type OssResponse,
  randomHex,
} from './state.js';
import type { MultipartUpload } from './uploads.js';
import { type XmlElement, xmlResponse } from './xml.js';

const DEFAULT_MAX_PARTS = 1000;

/** The upload named by `uploadId`, which must be for this very object. */
function findUpload(
  state: LocalOssState,
  target: ObjectTarget,
  uploadId: string | null | undefined,
): MultipartUpload {
  const upload = uploadId ? state.uploads.get(uploadId) : undefined;
  if (upload === undefined || upload.bucket !== target.bucket || upload.key !== target.key) {
    throw new ServiceError(
      404,
      'NoSuchUpload',
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      { UploadId: uploadId ?? '' },
    );
  }
  return upload;
}

export function initiateMultipartUpload(
  state: LocalOssState,
  target: ObjectTarget,
  request: OssRequest,
): OssResponse {
  const headers = objectHeadersFrom(request.headers);
  // Checked now, so that a long upload does not run into the object at the end (the complete checks again).
  if (
    forbidsOverwrite(request.headers['x-oss-forbid-overwrite']) &&
    state.buckets.get(target.bucket)?.has(target.key)
  ) {
    throw fileAlreadyExists(target);
  }
  const uploadId = randomHex(16);
  state.uploads.start(uploadId, {
    ...target,
    headers,
    parts: new Map(),
    partBytes: 0,
    initiatedAt: state.nowMs(),
  });
  return xmlResponse(200, 'InitiateMultipartUploadResult', [
    ['Bucket', target.bucket],
    ['Key', target.key],
    ['UploadId', uploadId],
  ]);
}

export function uploadPart(state: LocalOssState, target: ObjectTarget, request: OssRequest): OssResponse {
  const uploadId = request.query.uploadId;
  findUpload(state, target, uploadId);
  const partNumber = Number(request.query.partNumber);
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PARTS) {
    throw invalidArgument(`Part number must be an integer between 1 and ${MAX_PARTS}, inclusive.`);
  }
  const etag = md5Etag(request.body);
  state.uploads.putPart(uploadId ?? '', partNumber, {
    body: request.body,
    etag,
    lastModified: new Date(state.nowMs()).toISOString(),
  });
  return { status: 200, headers: { etag } };
}

export function completeMultipartUpload(
  state: LocalOssState,
  target: ObjectTarget,
  request: OssRequest,
): OssResponse | Promise<OssResponse> {
  const uploadId = request.query.uploadId;
  const upload = findUpload(state, target, uploadId);
  const callback = requestCallback(request); // a bad one is refused before anything is stored
  const completeAll = request.headers['x-oss-complete-all']?.toLowerCase() === 'yes';
  if (completeAll && request.body.length > 0) {
    // OSS's words (EC 0042-00000216), typo included.
    throw invalidArgument('Should not speficy both complete all header and http body.');
  }
  const listed = completeAll
    ? [...upload.parts.keys()].sort((a, b) => a - b).map((partNumber) => ({ partNumber, etag: '' }))
    : readCompleteMultipartUpload(request.body.toString('utf8'));
  if (listed.length === 0) throw malformedXml();
  if (listed.some((part, index) => index > 0 && (listed[index - 1]?.partNumber ?? 0) >= part.partNumber)) {
    throw new ServiceError(
      400,
      'InvalidPartOrder',
      'The list of parts was not in ascending order. Parts list must specified in order by part number.',
    );
  }
  const parts = listed.map(({ partNumber, etag }, index) => {
    const part = upload.parts.get(partNumber);
    if (part === undefined || (!completeAll && normalizeEtag(etag) !== normalizeEtag(part.etag))) {
      throw new ServiceError(
        400,
        'InvalidPart',
        "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.",
        { PartNumber: String(partNumber) },
      );
    }
    if (index < listed.length - 1 && part.body.length < MIN_PART_SIZE) {
      throw new ServiceError(
        400,
        'EntityTooSmall',
        'Your proposed upload is smaller than the minimum allowed size.',
        {
          PartNumber: String(partNumber),
          MinSizeAllowed: String(MIN_PART_SIZE),
        },
      );
    }
    return part;
  });
  // The ETag of a multipart object: MD5 of the parts' binary MD5s, then "-" and the part count.
  const digests = parts.map((part) => Buffer.from(normalizeEtag(part.etag), 'hex'));
  const etag = `"${createHash('md5').update(Buffer.concat(digests)).digest('hex').toUpperCase()}-${parts.length}"`;
  const body = Buffer.concat(parts.map((part) => part.body));
  storeObject(state, target, {
    body,
    headers: upload.headers,
    etag,
    type: 'Multipart',
    forbidOverwrite: forbidsOverwrite(request.headers['x-oss-forbid-overwrite']),
  });
  state.uploads.end(uploadId ?? '');
  if (callback) {
    return performCallback(state, callback, request, {
      operation: 'CompleteMultipartUpload',
      ...target,
      etag,
      body,
      contentType: upload.headers['content-type'] as string,
    });
  }
  return xmlResponse(200, 'CompleteMultipartUploadResult', [
    ['Location', objectLocation(request.host, target)],
    ['Bucket', target.bucket],
    ['Key', target.key],
    ['ETag', etag],
  ]);
}

export function abortMultipartUpload(
  state: LocalOssState,
  target: ObjectTarget,
  request: OssRequest,
): OssResponse {
  findUpload(state, target, request.query.uploadId);
  state.uploads.end(request.query.uploadId ?? '');
  return { status: 204 };
}

export function listParts(state: LocalOssState, target: ObjectTarget, request: OssRequest): OssResponse {
  const upload = findUpload(state, target, request.query.uploadId);
  const marker = Number(request.query['part-number-marker'] ?? 0);
  const maxParts = Number(request.query['max-parts'] ?? DEFAULT_MAX_PARTS);
  if (!Number.isInteger(marker) || marker < 0 || !Number.isInteger(maxParts) || maxParts < 1) {
    throw invalidArgument('part-number-marker and max-parts must be whole numbers.');
  }
  const remaining = [...upload.parts].filter(([partNumber]) => partNumber > marker).sort(([a], [b]) => a - b);
  const page = remaining.slice(0, maxParts);
  return xmlResponse(200, 'ListPartsResult', [
    ['Bucket', target.bucket],
    ['Key', target.key],
    ['UploadId', request.query.uploadId ?? ''],
    ['PartNumberMarker', marker],
    ['NextPartNumberMarker', page.at(-1)?.[0] ?? marker],
    ['MaxParts', maxParts],
    ['IsTruncated', String(remaining.length > page.length)],
    ...page.map(
      ([partNumber, part]): XmlElement => [
        'Part',
        [
          ['PartNumber', partNumber],
          ['LastModified', part.lastModified],
          ['ETag', part.etag],
          ['Size', part.body.length],
        ],
      ],
    ),
  ]);
}

function normalizeEtag(etag: string): string {
  return etag.replace(/"/g, '').trim().toUpperCase();
}
