import { OssSignError } from '../errors.js';
import { quote } from '../lib/validate.js';
import type { PolicyCondition } from './types.js';

/** OSS's PostObject limit, and so the widest `content-length-range`. */
const MAX_POST_OBJECT_BYTES = 5 * 1024 ** 3;
const OPERATORS: ReadonlySet<string> = new Set(['eq', 'starts-with', 'in', 'not-in', 'content-length-range']);

/** A condition's field as the form names it: `'$Content-Type'` and `'content-type'` are `'content-type'`. */
export function conditionField(field: string): string {
  return (field.startsWith('$') ? field.slice(1) : field).toLowerCase();
}

/** Field to value for every exact condition: `{ field: value }` or `['eq', '$field', value]`. */
export function pinnedFields(conditions: readonly unknown[]): Map<string, string> {
  const pinned = new Map<string, string>();
  for (const condition of conditions) {
    if (Array.isArray(condition)) {
      const [operator, field, value] = condition;
      if (operator === 'eq' && typeof field === 'string' && typeof value === 'string') {
        pinned.set(conditionField(field), value);
      }
    } else if (condition && typeof condition === 'object') {
      for (const [field, value] of Object.entries(condition)) {
        if (typeof value === 'string') pinned.set(conditionField(field), value);
      }
    }
  }
  return pinned;
}

/** Whether the conditions limit the key (to something non-empty) and the size, the secure defaults. */
export function policyLimits(conditions: readonly PolicyCondition[]): { key: boolean; size: boolean } {
  let key = false;
  let size = false;
  for (const condition of conditions) {
    if (!Array.isArray(condition)) {
      for (const [field, value] of Object.entries(condition))
        key ||= conditionField(field) === 'key' && value !== '';
      continue;
    }
    const [operator, field, value] = condition;
    if (operator === 'content-length-range') size = true;
    else if (
      (operator === 'eq' || operator === 'starts-with') &&
      conditionField(field) === 'key' &&
      value !== ''
    )
      key = true;
  }
  return { key, size };
}

/** `[min, max]` bytes, whole, 0 <= min <= max <= 5 GiB. */
export function checkLengthRange(range: unknown, name: string): [number, number] {
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

export function checkStrings(values: unknown, name: string): string[] {
  if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === 'string')) {
    throw new OssSignError('INVALID_POLICY', `${name} must be a non-empty list of strings`);
  }
  return values;
}

/** One raw condition in a shape OSS takes. */
export function checkCondition(condition: unknown): PolicyCondition {
  const bad = (rule: string) =>
    new OssSignError('INVALID_POLICY', `conditions has ${quote(JSON.stringify(condition))}: ${rule}`);
  if (!Array.isArray(condition)) {
    const entries = condition && typeof condition === 'object' ? Object.entries(condition) : [];
    if (entries.length !== 1 || typeof entries[0]?.[1] !== 'string')
      throw bad('an object condition is { field: "value" }');
    return condition as PolicyCondition;
  }
  const [operator, field, value] = condition as unknown[];
  if (condition.length !== 3 || typeof operator !== 'string' || !OPERATORS.has(operator)) {
    throw bad('expected [operator, field, value] with eq, starts-with, in, not-in or content-length-range');
  }
  if (operator === 'content-length-range') {
    checkLengthRange([field, value], 'content-length-range');
  } else if (typeof field !== 'string' || !field.startsWith('$')) {
    throw bad(`the field must be a string starting with '$'`);
  } else if (operator === 'in' || operator === 'not-in') {
    checkStrings(value, `the ${operator} list`);
  } else if (typeof value !== 'string') {
    throw bad('the value must be a string');
  }
  return condition as unknown as PolicyCondition;
}
