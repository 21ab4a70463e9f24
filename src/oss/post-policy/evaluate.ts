import { OssSignError } from '../../errors.js';
import { checkKey, MAX_KEY_BYTES } from '../names.js';
import { type ParsedCondition, type ParsedPolicy, pinnedFields, V4_PINNED_FIELDS } from './parse.js';

/** The variable a form's key may hold: OSS puts the uploaded file's name in its place. */
export const FILENAME_VARIABLE = '${filename}';

/**
 * The key a form stores its file under: each `${filename}` in the key field replaced by the file's name
 * without any directory part (browsers once sent `C:\fakepath\a.txt`), in one pass, the name taken
 * literally (a `$&` in it is two characters, not a replacement pattern).
 */
export function keyToStore(key: string, filename: string): string {
  const name = baseName(filename);
  return key.replaceAll(FILENAME_VARIABLE, () => name);
}

/**
 * How long `keyToStore` would make the key, counted without making it: 2 MB of `${filename}` and a long
 * file name would be gigabytes, and no key is longer than 1023 bytes.
 */
export function storedKeyLength(key: string, filename: string): number {
  const growth = baseName(filename).length - FILENAME_VARIABLE.length;
  let length = key.length;
  for (
    let at = key.indexOf(FILENAME_VARIABLE);
    at >= 0;
    at = key.indexOf(FILENAME_VARIABLE, at + FILENAME_VARIABLE.length)
  ) {
    length += growth;
  }
  return length;
}

function baseName(filename: string): string {
  return filename.slice(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
}

/** A PostObject form as OSS sees it when it checks the policy. */
export interface PostForm {
  /** Form fields by lower-case name (the file excluded). */
  readonly fields: ReadonlyMap<string, string>;
  /** Undefined: conditions on the bucket are not checked. */
  readonly bucket: string | undefined;
  /** The file part: its size (undefined: size conditions are not checked), name and own Content-Type. */
  readonly file: {
    readonly size?: number | undefined;
    readonly name: string;
    readonly type?: string | undefined;
  };
}

/** Why OSS would refuse the form; `kind` decides the error OSS answers with. */
export interface PolicyViolation {
  kind:
    | 'expired'
    | 'condition'
    | 'too-small'
    | 'too-large'
    | 'missing-v4-pin'
    | 'missing-key'
    | 'invalid-key';
  condition?: unknown;
  field?: string;
  reason: string;
}

/**
 * Every reason OSS would refuse this form under this policy, in the order OSS checks: expiry, each
 * condition, then the V4 pins. The content type a condition sees is the `Content-Type` field, else the
 * file part's own. The key is checked as sent, which is what OSS compares; when it holds `${filename}`,
 * each condition must also hold for the key that will be stored (unless the condition itself names
 * `${filename}`), so that no key condition can be dodged through the file name.
 */
export function evaluatePolicy(policy: ParsedPolicy, form: PostForm, now: number): PolicyViolation[] {
  const violations: PolicyViolation[] = [];
  if (policy.expiresAt < now) violations.push({ kind: 'expired', reason: 'the policy has expired' });
  const key = form.fields.get('key');
  if (key === undefined)
    violations.push({ kind: 'missing-key', field: 'key', reason: 'the form has no key field' });
  // UTF-16 units never outnumber UTF-8 bytes: a longer string is no key, and is not built.
  const overlong = key !== undefined && storedKeyLength(key, form.file.name) > MAX_KEY_BYTES;
  const storedKey = key === undefined || overlong ? undefined : keyToStore(key, form.file.name);
  const fieldValue = (field: string): string =>
    field === 'bucket'
      ? (form.bucket ?? '')
      : field === 'content-type'
        ? (form.fields.get('content-type') ?? form.file.type ?? '')
        : (form.fields.get(field) ?? '');

  for (const { parsed, source } of policy.conditions) {
    if (parsed.operator === 'content-length-range') {
      const { size } = form.file;
      if (size === undefined) continue;
      if (size < parsed.min) {
        violations.push({
          kind: 'too-small',
          condition: source,
          reason: `the file has ${size} bytes, below ${parsed.min}`,
        });
      } else if (size > parsed.max) {
        violations.push({
          kind: 'too-large',
          condition: source,
          reason: `the file has ${size} bytes, above ${parsed.max}`,
        });
      }
      continue;
    }
    const { field } = parsed;
    if (field === 'bucket' && form.bucket === undefined) continue;
    const value = fieldValue(field);
    let holds = matches(parsed, value);
    if (
      holds &&
      field === 'key' &&
      storedKey !== undefined &&
      storedKey !== value &&
      !namesFilename(parsed)
    ) {
      holds = matches(parsed, storedKey);
    }
    if (!holds) {
      violations.push({
        kind: 'condition',
        condition: source,
        field,
        // The token is shown by name only: this reason may be logged.
        reason: `${field} ${field === 'x-oss-security-token' ? 'of the form' : shown(field === 'key' ? (storedKey ?? value) : value)} fails ${parsed.operator}`,
      });
    }
  }

  if (form.fields.has('x-oss-signature-version')) {
    const pinned = pinnedFields(policy);
    const required = form.fields.has('x-oss-security-token')
      ? [...V4_PINNED_FIELDS, 'x-oss-security-token']
      : V4_PINNED_FIELDS;
    for (const field of required) {
      if (!pinned.has(field)) {
        violations.push({ kind: 'missing-v4-pin', field, reason: `a V4 policy must pin ${field}` });
      }
    }
  }
  // Last, as OSS names the object only once the form has passed its policy.
  if (overlong) {
    violations.push({
      kind: 'invalid-key',
      field: 'key',
      reason: `the key to store is not valid: it would be longer than ${MAX_KEY_BYTES} bytes`,
    });
  } else if (storedKey !== undefined) {
    try {
      checkKey(storedKey);
    } catch (error) {
      if (!(error instanceof OssSignError)) throw error;
      violations.push({
        kind: 'invalid-key',
        field: 'key',
        reason: `the key to store is not valid: ${error.message}`,
      });
    }
  }
  return violations;
}

/** A field's value in a reason, cut before it is quoted: one value can be megabytes, and many conditions fail. */
function shown(value: string): string {
  return value.length > 80 ? `${JSON.stringify(value.slice(0, 77))}...` : JSON.stringify(value);
}

function matches(
  condition: Exclude<ParsedCondition, { operator: 'content-length-range' }>,
  value: string,
): boolean {
  switch (condition.operator) {
    case 'eq':
      return value === condition.value;
    case 'starts-with':
      return value.startsWith(condition.value);
    case 'in':
      return condition.values.includes(value);
    case 'not-in':
      return !condition.values.includes(value);
  }
}

function namesFilename(condition: Exclude<ParsedCondition, { operator: 'content-length-range' }>): boolean {
  return 'value' in condition
    ? condition.value.includes(FILENAME_VARIABLE)
    : condition.values.some((v) => v.includes(FILENAME_VARIABLE));
}
