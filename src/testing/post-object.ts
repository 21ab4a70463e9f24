import { ISO_UTC } from '../oss/time.js';
import { conditionField, pinnedFields } from '../post-policy/conditions.js';
import { computeSignatureV1 } from '../signer/v1.js';
import { ALGORITHM_V4, signatureV4 } from '../signer/v4.js';
import {
  anonymousDenied,
  authorize,
  parseCredentialV4,
  parseIsoBasic,
  resolveSecret,
  sameSignature,
  signatureMismatch,
} from './auth.js';
import { checkObjectName, md5Etag, objectHeadersFrom, objectLocation, storeObject } from './objects.js';
import {
  accessDenied,
  invalidArgument,
  isObject,
  type LocalOssState,
  MAX_CLOCK_SKEW_MS,
  type OssRequest,
  type OssResponse,
  type Principal,
  ServiceError,
} from './state.js';
import { xmlResponse } from './xml.js';

interface FormFile {
  filename: string;
  contentType: string | undefined;
  data: Buffer;
}

/** A PostObject form: its fields by lower-case name, and the file part. */
interface PostForm {
  fields: Map<string, string>;
  file: FormFile;
}

/** What a policy condition compares: a form field (lower-case name) or the bucket. */
type FieldValue = (name: string) => string;

/**
 * Fields a V4 policy must pin, or OSS refuses the form. The library's v4PolicyFields builds their values
 * from credentials and a scope; only the names are needed here, and no shared list of them exists.
 */
const V4_POLICY_FIELDS = ['x-oss-signature-version', 'x-oss-credential', 'x-oss-date'];

/** PostObject: a form upload to the bucket, authorised by a signed policy instead of a signed request. */
export function postObject(state: LocalOssState, request: OssRequest, bucket: string): OssResponse {
  const { fields, file } = parseMultipartForm(request.body, request.headers['content-type'] ?? '');
  const signed = verifyFormSignature(state, fields);
  const conditions = readPolicy(signed.policy, state.now());

  // The content-type a policy sees is the Content-Type field, else the file part's own type.
  const contentType = fields.get('content-type') ?? file.contentType ?? '';
  const fieldValue: FieldValue = (name) =>
    name === 'bucket' ? bucket : name === 'content-type' ? contentType : (fields.get(name) ?? '');
  for (const condition of conditions) checkCondition(condition, fieldValue, file.data.length);
  // After the conditions, so a malformed one (an 'EQ' pin) is reported as such, not as a missing pin.
  if (signed.version === 'v4') requireV4Conditions(conditions, fields);

  const keyField = fields.get('key');
  if (keyField === undefined) throw invalidArgument('The key field of the form must be specified.');
  const filename = file.filename.split(/[\\/]/).pop() ?? '';
  const key = checkObjectName(keyField.replaceAll('${filename}', filename));
  authorize(state, signed.principal, 'oss:PutObject', bucket, key);

  const etag = md5Etag(file.data);
  const headers = objectHeadersFrom({ ...Object.fromEntries(fields), 'content-type': contentType });
  storeObject(state, { bucket, key }, { body: file.data, headers, etag, type: 'Normal' });
  return successResponse(fields, { bucket, key, etag, host: request.host });
}

/** Checks the V1 or V4 signature of the policy; an unsigned form is anonymous, so refused. */
function verifyFormSignature(
  state: LocalOssState,
  fields: ReadonlyMap<string, string>,
): { version: 'v1' | 'v4'; policy: string; principal: Principal } {
  const policy = fields.get('policy');
  const token = fields.get('x-oss-security-token');
  const version = fields.get('x-oss-signature-version');
  if (version !== undefined) {
    const credential = fields.get('x-oss-credential');
    const datetime = fields.get('x-oss-date') ?? '';
    const provided = fields.get('x-oss-signature');
    if (version !== ALGORITHM_V4) throw invalidArgument(`x-oss-signature-version must be ${ALGORITHM_V4}.`);
    if (credential === undefined || provided === undefined || policy === undefined) {
      throw invalidArgument(
        'A V4 form needs policy, x-oss-credential, x-oss-date and x-oss-signature fields.',
      );
    }
    const signedAt = parseIsoBasic(datetime);
    if (signedAt === undefined) throw invalidArgument('x-oss-date must be in the form 20231216T162057Z.');
    if (signedAt - state.now() > MAX_CLOCK_SKEW_MS) {
      throw accessDenied(
        'Invalid according to Policy: x-oss-date is more than 15 minutes ahead of the server.',
      );
    }
    const scope = parseCredentialV4(state, credential, datetime);
    const { secret, principal } = resolveSecret(state, scope.accessKeyId, token);
    // parseCredentialV4 has checked the scope against the date, this region and the product.
    const expected = signatureV4(policy, secret, scope);
    if (!sameSignature(expected, provided)) throw signatureMismatch(scope.accessKeyId, provided, policy);
    return { version: 'v4', policy, principal };
  }
  const accessKeyId = fields.get('ossaccesskeyid');
  if (accessKeyId === undefined) throw anonymousDenied();
  const provided = fields.get('signature');
  if (policy === undefined || provided === undefined) {
    throw invalidArgument('A form with OSSAccessKeyId needs policy and Signature fields.');
  }
  const { secret, principal } = resolveSecret(state, accessKeyId, token);
  if (!sameSignature(computeSignatureV1(policy, secret), provided)) {
    throw signatureMismatch(accessKeyId, provided, policy);
  }
  return { version: 'v1', policy, principal };
}

