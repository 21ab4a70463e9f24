import { OssSignError } from '../errors.js';
import { checkCustomVariableName } from '../oss/callback.js';
import { checkKey, checkKeyText, hasLoneSurrogate, isHttpToken } from '../oss/names.js';
import { evaluatePolicy, FILENAME_VARIABLE } from '../oss/post-policy/evaluate.js';
import { type ParsedCondition, type ParsedPolicy, parseCondition } from '../oss/post-policy/parse.js';
import type { PolicyCondition } from '../oss/post-policy/types.js';
import { toIsoBasic } from '../oss/time.js';
import { quote, quoteJson } from '../quote.js';
import type { ScopeV4, SigningCredentials } from '../signer/keys.js';
import { v4PolicyFields } from '../signer/post-policy-fields.js';
import type { SignatureVersion } from '../types.js';
import { resolveCallback } from './callback.js';
import type { SigningConfig } from './config.js';
import { checkContentType } from './headers.js';
import { requireRegion } from './location.js';
import type { RawOptions } from './read.js';
import { resolveSignatureVersion } from './signed-names.js';
import { resolveExpiry, resolveNow } from './timing.js';

/** OSS's PostObject limit, and so the widest `contentLengthRange`. */
const MAX_POST_OBJECT_BYTES = 5 * 1024 ** 3;
/** Fields this function writes itself, by lower-case name. */
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

/** A POST policy about to be signed: its conditions, the form fields they pin, and the signing scope. */
export interface PostPolicyContext {
  version: SignatureVersion;
  /** Where the form is posted. */
  url: string;
  credentials: SigningCredentials;
  expiresAt: Date;
  conditions: PolicyCondition[];
  /** The form fields besides the signature's, in order. */
  fields: Record<string, string>;
  /** V4: the signing time and scope. */
  datetime: string;
  scope: ScopeV4 | undefined;
}

function invalid(rule: string): OssSignError {
  return new OssSignError('INVALID_POLICY', rule);
}

/**
 * The policy createPostPolicy signs: the bucket, the V4 pins, the key, size and type conditions, and an
 * exact condition for every field it adds. Refuses (`UNSAFE_POLICY`) one that limits neither key nor size
 * unless explicitly allowed, and any form its own policy would refuse.
 */
export function resolvePostPolicy(raw: RawOptions, config: SigningConfig): PostPolicyContext {
  const version = resolveSignatureVersion(raw.signatureVersion, config.signatureVersion);
  const { location, credentials } = config;
  const now = resolveNow(raw.now);
  const { expiresAt } = resolveExpiry(raw.expiresIn, now, credentials);
  const datetime = toIsoBasic(now);
  const scope =
    version === 'v4'
      ? credentials.scopeV4(datetime.slice(0, 8), requireRegion(location, 'a POST policy'), location.product)
      : undefined;

  const fields: Record<string, string> = {};
  /** Lower-case names of the fields set so far: OSS reads form field names in any case. */
  const fieldNames = new Map<string, string>();
  const conditions: PolicyCondition[] = [{ bucket: location.bucket }];
  const setField = (name: string, value: string, option: string) => {
    const lower = name.toLowerCase();
    const previous = fieldNames.get(lower);
    if (previous !== undefined) {
      if (fields[previous] === value) return false;
      throw invalid(
        `${option} sets the form field ${quote(name)}, which ${quote(previous)} already sets to another value`,
      );
    }
    fieldNames.set(lower, name);
    fields[name] = value;
    return true;
  };
  const pin = (name: string, value: string, option: string) => {
    if (setField(name, value, option)) conditions.push(['eq', `$${name}`, value]);
  };
  const v4Fields = scope ? v4PolicyFields(credentials, datetime, scope) : undefined;
  if (v4Fields) for (const [field, value] of Object.entries(v4Fields)) conditions.push({ [field]: value });
  const key = keyCondition(raw.key, raw.keyPrefix);
  let limitsKey = key?.limits ?? false;
  let limitsSize = raw.contentLengthRange !== undefined;
  if (key) {
    setField('key', key.field, 'key');
    conditions.push(key.condition);
  }
  const range = raw.contentLengthRange === undefined ? undefined : checkLengthRange(raw.contentLengthRange);
  if (range) conditions.push(['content-length-range', ...range]);
  const { contentType } = raw;
  if (typeof contentType === 'string')
    pin('Content-Type', policyContentType(contentType, 'contentType'), 'contentType');
  else if (contentType !== undefined) conditions.push(contentTypeCondition(contentType));
  if (raw.successActionStatus !== undefined) {
    if (
      raw.successActionStatus !== 200 &&
      raw.successActionStatus !== 201 &&
      raw.successActionStatus !== 204
    ) {
      throw invalid(`successActionStatus must be 200, 201 or 204 (got ${quote(raw.successActionStatus)})`);
    }
    pin('success_action_status', String(raw.successActionStatus), 'successActionStatus');
  }
  if (raw.successActionRedirect !== undefined) {
    pin(
      'success_action_redirect',
      checkString(raw.successActionRedirect, 'successActionRedirect'),
      'successActionRedirect',
    );
  }
  for (const [name, value] of fieldEntries(raw.metadata, 'metadata'))
    pin(`x-oss-meta-${name}`, value, 'metadata');
  for (const [name, value] of fieldEntries(raw.fields, 'fields', true)) pin(name, value, 'fields');
  const callback = resolveCallback(raw.callback);
  if (callback) {
    // PostObject takes no callback-var: each custom variable is a form field, pinned like the callback.
    pin('callback', callback.callback, 'callback');
    for (const [name, value] of Object.entries(callback.vars ?? {})) pin(name, value, 'callback.vars');
  }
  if (raw.conditions !== undefined) {
    if (!Array.isArray(raw.conditions)) throw invalid('conditions must be an array');
    const rawConditions: ParsedPolicy['conditions'][number][] = [];
    for (const given of raw.conditions) {
      const condition = copyCondition(given);
      const parsed = checkRawCondition(condition);
      conditions.push(condition as PolicyCondition);
      rawConditions.push({ parsed, source: condition });
      if (parsed.operator === 'content-length-range') limitsSize = true;
      else if ((parsed.operator === 'eq' || parsed.operator === 'starts-with') && parsed.field === 'key') {
        limitsKey ||= parsed.value !== '';
      }
    }
    checkOwnForm(rawConditions, { ...fields, ...v4Fields }, location.bucket, range);
  }
  if (!limitsKey && raw.allowAnyKey !== true) {
    throw new OssSignError(
      'UNSAFE_POLICY',
      'the policy must limit the key: give key or a non-empty keyPrefix, or set allowAnyKey: true',
    );
  }
  if (!limitsSize && raw.allowAnySize !== true) {
    throw new OssSignError(
      'UNSAFE_POLICY',
      'the policy must limit the size: give contentLengthRange, or set allowAnySize: true',
    );
  }
  return {
    version,
    url: `${location.origin}${location.pathPrefix}/`,
    credentials,
    expiresAt,
    conditions,
    fields,
    datetime,
    scope,
  };
}

