import { OssSignError } from './errors.js';
import { objectUrl } from './lib/endpoint.js';
import { isHttpToken } from './lib/headers.js';
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
} from './lib/validate.js';
import { toIsoSeconds, toUnixSeconds } from './oss/time.js';
import { checkCondition, checkLengthRange, checkStrings, policyLimits } from './post-policy/conditions.js';
import { signPolicyV1, signPolicyV4, v4PolicyFields } from './post-policy/sign.js';
import type { PolicyCondition, PostPolicyDocument } from './post-policy/types.js';
import { signingScopeV4 } from './signer/v4.js';
import type { OssCredentials, OssLocation, SignatureVersion } from './types.js';

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

const FILENAME = '${filename}';
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
  const expiresAt = new Date((toUnixSeconds(now) + expiresIn) * 1000);
  assertWithinCredentials(credentials, expiresAt, 'expiresIn');
  const url = objectUrl(options, '');
  const v4 =
    version === 'v4'
      ? signingScopeV4(
          now,
          normalizeRegion(options.region),
          validateProduct(options.product),
          credentials.accessKeyId,
        )
      : undefined;

  const fields: Record<string, string> = {};
  const conditions: PolicyCondition[] = [{ bucket }];
  const pin = (field: string, value: string) => {
    fields[field] = value;
    conditions.push(['eq', `$${field}`, value]);
  };
  if (v4)
    for (const [field, value] of Object.entries(v4PolicyFields(credentials, v4)))
      conditions.push({ [field]: value });

  const key = keyCondition(options.key, options.keyPrefix);
  if (key) {
    fields.key = key.field;
    conditions.push(key.condition);
  }
  if (options.contentLengthRange !== undefined) {
    const [min, max] = checkLengthRange(options.contentLengthRange, 'contentLengthRange');
    conditions.push(['content-length-range', min, max]);
  }
  const { contentType } = options;
  if (typeof contentType === 'string') pin('Content-Type', contentType);
  else if (contentType !== undefined) conditions.push(contentTypeCondition(contentType));
  if (options.successActionStatus !== undefined) {
    if (![200, 201, 204].includes(options.successActionStatus)) {
      throw new OssSignError(
        'INVALID_POLICY',
        `successActionStatus must be 200, 201 or 204 (got ${quote(options.successActionStatus)})`,
      );
    }
    pin('success_action_status', String(options.successActionStatus));
  }
  if (options.successActionRedirect !== undefined) {
    pin('success_action_redirect', checkString(options.successActionRedirect, 'successActionRedirect'));
  }
  for (const [name, value] of entriesOf(options.metadata, 'metadata')) pin(`x-oss-meta-${name}`, value);
  for (const [name, value] of entriesOf(options.fields, 'fields')) pin(name, value);
  if (options.callback !== undefined) pin('callback', checkString(options.callback, 'callback'));
  if (options.conditions !== undefined) {
    if (!Array.isArray(options.conditions))
      throw new OssSignError('INVALID_POLICY', 'conditions must be an array');
    for (const condition of options.conditions) conditions.push(checkCondition(condition));
  }

  const limits = policyLimits(conditions);
  if (!limits.key && !options.allowAnyKey) {
    throw new OssSignError(
      'UNSAFE_POLICY',
      'the policy must limit the key: give key or a non-empty keyPrefix, or set allowAnyKey: true',
    );
  }
  if (!limits.size && !options.allowAnySize) {
    throw new OssSignError(
      'UNSAFE_POLICY',
      'the policy must limit the size: give contentLengthRange, or set allowAnySize: true',
    );
  }

  const policy: PostPolicyDocument = { expiration: toIsoSeconds(expiresAt), conditions };
  const text = JSON.stringify(policy);
  const signed = v4 ? signPolicyV4(text, credentials, v4) : signPolicyV1(text, credentials);
  return { url, fields: Object.assign(fields, signed.fields), policy, expiresAt };
}

/** The key field and its condition: exact, or starts-with for a prefix or a key ending in `${filename}`. */
function keyCondition(
  key: unknown,
  keyPrefix: unknown,
): { field: string; condition: PolicyCondition } | undefined {
  if (key !== undefined && keyPrefix !== undefined) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      "give key or keyPrefix, not both (a key ending in '${filename}' is a prefix)",
    );
  }
  if (key !== undefined) {
    const field = validateKey(key);
    if (!field.endsWith(FILENAME)) return { field, condition: ['eq', '$key', field] };
    return { field, condition: ['starts-with', '$key', field.slice(0, -FILENAME.length)] };
  }
  if (keyPrefix === undefined) return undefined;
  if (typeof keyPrefix !== 'string')
    throw new OssSignError('INVALID_KEY', `keyPrefix must be a string (got ${quote(keyPrefix)})`);
  checkKeyText(keyPrefix, 'keyPrefix');
  // OSS puts the file's name in place of `${filename}`; the browser may also choose its own name under the prefix.
  return { field: `${keyPrefix}${FILENAME}`, condition: ['starts-with', '$key', keyPrefix] };
}

function contentTypeCondition(contentType: unknown): PolicyCondition {
  if (Array.isArray(contentType)) return ['in', '$content-type', checkStrings(contentType, 'contentType')];
  const prefix = (contentType as { startsWith?: unknown } | null)?.startsWith;
  if (typeof contentType !== 'object' || typeof prefix !== 'string') {
    throw new OssSignError(
      'INVALID_POLICY',
      'contentType must be a string, a list of strings or { startsWith: string }',
    );
  }
  return ['starts-with', '$content-type', prefix];
}

/** `metadata` and `fields`: a plain object of field names (not ones this function sets) to strings. */
function entriesOf(record: unknown, option: string): [string, string][] {
  if (record === undefined) return [];
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new OssSignError('INVALID_POLICY', `${option} must be an object of field names to strings`);
  }
  return Object.entries(record).map(([name, value]) => {
    if (!isHttpToken(name) || OWN_FIELDS.has(name.toLowerCase())) {
      throw new OssSignError(
        'INVALID_POLICY',
        `${option} has field ${quote(name)}: not a valid field name, or one this function sets itself`,
      );
    }
    return [name, checkString(value, `${option}[${quote(name)}]`)];
  });
}

function checkString(value: unknown, name: string): string {
  if (typeof value !== 'string')
    throw new OssSignError('INVALID_POLICY', `${name} must be a string (got ${quote(value)})`);
  return value;
}