function invalidPolicy(message: string): ServiceError {
  return new ServiceError(400, 'InvalidPolicyDocument', `Invalid Policy: ${message}`);
}

/** Decodes the base64 policy, refuses it once expired, and returns its conditions. */
function readPolicy(policy: string, now: number): unknown[] {
  let document: unknown;
  try {
    document = JSON.parse(Buffer.from(policy, 'base64').toString('utf8'));
  } catch {
    throw invalidPolicy('Invalid JSON.');
  }
  if (!isObject(document)) throw invalidPolicy('the policy must be a JSON object.');
  const { expiration, conditions } = document;
  if (typeof expiration !== 'string' || !ISO_UTC.test(expiration)) {
    throw invalidPolicy('expiration must be an ISO 8601 UTC time such as "2025-01-01T12:00:00.000Z".');
  }
  if (!Array.isArray(conditions)) throw invalidPolicy('conditions must be an array.');
  if (Date.parse(expiration) < now) throw accessDenied('Invalid according to Policy: Policy expired.');
  return conditions;
}

/** A V4 policy must itself pin the signature fields (and the token of STS credentials). */
function requireV4Conditions(conditions: readonly unknown[], fields: ReadonlyMap<string, string>): void {
  const pinned = pinnedFields(conditions);
  const required = fields.has('x-oss-security-token')
    ? [...V4_POLICY_FIELDS, 'x-oss-security-token']
    : V4_POLICY_FIELDS;
  for (const name of required) {
    if (!pinned.has(name)) {
      throw accessDenied(`Invalid according to Policy: a V4 policy must have a condition on ${name}.`);
    }
  }
}

