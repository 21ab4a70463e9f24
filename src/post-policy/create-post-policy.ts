import { objectUrl } from '../lib/endpoint.js';
import { OssSignError } from '../lib/errors.js';
import {
  assertWithinCredentials,
  checkKeyText,
  checkOptions,
  normalizeRegion,
  quote,
  resolveNow,
  validateBucket,
  validateCredentials,
  validateExpiresIn,
  validateKey,
  validateProduct,
  validateSignatureVersion,
} from '../lib/validate.js';
import type { OssCredentials, OssLocation, SignatureVersion } from '../types.js';
import { signPolicyText, v4FormScope, v4PolicyFields } from './sign-post-policy.js';
import type { PolicyCondition, PostPolicyDocument } from './types.js';

export interface CreatePostPolicyOptions extends OssLocation {
  credentials: OssCredentials;
  /** The exact key; one ending in `${filename}` allows any name after what precedes it. */
  key?: string | undefined;
  /** Allows any key starting with this (the upload's "directory"). */
  keyPrefix?: string | undefined;
  /** Allowed object size in bytes, inclusive. */
  contentLengthRange?: [min: number, max: number] | undefined;
  /** One type, a list of allowed types, or a prefix such as `{ startsWith: 'image/' }`. */
  contentType?: string | string[] | { startsWith: string } | undefined;
  successActionStatus?: 200 | 201 | 204 | undefined;
  successActionRedirect?: string | undefined;
  /** Stored as `x-oss-meta-*` and pinned by the policy. */
  metadata?: Record<string, string> | undefined;
  /** Extra form fields, each pinned by an exact condition. */
  fields?: Record<string, string> | undefined;
  /** Extra raw conditions. */
  conditions?: PolicyCondition[] | undefined;
  /** The base64 callback parameter. */
  callback?: string | undefined;
  /** Seconds the form stays valid, default 3600. */
  expiresIn?: number | undefined;
  /** Explicitly allow a policy that does not limit the key. */
  allowAnyKey?: boolean | undefined;
  /** Explicitly allow a policy that does not limit the size. */
  allowAnySize?: boolean | undefined;
  signatureVersion?: SignatureVersion | undefined;
  now?: Date | undefined;
}

export interface PostPolicyResult {
  /** Where the form is POSTed: the bucket's endpoint. */
  url: string;
  /** Append in this order, then the file LAST. */
  fields: Record<string, string>;
  /** The policy as signed, decoded, for logging and tests. */
  policy: PostPolicyDocument;
  expiresAt: Date;
}

const MAX_POST_OBJECT_BYTES = 5 * 1024 ** 3;
const FILENAME = '${filename}';
const OPERATORS: ReadonlySet<string> = new Set(['eq', 'starts-with', 'in', 'not-in', 'content-length-range']);
/** Fields this function writes itself. */
const OWN_FIELDS: ReadonlySet<string> = new Set([
  'key',
  'content-type',
  'success_action_status',
  'success_action_redirect',
  'callback',
  'policy',
  'file',
  'ossaccesskeyid',
  'signature',
  'x-oss-signature',
  'x-oss-signature-version',
  'x-oss-credential',
  'x-oss-date',
  'x-oss-security-token',
]);

/**
 * Everything a browser needs for a PostObject form upload: the URL, the fields (file last) and the policy.
 * Refuses (`UNSAFE_POLICY`) a policy that limits neither key nor size unless explicitly allowed.
 */
