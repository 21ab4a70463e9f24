import { OssSignError } from './errors.js';
import { resolveNow } from './options/timing.js';
import { evaluatePolicy } from './oss/post-policy/evaluate.js';
import { parsePolicy } from './oss/post-policy/parse.js';
import type { PostPolicyDocument } from './oss/post-policy/types.js';
import { quote } from './quote.js';

export interface CheckPostPolicyOptions {
  /** The bucket the form is posted to; without it, conditions on the bucket are not checked. */
  bucket?: string | undefined;
  /** The file's size in bytes; without it, `content-length-range` is not checked. */
  fileSize?: number | undefined;
  /** The file's name, which OSS puts in place of `${filename}` in the key. */
  fileName?: string | undefined;
  /** The file part's own Content-Type, used when the form has no Content-Type field. */
  fileType?: string | undefined;
  /** Default the current time. */
  now?: Date | undefined;
}

export interface PostPolicyViolation {
  /** The condition as the policy writes it, when a condition failed. */
  condition?: unknown;
  field?: string;
  reason: string;
}

export interface CheckPostPolicyResult {
  ok: boolean;
  violations: PostPolicyViolation[];
}

/**
 * Would OSS accept this form under this policy? The very evaluator the local endpoint runs: expiry, every
 * condition, the file size, `${filename}` in the key and the V4 pins. It checks conditions, not signatures.
 * `policy` is the document, its JSON text, or the base64 `policy` field of a form.
 */
export function checkPostPolicy(
  policy: string | PostPolicyDocument,
  form: Record<string, string>,
  options: CheckPostPolicyOptions = {},
): CheckPostPolicyResult {
  if (typeof options !== 'object' || options === null) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      `checkPostPolicy takes an options object (got ${quote(options)})`,
    );
  }
  // Own enumerable properties, each read once: nothing from a prototype.
  const given = new Map<string, unknown>(Object.entries(options));
  const bucket = given.get('bucket');
  const fileSize = given.get('fileSize');
  const fileName = given.has('fileName') ? given.get('fileName') : '';
  const fileType = given.get('fileType');
  const now = given.get('now');
  if (fileSize !== undefined && !(Number.isSafeInteger(fileSize) && (fileSize as number) >= 0)) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      `fileSize must be a whole number of bytes (got ${quote(fileSize)})`,
    );
  }
  if (
    typeof fileName !== 'string' ||
    (fileType !== undefined && typeof fileType !== 'string') ||
    (bucket !== undefined && typeof bucket !== 'string')
  ) {
    throw new OssSignError('INVALID_ARGUMENT', 'bucket, fileName and fileType must be strings');
  }
  const fields = new Map<string, string>();
  if (typeof form !== 'object' || form === null) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      `form must be an object of field names to strings (got ${quote(form)})`,
    );
  }
  // OSS reads field names in any case, and refuses a form that sends one name twice.
  const repeated: PostPolicyViolation[] = [];
  for (const [name, value] of Object.entries(form)) {
    if (typeof value !== 'string')
      throw new OssSignError('INVALID_ARGUMENT', `form[${quote(name)}] must be a string`);
    const lower = name.toLowerCase();
    if (fields.has(lower))
      repeated.push({ field: lower, reason: `the form has more than one ${lower} field` });
    fields.set(lower, value);
  }
  const parsed = parsePolicy(typeof policy === 'string' ? policyText(policy) : policy);
  const evaluated = evaluatePolicy(
    parsed,
    {
      fields,
      bucket: bucket as string | undefined,
      file: { size: fileSize as number | undefined, name: fileName, type: fileType as string | undefined },
    },
    resolveNow(now).getTime(),
  ).map(({ condition, field, reason }) => ({
    ...(condition !== undefined && { condition }),
    ...(field !== undefined && { field }),
    reason,
  }));
  const violations = [...repeated, ...evaluated];
  return { ok: violations.length === 0, violations };
}

/** JSON text as given, or decoded from the base64 a form carries. */
function policyText(policy: string): string {
  if (policy.trimStart().startsWith('{')) return policy;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(
      Uint8Array.from(atob(policy), (char) => char.charCodeAt(0)),
    );
  } catch {
    throw new OssSignError(
      'INVALID_POLICY',
      'policy must be a JSON document, its text, or its base64 form field',
    );
  }
}
