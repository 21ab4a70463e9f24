import { OssSignError } from '../../errors.js';
import { MAX_KEY_BYTES } from '../../oss/names.js';
import { evaluatePolicy, keyForFile, type PolicyViolation } from '../../oss/post-policy/evaluate.js';
import { type ParsedPolicy, parsePolicy } from '../../oss/post-policy/parse.js';
import type { PostPolicyDocument } from '../../oss/post-policy/types.js';
import { authorize } from '../auth/principal.js';
import { accessDenied, invalidArgument, ServiceError } from '../errors.js';
import { objectHeadersFromForm } from '../headers.js';
import { checkObjectName, forbidsOverwrite, md5Etag, storeObject } from '../objects.js';
import { parseShallowJson } from '../shallow-json.js';
import type { LocalOssState, OssRequest, OssResponse } from '../state.js';
import { parseMultipartForm } from './form.js';
import { checkSuccessFields, successResponse } from './respond.js';
import { verifyFormSignature } from './verify.js';

/** PostObject: a form upload to the bucket, authorised by a signed policy instead of a signed request. */
export function postObject(state: LocalOssState, request: OssRequest, bucket: string): OssResponse {
  const { fields, file } = parseMultipartForm(request.body, request.headers['content-type'] ?? '');
  if (file.data.length > state.maxObjectSize) throw fileTooLarge(state);
  checkStoredKeyLength(fields.get('key'), file.filename);
  const signed = verifyFormSignature(state, fields);
  const policy = readPolicy(signed.policy);
  const violation = evaluatePolicy(
    policy,
    { fields, bucket, file: { size: file.data.length, name: file.filename, type: file.contentType } },
    state.now(),
  )[0];
  if (violation !== undefined) throw refusal(violation);

  const keyField = fields.get('key');
  if (keyField === undefined) throw invalidArgument('The key field of the form must be specified.');
  const key = checkObjectName(keyForFile(keyField, file.filename));
  authorize(state, signed.principal, 'oss:PutObject', bucket, key);

  const etag = md5Etag(file.data);
  // The content type stored is the Content-Type field, else the file part's own.
  const headers = objectHeadersFromForm(fields, fields.get('content-type') ?? file.contentType ?? '');
  checkSuccessFields(fields);
  storeObject(
    state,
    { bucket, key },
    {
      body: file.data,
      headers,
      etag,
      type: 'Normal',
      forbidOverwrite: forbidsOverwrite(fields.get('x-oss-forbid-overwrite')),
    },
  );
  return successResponse(fields, { bucket, key, etag, host: request.host });
}

const FILENAME = '${filename}';

/**
 * A key field whose `${filename}`s would make a key longer than any OSS takes is refused before they are
 * replaced: 2 MB of them with a long file name would be gigabytes. (UTF-16 units never outnumber UTF-8
 * bytes, so a longer string is a longer key.)
 */
function checkStoredKeyLength(key: string | undefined, filename: string): void {
  if (key === undefined) return;
  const growth = keyForFile(FILENAME, filename).length - FILENAME.length;
  let length = key.length;
  for (let at = key.indexOf(FILENAME); at >= 0; at = key.indexOf(FILENAME, at + FILENAME.length))
    length += growth;
  if (length > MAX_KEY_BYTES) {
    throw new ServiceError(
      400,
      'InvalidObjectName',
      `The specified object is not valid: the key would be longer than ${MAX_KEY_BYTES} bytes once \${filename} is replaced.`,
    );
  }
}

function fileTooLarge(state: LocalOssState): ServiceError {
  return new ServiceError(
    400,
    'EntityTooLarge',
    `Your proposed upload exceeds the maximum allowed size: this local endpoint keeps at most ${state.maxObjectSize} bytes (its maxObjectSize option).`,
  );
}

/** A policy nests four deep at most (document, conditions, condition, list of values). */
const MAX_POLICY_DEPTH = 8;

/** Decodes the base64 policy and reads it as OSS does. */
function readPolicy(base64: string): ParsedPolicy {
  const invalid = (message: string) =>
    new ServiceError(400, 'InvalidPolicyDocument', `Invalid Policy: ${message}`);
  const json = parseShallowJson(Buffer.from(base64, 'base64').toString('utf8'), MAX_POLICY_DEPTH);
  if (json === undefined) throw invalid(`the policy is not JSON, or nests deeper than ${MAX_POLICY_DEPTH}`);
  try {
    return parsePolicy(json.value as PostPolicyDocument);
  } catch (error) {
    if (!(error instanceof OssSignError)) throw error;
    throw invalid(error.message);
  }
}

/** The error OSS answers a form its policy refuses with. */
function refusal(violation: PolicyViolation): ServiceError {
  switch (violation.kind) {
    case 'too-small':
      return new ServiceError(
        400,
        'EntityTooSmall',
        'Your proposed upload is smaller than the minimum allowed size.',
      );
    case 'too-large':
      return new ServiceError(
        400,
        'EntityTooLarge',
        'Your proposed upload exceeds the maximum allowed size.',
      );
    case 'expired':
      return accessDenied('Invalid according to Policy: Policy expired.');
    case 'missing-key':
      return invalidArgument('The key field of the form must be specified.');
    case 'missing-v4-pin':
      return accessDenied(
        `Invalid according to Policy: a V4 policy must have a condition on ${violation.field}.`,
      );
    case 'condition':
      return accessDenied(
        `Invalid according to Policy: Policy Condition failed: ${JSON.stringify(violation.condition)}`,
      );
  }
}
