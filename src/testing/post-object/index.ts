import { OssSignError } from '../../errors.js';
import { evaluatePolicy, keyToStore, type PolicyViolation } from '../../oss/post-policy/evaluate.js';
import { type ParsedPolicy, parsePolicy } from '../../oss/post-policy/parse.js';
import type { PostPolicyDocument } from '../../oss/post-policy/types.js';
import { authorize } from '../auth/principal.js';
import { performCallback } from '../callback/perform.js';
import { formCallback } from '../callback/read.js';
import { accessDenied, invalidArgument, ServiceError } from '../errors.js';
import { objectHeadersFromForm } from '../headers.js';
import { checkObjectName, forbidsOverwrite, md5Etag, storeObject } from '../objects.js';
import { parseShallowJson } from '../shallow-json.js';
import type { LocalOssState, OssRequest, OssResponse } from '../state.js';
import { parseMultipartForm } from './form.js';
import { checkSuccessFields, successResponse } from './respond.js';
import { verifyFormSignature } from './verify.js';

/** PostObject: a form upload to the bucket, authorised by a signed policy instead of a signed request. */
export function postObject(
  state: LocalOssState,
  request: OssRequest,
  bucket: string,
): OssResponse | Promise<OssResponse> {
  const { fields, file } = parseMultipartForm(request.body, request.headers['content-type'] ?? '');
  if (file.data.length > state.maxObjectSize) throw fileTooLarge(state);
  const signed = verifyFormSignature(state, fields);
  const policy = readPolicy(signed.policy);
  const violation = evaluatePolicy(
    policy,
    { fields, bucket, file: { size: file.data.length, name: file.filename, type: file.contentType } },
    state.nowMs(),
  )[0];
  if (violation !== undefined) throw refusal(violation);

  const keyField = fields.get('key');
  if (keyField === undefined) throw invalidArgument('The key field of the form must be specified.');
  const key = checkObjectName(keyToStore(keyField, file.filename));
  authorize(state, signed.principal, 'oss:PutObject', bucket, key);
  const callback = formCallback(fields); // a bad one is refused before anything is stored

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
  // With a callback, the application's reply replaces success_action_status and the redirect.
  if (callback) {
    const stored = { bucket, key, etag, body: file.data, contentType: headers['content-type'] as string };
    return performCallback(state, callback, request, { operation: 'PostObject', ...stored });
  }
  return successResponse(fields, { bucket, key, etag, host: request.host });
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
    case 'invalid-key':
      return new ServiceError(
        400,
        'InvalidObjectName',
        `The specified object is not valid: ${violation.reason}.`,
      );
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