/** The key field and its condition: exact, or starts-with for a prefix or a key ending in `${filename}`. */
function keyCondition(
  key: unknown,
  keyPrefix: unknown,
): { field: string; condition: PolicyCondition; limits: boolean } | undefined {
  if (key !== undefined && keyPrefix !== undefined) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      "give key or keyPrefix, not both (a key ending in '${filename}' is a prefix)",
    );
  }
  if (key !== undefined) {
    const field = checkKey(key);
    if (!field.endsWith(FILENAME_VARIABLE)) return { field, condition: ['eq', '$key', field], limits: true };
    const prefix = field.slice(0, -FILENAME_VARIABLE.length);
    return { field, condition: ['starts-with', '$key', prefix], limits: prefix !== '' };
  }
  if (keyPrefix === undefined) return undefined;
  if (typeof keyPrefix !== 'string')
    throw new OssSignError('INVALID_KEY', `keyPrefix must be a string (got ${quote(keyPrefix)})`);
  checkKeyText(keyPrefix, 'keyPrefix');
  // OSS puts the file's name in place of `${filename}`; the browser may also choose its own name under the prefix.
  return {
    field: `${keyPrefix}${FILENAME_VARIABLE}`,
    condition: ['starts-with', '$key', keyPrefix],
    limits: keyPrefix !== '',
  };
}

/** `[min, max]` bytes, whole, 0 <= min <= max <= 5 GiB. */
function checkLengthRange(range: unknown): [number, number] {
  const [min, max] = Array.isArray(range) ? (range as unknown[]) : [];
  const valid = (n: unknown): n is number =>
    Number.isSafeInteger(n) && (n as number) >= 0 && (n as number) <= MAX_POST_OBJECT_BYTES;
  if (!Array.isArray(range) || range.length !== 2 || !valid(min) || !valid(max) || max < min) {
    throw invalid(
      `contentLengthRange must be [min, max] whole numbers of bytes with 0 <= min <= max <= ${MAX_POST_OBJECT_BYTES} (5 GiB, the PostObject limit) (got ${quoteJson(range)})`,
    );
  }
  return [min, max];
}

function policyContentType(value: string, name: string): string {
  try {
    checkContentType(value, name);
  } catch (error) {
    throw invalid((error as Error).message);
  }
  return checkUnicode(value, name);
}

/** A content-type prefix: OSS compares it as text, so a `*` in it would only match itself. */
function policyContentTypePrefix(prefix: string, name: string): string {
  if (prefix.includes('*')) {
    throw invalid(
      `${name} ${quote(prefix)} has a wildcard, but OSS compares content types as text: give the prefix alone, like "image/"`,
    );
  }
  return checkUnicode(prefix, name);
}

