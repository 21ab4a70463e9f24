import { OssSignError } from '../errors.js';
import { checkOptions, quote } from '../lib/validate.js';
import { type PresignedRequest, type PresignMethod, presignUrl } from '../presign-url.js';
import type { OssCredentials, OssLocation, SignatureVersion } from '../types.js';

/** One request of a multipart upload. */
export type MultipartStep = 'initiate' | 'part' | 'complete' | 'abort' | 'list';

export interface PresignMultipartOptions extends OssLocation {
  credentials: OssCredentials;
  key: string;
  step: MultipartStep;
  /** Every step but `'initiate'`: the id `InitiateMultipartUpload` returned. */
  uploadId?: string | undefined;
  /** `'part'`: 1..10000. */
  partNumber?: number | undefined;
  /** `'list'`: list the parts after this number (`NextPartNumberMarker` of the previous page). */
  partNumberMarker?: number | undefined;
  /**
   * `'initiate'`: the object's `Content-Type` (signed, returned in `headers`). `'complete'` signs
   * `application/xml` unless given it with parameters (`application/xml; charset=utf-8`); no other type.
   */
  contentType?: string | undefined;
  /** `'initiate'`: other headers of the object (`x-oss-meta-*`, `Content-Disposition`, `x-oss-forbid-overwrite`…). */
  headers?: Record<string, string> | undefined;
  /** `'complete'`: sign `x-oss-complete-all: yes`, so OSS assembles the stored parts and the body is empty. */
  completeAll?: boolean | undefined;
  /** Seconds the URL stays valid, default 3600. */
  expiresIn?: number | undefined;
  signatureVersion?: SignatureVersion | undefined;
  /** Signing time, default the current time. */
  now?: Date | undefined;
}

/** The options only some steps take; a step given another step's option is refused rather than ignoring it. */
type StepOption = 'uploadId' | 'partNumber' | 'partNumberMarker' | 'contentType' | 'headers' | 'completeAll';

interface StepRule {
  method: PresignMethod;
  options: readonly StepOption[];
}

const STEPS: ReadonlyMap<string, StepRule> = new Map<MultipartStep, StepRule>([
  ['initiate', { method: 'POST', options: ['contentType', 'headers'] }],
  ['part', { method: 'PUT', options: ['uploadId', 'partNumber'] }],
  ['complete', { method: 'POST', options: ['uploadId', 'contentType', 'completeAll'] }],
  ['abort', { method: 'DELETE', options: ['uploadId'] }],
  ['list', { method: 'GET', options: ['uploadId', 'partNumberMarker'] }],
]);
const STEP_NAMES = [...STEPS.keys()].map((name) => `'${name}'`).join(', ');

const MAX_PART_NUMBER = 10_000;
/** Upload ids are opaque tokens (OSS's are 32 hex digits): visible ASCII, so never whitespace or Unicode. */
const UPLOAD_ID = /^[\x21-\x7e]+$/;
const XML_TYPE = /^application\/xml\s*(?:;|$)/i;

/**
 * The presigned request for one step of a multipart upload of `key`: start it, upload part N, complete
 * it, abort it, or list the parts stored so far (to resume). Built on `presignUrl`, so it signs V4 or V1
 * exactly as a presigned URL does; V1 signs the `uploads`, `uploadId` and `partNumber` sub-resources.
 */
export function presignMultipart(options: PresignMultipartOptions): PresignedRequest {
  checkOptions(options, 'presignMultipart');
  // Each own option read once.
  const {
    step,
    uploadId,
    partNumber,
    partNumberMarker,
    contentType,
    headers,
    completeAll,
    bucket,
    region,
    endpoint,
    cname,
    pathStyle,
    product,
    credentials,
    key,
    expiresIn,
    signatureVersion,
    now,
  } = { ...options };
  const rule = typeof step === 'string' ? STEPS.get(step) : undefined;
  if (rule === undefined) {
    throw new OssSignError('INVALID_ARGUMENT', `step must be one of ${STEP_NAMES} (got ${quote(step)})`);
  }
  const given: Record<StepOption, unknown> = {
    uploadId,
    partNumber,
    partNumberMarker,
    contentType,
    headers,
    completeAll,
  };
  for (const name of Object.keys(given) as StepOption[]) {
    if (given[name] !== undefined && !rule.options.includes(name)) {
      throw new OssSignError(
        'INVALID_ARGUMENT',
        `${name} does not apply to the '${step}' step (${stepsTaking(name)})`,
      );
    }
  }

  const query: Record<string, string | null> = {};
  // Only 'initiate' takes headers; 'complete' may sign one of its own.
  let signedHeaders = headers;
  switch (step) {
    case 'initiate':
      query.uploads = null;
      break;
    case 'part':
      query.partNumber = String(checkPartNumber(partNumber, 'partNumber', 1));
      break;
    case 'list':
      if (partNumberMarker !== undefined && checkPartNumber(partNumberMarker, 'partNumberMarker', 0) > 0) {
        query['part-number-marker'] = String(partNumberMarker);
      }
      break;
    case 'complete':
      if (contentType !== undefined && (typeof contentType !== 'string' || !XML_TYPE.test(contentType))) {
        throw new OssSignError(
          'INVALID_HEADER',
          `contentType of the 'complete' step must be XML: its body is the <CompleteMultipartUpload> part list (got ${quote(contentType)})`,
        );
      }
      if (completeAll !== undefined && typeof completeAll !== 'boolean') {
        throw new OssSignError(
          'INVALID_ARGUMENT',
          `completeAll must be a boolean (got ${quote(completeAll)})`,
        );
      }
      if (completeAll) signedHeaders = { 'x-oss-complete-all': 'yes' };
      break;
  }
  if (step !== 'initiate') query.uploadId = checkUploadId(uploadId);

  return presignUrl({
    bucket,
    region,
    endpoint,
    cname,
    pathStyle,
    product,
    credentials,
    key,
    expiresIn,
    signatureVersion,
    now,
    method: rule.method,
    query,
    headers: signedHeaders,
    contentType: step === 'complete' ? (contentType ?? 'application/xml') : contentType,
  });
}

function stepsTaking(name: StepOption): string {
  const steps = [...STEPS].filter(([, rule]) => rule.options.includes(name)).map(([step]) => `'${step}'`);
  return steps.length > 1 ? `it is for the ${steps.join(', ')} steps` : `it is for the ${steps[0]} step`;
}

function checkUploadId(uploadId: unknown): string {
  if (typeof uploadId !== 'string' || !UPLOAD_ID.test(uploadId)) {
    throw new OssSignError(
      'INVALID_UPLOAD_ID',
      `uploadId must be the non-empty id InitiateMultipartUpload returned, visible ASCII characters only (got ${quote(uploadId)})`,
    );
  }
  return uploadId;
}

function checkPartNumber(value: unknown, name: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > MAX_PART_NUMBER) {
    throw new OssSignError(
      'INVALID_PART_NUMBER',
      `${name} must be a whole number ${min}..${MAX_PART_NUMBER} (got ${quote(value)})`,
    );
  }
  return value;
}
