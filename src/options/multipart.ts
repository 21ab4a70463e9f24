import { OssSignError } from '../errors.js';
import { quote } from '../quote.js';
import { MULTIPART_STEP_OPTIONS, type RawOptions } from './read.js';

/** The options only some steps take; a step given another step's option is refused rather than ignoring it. */
type StepOption = (typeof MULTIPART_STEP_OPTIONS)[number];

interface StepRule {
  method: 'POST' | 'PUT' | 'DELETE' | 'GET';
  options: readonly StepOption[];
}

const STEPS: ReadonlyMap<unknown, StepRule> = new Map<string, StepRule>([
  ['initiate', { method: 'POST', options: ['contentType', 'headers'] }],
  ['part', { method: 'PUT', options: ['uploadId', 'partNumber'] }],
  ['complete', { method: 'POST', options: ['uploadId', 'contentType', 'completeAll', 'callback'] }],
  ['abort', { method: 'DELETE', options: ['uploadId'] }],
  ['list', { method: 'GET', options: ['uploadId', 'partNumberMarker'] }],
]);
const STEP_NAMES = [...STEPS.keys()].map((name) => `'${name}'`).join(', ');

const MAX_PART_NUMBER = 10_000;
/** Upload ids are opaque tokens (OSS's are 32 hex digits): visible ASCII, so never whitespace or Unicode. */
const UPLOAD_ID = /^[\x21-\x7e]+$/;
const XML_TYPE = /^application\/xml\s*(?:;|$)/i;

/**
 * One step of a multipart upload as the presigned request it is: the step decides the method, the query
 * and the signed headers, so the options become those of presignUrl. V1 signs the `uploads`, `uploadId`
 * and `partNumber` sub-resources by OSS's own list.
 */
export function resolveMultipartStep(raw: RawOptions): RawOptions {
  const { step } = raw;
  const rule = STEPS.get(step);
  if (rule === undefined) {
    throw new OssSignError('INVALID_ARGUMENT', `step must be one of ${STEP_NAMES} (got ${quote(step)})`);
  }
  for (const name of MULTIPART_STEP_OPTIONS) {
    if (raw[name] !== undefined && !rule.options.includes(name)) {
      throw new OssSignError(
        'INVALID_ARGUMENT',
        `${name} does not apply to the '${step}' step (${stepsTaking(name)})`,
      );
    }
  }
  const query: Record<string, string | null> = {};
  switch (step) {
    case 'initiate':
      query.uploads = null;
      break;
    case 'part':
      query.partNumber = String(checkPartNumber(raw.partNumber, 'partNumber', 1));
      break;
    case 'list':
      if (
        raw.partNumberMarker !== undefined &&
        checkPartNumber(raw.partNumberMarker, 'partNumberMarker', 0) > 0
      ) {
        query['part-number-marker'] = String(raw.partNumberMarker);
      }
      break;
    case 'complete': {
      const { contentType, completeAll } = raw;
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
      raw.contentType = contentType ?? 'application/xml';
      if (completeAll) raw.headers = { 'x-oss-complete-all': 'yes' };
      break;
    }
  }
  if (step !== 'initiate') query.uploadId = checkUploadId(raw.uploadId);
  raw.method = rule.method;
  raw.query = query;
  return raw;
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