export function createPostPolicy(options: CreatePostPolicyOptions): PostPolicyResult {
  checkOptions(options, 'createPostPolicy');
  const version = validateSignatureVersion(options.signatureVersion);
  const bucket = validateBucket(options.bucket);
  const credentials = validateCredentials(options.credentials);
  const now = resolveNow(options.now);
  const expiresIn = validateExpiresIn(options.expiresIn ?? 3600, version);
  const expiresAt = new Date(now.getTime() + expiresIn * 1000);
  assertWithinCredentials(credentials, expiresAt, 'expiresIn');
  const url = objectUrl(options, '');

  const fields: Record<string, string> = {};
  const conditions: PolicyCondition[] = [{ bucket }];
  const pin = (field: string, value: string) => {
    fields[field] = value;
    conditions.push(['eq', `$${field}`, value]);
  };

  const scope =
    version === 'v4'
      ? v4FormScope(credentials, now, normalizeRegion(options.region), validateProduct(options.product))
      : undefined;
  if (scope)
    for (const [field, value] of Object.entries(v4PolicyFields(credentials, scope)))
      conditions.push({ [field]: value });

  let limitsKey = false;
  const { key, keyPrefix } = options;
  if (key !== undefined && keyPrefix !== undefined) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      "give key or keyPrefix, not both (a key ending in '${filename}' is a prefix)",
    );
  }
  if (key !== undefined && !validateKey(key).endsWith(FILENAME)) {
    pin('key', key);
    limitsKey = true;
  } else {
    const prefix = key === undefined ? keyPrefix : key.slice(0, -FILENAME.length);
    if (prefix !== undefined) {
      if (typeof prefix !== 'string')
        throw new OssSignError('INVALID_KEY', `keyPrefix must be a string (got ${quote(prefix)})`);
      checkKeyText(prefix, key === undefined ? 'keyPrefix' : 'key');
      // The browser may replace this key with any name under the prefix.
      fields.key = key ?? `${prefix}${FILENAME}`;
      conditions.push(['starts-with', '$key', prefix]);
      limitsKey = prefix !== '';
    }
  }

  let limitsSize = false;
  if (options.contentLengthRange !== undefined) {
    const [min, max] = checkLengthRange(options.contentLengthRange, 'contentLengthRange');
    conditions.push(['content-length-range', min, max]);
    limitsSize = true;
  }

  const { contentType } = options;
  if (typeof contentType === 'string') pin('Content-Type', contentType);
  else if (Array.isArray(contentType))
    conditions.push(['in', '$content-type', checkStrings(contentType, 'contentType')]);
  else if (contentType !== undefined) {
    if (typeof contentType.startsWith !== 'string') {
      throw new OssSignError(
        'INVALID_POLICY',
        'contentType must be a string, a list of strings or { startsWith: string }',
      );
    }
    conditions.push(['starts-with', '$content-type', contentType.startsWith]);
  }

  if (options.successActionStatus !== undefined) {
    if (![200, 201, 204].includes(options.successActionStatus)) {
      throw new OssSignError(
        'INVALID_POLICY',
        `successActionStatus must be 200, 201 or 204 (got ${quote(options.successActionStatus)})`,
      );
    }
    pin('success_action_status', String(options.successActionStatus));
  }
  if (options.successActionRedirect !== undefined)
    pin('success_action_redirect', checkString(options.successActionRedirect, 'successActionRedirect'));
  for (const [name, value] of Object.entries(options.metadata ?? {})) {
    pin(`x-oss-meta-${checkFieldName(name, 'metadata')}`, checkString(value, `metadata[${quote(name)}]`));
  }
  for (const [name, value] of Object.entries(options.fields ?? {})) {
    pin(checkFieldName(name, 'fields'), checkString(value, `fields[${quote(name)}]`));
  }
  if (options.callback !== undefined) pin('callback', checkString(options.callback, 'callback'));

  for (const condition of options.conditions ?? []) {
    checkCondition(condition);
    if (Array.isArray(condition)) {
      const [operator, field, value] = condition;
      if (operator === 'content-length-range') limitsSize = true;
      if ((operator === 'eq' || operator === 'starts-with') && field.toLowerCase() === '$key' && value !== '')
        limitsKey = true;
    } else if (typeof (condition as Record<string, string>).key === 'string') limitsKey = true;
    conditions.push(condition);
  }

  if (!limitsKey && !options.allowAnyKey) {
    throw new OssSignError(
      'UNSAFE_POLICY',
      'the policy must limit the key: give key or a non-empty keyPrefix, or set allowAnyKey: true',
    );
  }
  if (!limitsSize && !options.allowAnySize) {
    throw new OssSignError(
      'UNSAFE_POLICY',
      'the policy must limit the size: give contentLengthRange, or set allowAnySize: true',
    );
  }

  const policy: PostPolicyDocument = { expiration: expiresAt.toISOString(), conditions };
  const signed = signPolicyText(JSON.stringify(policy), credentials, scope);
  return { url, fields: Object.assign(fields, signed.fields), policy, expiresAt };
}

function checkLengthRange(range: unknown, name: string): [number, number] {
  const [min, max] = Array.isArray(range) ? range : [];
  const valid = (n: unknown): n is number =>
    Number.isSafeInteger(n) && (n as number) >= 0 && (n as number) <= MAX_POST_OBJECT_BYTES;
  if (!Array.isArray(range) || range.length !== 2 || !valid(min) || !valid(max) || max < min) {
    throw new OssSignError(
      'INVALID_POLICY',
      `${name} must be [min, max] whole numbers of bytes with 0 <= min <= max <= ${MAX_POST_OBJECT_BYTES} (5 GiB, the PostObject limit) (got ${quote(JSON.stringify(range))})`,
    );
  }
  return [min, max];
}

function checkString(value: unknown, name: string): string {
  if (typeof value !== 'string')
    throw new OssSignError('INVALID_POLICY', `${name} must be a string (got ${quote(value)})`);
  return value;
}

function checkStrings(values: unknown, name: string): string[] {
  if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === 'string')) {
    throw new OssSignError('INVALID_POLICY', `${name} must be a non-empty list of strings`);
  }
  return values;
}

function checkFieldName(name: string, option: string): string {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name) || OWN_FIELDS.has(name.toLowerCase())) {
    throw new OssSignError(
      'INVALID_POLICY',
      `${option} has field ${quote(name)}: not a valid field name, or one this function sets itself`,
    );
  }
  return name;
}

function checkCondition(condition: unknown): void {
  const bad = (rule: string) =>
    new OssSignError('INVALID_POLICY', `conditions has ${quote(JSON.stringify(condition))}: ${rule}`);
  if (!Array.isArray(condition)) {
    const entries = condition && typeof condition === 'object' ? Object.entries(condition) : [];
    if (entries.length !== 1 || typeof entries[0]?.[1] !== 'string')
      throw bad('an object condition is { field: "value" }');
    return;
  }
  const [operator, field, value] = condition as unknown[];
  if (condition.length !== 3 || typeof operator !== 'string' || !OPERATORS.has(operator)) {
    throw bad('expected [operator, field, value] with eq, starts-with, in, not-in or content-length-range');
  }
  if (operator === 'content-length-range') {
    checkLengthRange([field, value], 'content-length-range');
    return;
  }
  if (typeof field !== 'string' || !field.startsWith('$'))
    throw bad(`the field must be a string starting with '$'`);
  if (operator === 'in' || operator === 'not-in') checkStrings(value, `the ${operator} list`);
  else if (typeof value !== 'string') throw bad('the value must be a string');
}