function contentTypeCondition(contentType: unknown): PolicyCondition {
  if (Array.isArray(contentType)) {
    const types: unknown[] = Array.from(contentType);
    if (types.length === 0 || !types.every((type) => typeof type === 'string')) {
      throw invalid('contentType must be a non-empty list of strings');
    }
    return ['in', '$content-type', types.map((type) => policyContentType(type as string, 'contentType'))];
  }
  const prefix =
    typeof contentType === 'object' && contentType !== null && Object.hasOwn(contentType, 'startsWith')
      ? (contentType as { startsWith: unknown }).startsWith
      : undefined;
  if (typeof prefix !== 'string') {
    throw invalid('contentType must be a string, a list of strings or { startsWith: string }');
  }
  return ['starts-with', '$content-type', policyContentTypePrefix(prefix, 'contentType.startsWith')];
}

/**
 * `metadata` and `fields`: an object of field names (not ones this function sets) to strings; `fields` may
 * also hold callback variables (`x:name`, lower case, as OSS requires).
 */
function fieldEntries(record: unknown, option: string, customVariables = false): [string, string][] {
  if (record === undefined) return [];
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw invalid(`${option} must be an object of field names to strings`);
  }
  return Object.entries(record).map(([name, value]) => {
    if (customVariables && name.startsWith('x:')) {
      checkCustomVariableName(name.slice(2), `${option}[${quote(name)}]`);
    } else if (!isHttpToken(name) || name === '__proto__' || OWN_FIELDS.has(name.toLowerCase())) {
      throw invalid(
        `${option} has field ${quote(name)}: not a valid field name, or one this function sets itself`,
      );
    }
    return [name, checkString(value, `${option}[${quote(name)}]`)];
  });
}

function checkString(value: unknown, name: string): string {
  if (typeof value !== 'string') throw invalid(`${name} must be a string (got ${quote(value)})`);
  return checkUnicode(value, name);
}

/** Form fields travel as UTF-8, which has no lone surrogate: a policy pinning one refuses every form. */
function checkUnicode(value: string, name: string): string {
  if (hasLoneSurrogate(value)) {
    throw invalid(`${name} has a lone surrogate, which no form field can carry (it is not valid Unicode)`);
  }
  return value;
}

/**
 * A caller's condition as plain values, read once: what is checked is what is signed, whatever the caller's
 * object would give on a second read (a getter, a `toJSON`); a hole is `undefined`, and so refused.
 */
function copyCondition(condition: unknown): unknown {
  if (Array.isArray(condition)) {
    return Array.from(condition, (item: unknown) => (Array.isArray(item) ? Array.from(item) : item));
  }
  if (typeof condition === 'object' && condition !== null)
    return Object.fromEntries(Object.entries(condition));
  return condition;
}

/**
 * A caller's raw condition: in a shape OSS takes, and not a deny-list of keys, which a form whose key is
 * `${filename}` passes whatever file name it then stores.
 */
function checkRawCondition(condition: unknown): ParsedCondition {
  const parsed = parseCondition(condition);
  if (parsed.operator === 'not-in' && parsed.field === 'key') {
    throw new OssSignError(
      'UNSAFE_POLICY',
      `conditions has ${quoteJson(condition)}: a not-in list of keys is no protection, since a form whose key is "\${filename}" passes it and then stores the file under its own name; limit keys with key or keyPrefix instead`,
    );
  }
  if (parsed.operator !== 'content-length-range' && parsed.field === 'content-type') {
    const name = `conditions has ${quoteJson(condition)}: content type`;
    if (parsed.operator === 'starts-with') policyContentTypePrefix(parsed.value, name);
    else for (const type of 'value' in parsed ? [parsed.value] : parsed.values) policyContentType(type, name);
  }
  return parsed;
}

/**
 * The caller's conditions must let through the form this function returns: each one on a field the form
 * sets (the V4 fields included) or on the bucket must hold, and some file size must fit every size range.
 * Conditions on other fields are for the browser to meet, with fields it adds.
 */
function checkOwnForm(
  rawConditions: ParsedPolicy['conditions'],
  fields: Record<string, string>,
  bucket: string,
  range: readonly [number, number] | undefined,
): void {
  const form = new Map<string, string>();
  for (const [name, value] of Object.entries(fields)) form.set(name.toLowerCase(), value);
  const failed = evaluatePolicy(
    { expiresAt: 0, conditions: rawConditions },
    { fields: form, bucket, file: { name: '' } },
    0,
  ).find((v) => v.kind === 'condition' && (v.field === 'bucket' || form.has(v.field as string)));
  if (failed) {
    throw invalid(
      `conditions has ${quoteJson(failed.condition)}, which the form this policy comes with fails (its ${failed.field} field): OSS would refuse every upload`,
    );
  }
  let [min, max] = range ?? [0, Number.POSITIVE_INFINITY];
  for (const { parsed } of rawConditions) {
    if (parsed.operator === 'content-length-range') {
      min = Math.max(min, parsed.min);
      max = Math.min(max, parsed.max);
    }
  }
  if (min > max) {
    throw invalid(
      'the content-length-range conditions leave no file size that meets them all: OSS would refuse every upload',
    );
  }
}