function checkCondition(condition: unknown, fieldValue: FieldValue, size: number): void {
  const failed = () =>
    accessDenied(`Invalid according to Policy: Policy Condition failed: ${JSON.stringify(condition)}`);
  if (isObject(condition)) {
    const entries = Object.entries(condition);
    const [name, expected] = entries[0] ?? [];
    if (entries.length !== 1 || name === undefined || typeof expected !== 'string') {
      throw invalidPolicy(
        'Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.',
      );
    }
    if (fieldValue(conditionField(name)) !== expected) throw failed();
    return;
  }
  if (!Array.isArray(condition) || condition.length !== 3) {
    throw invalidPolicy(`a condition must be an object or a 3-element array: ${JSON.stringify(condition)}`);
  }
  // Operators are case-sensitive, as in the library: 'EQ' is no operator at all.
  const [operator, field, operand] = condition as [unknown, unknown, unknown];
  if (operator === 'content-length-range') {
    const [min, max] = [parseByteCount(field), parseByteCount(operand)];
    if (min === undefined || max === undefined || min > max) {
      throw invalidPolicy('content-length-range needs two whole numbers, min <= max.');
    }
    if (size < min) {
      throw new ServiceError(
        400,
        'EntityTooSmall',
        'Your proposed upload is smaller than the minimum allowed size.',
      );
    }
    if (size > max) {
      throw new ServiceError(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.');
    }
    return;
  }
  if (typeof field !== 'string' || !field.startsWith('$')) {
    throw invalidPolicy(`the field of a condition must be a "$name": ${JSON.stringify(condition)}`);
  }
  const value = fieldValue(conditionField(field));
  if (operator === 'eq' || operator === 'starts-with') {
    if (typeof operand !== 'string')
      throw invalidPolicy(`${operator} needs a string: ${JSON.stringify(condition)}`);
    if (operator === 'eq' ? value !== operand : !value.startsWith(operand)) throw failed();
  } else if (operator === 'in' || operator === 'not-in') {
    if (!Array.isArray(operand) || !operand.every((item) => typeof item === 'string')) {
      throw invalidPolicy(`${operator} needs an array of strings: ${JSON.stringify(condition)}`);
    }
    if (operand.includes(value) !== (operator === 'in')) throw failed();
  } else {
    throw invalidPolicy(
      `unknown condition ${JSON.stringify(operator)} (operators are eq, starts-with, in, not-in and content-length-range, in lower case).`,
    );
  }
}

/** A byte count as a policy may write it, a number or a string of digits; `undefined` if it is neither. */
function parseByteCount(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 ? number : undefined;
}

function successResponse(
  fields: ReadonlyMap<string, string>,
  object: { bucket: string; key: string; etag: string; host: string },
): OssResponse {
  const { bucket, key, etag } = object;
  const redirect = fields.get('success_action_redirect');
  if (redirect) {
    const query = new URLSearchParams({ bucket, key, etag });
    return {
      status: 303,
      headers: { etag, location: `${redirect}${redirect.includes('?') ? '&' : '?'}${query}` },
    };
  }
  const status = Number(fields.get('success_action_status'));
  if (status === 200) return { status, headers: { etag } };
  if (status !== 201) return { status: 204, headers: { etag } };
  return xmlResponse(
    status,
    'PostResponse',
    [
      ['Bucket', bucket],
      ['Location', objectLocation(object.host, { bucket, key })],
      ['Key', key],
      ['ETag', etag],
    ],
    { etag },
  );
}

function malformed(): ServiceError {
  return new ServiceError(
    400,
    'MalformedPOSTRequest',
    'The body of your POST request is not well-formed multipart/form-data.',
  );
}

/**
 * Reads a multipart/form-data body up to and including the part named `file` (any case); parts after it
 * are ignored, as OSS does. Field names are lower-cased, since OSS matches them case-insensitively.
 */
function parseMultipartForm(body: Buffer, contentType: string): PostForm {
  if (!/^multipart\/form-data\s*(;|$)/i.test(contentType)) {
    throw new ServiceError(
      400,
      'RequestIsNotMultiPartContent',
      'Bucket POST must be of the enclosure-type multipart/form-data.',
    );
  }
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (boundary === undefined) throw malformed();
  const separator = Buffer.from(`\r\n--${boundary}`);
  const first = body.indexOf(`--${boundary}`);
  if (first < 0) throw malformed();

  const fields = new Map<string, string>();
  let position = first + boundary.length + 2;
  // Each delimiter is followed by "--" (the end) or by CRLF, the part's headers, a blank line and its data.
  while (body.toString('latin1', position, position + 2) === '\r\n') {
    const headersEnd = body.indexOf('\r\n\r\n', position);
    if (headersEnd < 0) throw malformed();
    const part = readPartHeaders(body.toString('utf8', position + 2, headersEnd));
    const dataEnd = body.indexOf(separator, headersEnd + 4);
    if (dataEnd < 0 || part.name === undefined) throw malformed();
    const data = body.subarray(headersEnd + 4, dataEnd);
    position = dataEnd + separator.length;
    const name = part.name.toLowerCase();
    if (name === 'file')
      return { fields, file: { filename: part.filename ?? '', contentType: part.contentType, data } };
    if (fields.has(name)) throw invalidArgument(`The form has more than one field named ${name}.`);
    fields.set(name, data.toString('utf8'));
  }
  throw invalidArgument('The form has no file field: PostObject needs one, as its last field.');
}

function readPartHeaders(text: string): { name?: string; filename?: string; contentType?: string } {
  const part: { name?: string; filename?: string; contentType?: string } = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    const header = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (header === 'content-type') part.contentType = value;
    if (header === 'content-disposition') {
      const name = dispositionParameter(value, 'name');
      const filename = dispositionParameter(value, 'filename');
      if (name !== undefined) part.name = name;
      if (filename !== undefined) part.filename = filename;
    }
  }
  return part;
}

function dispositionParameter(disposition: string, parameter: string): string | undefined {
  const match = new RegExp(`;\\s*${parameter}=(?:"([^"]*)"|([^;\\s]*))`, 'i').exec(disposition);
  return match?.[1] ?? match?.[2];
}
