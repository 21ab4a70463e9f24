import { OssSignError } from '../../errors.js';
import { quoteJson } from '../../quote.js';
import { hasLoneSurrogate } from '../names.js';
import { parseIsoUtc } from '../time.js';
import type { PostPolicyDocument } from './types.js';

/** A condition as OSS reads it, field names lower-cased and without `$`. */
export type ParsedCondition =
  | { readonly operator: 'eq' | 'starts-with'; readonly field: string; readonly value: string }
  | { readonly operator: 'in' | 'not-in'; readonly field: string; readonly values: readonly string[] }
  | { readonly operator: 'content-length-range'; readonly min: number; readonly max: number };

/** A POST policy as OSS reads it: expiry in milliseconds, each condition next to the JSON it came from. */
export interface ParsedPolicy {
  readonly expiresAt: number;
  readonly conditions: readonly { readonly parsed: ParsedCondition; readonly source: unknown }[];
}

/** A condition's field as the form names it: `'$Content-Type'` and `'content-type'` are `'content-type'`. */
function conditionField(field: string): string {
  return (field.startsWith('$') ? field.slice(1) : field).toLowerCase();
}

function invalid(rule: string): OssSignError {
  return new OssSignError('INVALID_POLICY', rule);
}

/**
 * One condition in a shape OSS takes: `{ field: value }`, `[eq|starts-with, $field, string]`,
 * `[in|not-in, $field, [strings]]` or `[content-length-range, min, max]`. Operators are lower case, as
 * OSS writes them; a byte count may be a number or a string of digits.
 */
export function parseCondition(condition: unknown): ParsedCondition {
  const parsed = readCondition(condition);
  // Form fields travel as UTF-8, which has no lone surrogate: a policy pinning one refuses every form.
  const texts =
    parsed.operator === 'content-length-range'
      ? []
      : [parsed.field, ...('value' in parsed ? [parsed.value] : parsed.values)];
  if (texts.some(hasLoneSurrogate)) {
    throw invalid(
      `conditions has ${quoteJson(condition)}: a lone surrogate, which no form field can carry (it is not valid Unicode)`,
    );
  }
  return parsed;
}

function readCondition(condition: unknown): ParsedCondition {
  const bad = (rule: string) => invalid(`conditions has ${quoteJson(condition)}: ${rule}`);
  if (!Array.isArray(condition)) {
    if (typeof condition !== 'object' || condition === null) {
      throw bad('a condition is { field: "value" } or [operator, field, value]');
    }
    const names = Object.keys(condition);
    const value = names.length === 1 ? (condition as Record<string, unknown>)[names[0] as string] : undefined;
    if (typeof value !== 'string') throw bad('an object condition is { field: "value" }');
    return { operator: 'eq', field: conditionField(names[0] as string), value };
  }
  const [operator, field, value] = condition as unknown[];
  if (condition.length !== 3) throw bad('a list condition is [operator, field, value]');
  if (operator === 'content-length-range') {
    const min = byteCount(field);
    const max = byteCount(value);
    if (min === undefined || max === undefined || max < min) {
      throw bad('content-length-range needs two whole numbers of bytes, min <= max');
    }
    return { operator, min, max };
  }
  if (operator !== 'eq' && operator !== 'starts-with' && operator !== 'in' && operator !== 'not-in') {
    throw bad('the operator must be eq, starts-with, in, not-in or content-length-range, in lower case');
  }
  if (typeof field !== 'string' || !field.startsWith('$') || field.length === 1) {
    throw bad(`the field must be a "$name" string`);
  }
  if (operator === 'in' || operator === 'not-in') {
    // A copy, in which a hole is `undefined` (and so refused) rather than skipped.
    const values: unknown[] | undefined = Array.isArray(value) ? Array.from(value) : undefined;
    if (values === undefined || !values.every((item) => typeof item === 'string')) {
      throw bad(`${operator} needs a list of strings`);
    }
    return { operator, field: conditionField(field), values: values as string[] };
  }
  if (typeof value !== 'string') throw bad(`${operator} needs a string value`);
  return { operator, field: conditionField(field), value };
}

/** A byte count as a policy may write it, a number or a string of digits; `undefined` if neither. */
function byteCount(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 ? number : undefined;
}

/** A policy document's JSON text (or the document) as OSS reads it. */
export function parsePolicy(policy: string | PostPolicyDocument): ParsedPolicy {
  let document: unknown = policy;
  if (typeof policy === 'string') {
    try {
      document = JSON.parse(policy);
    } catch {
      throw invalid('policy must be a JSON document with "expiration" and "conditions": it is not JSON');
    }
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw invalid('policy must be a JSON object with "expiration" and "conditions"');
  }
  const { expiration, conditions } = document as Record<string, unknown>;
  const expiresAt = Object.hasOwn(document, 'expiration') ? parseIsoUtc(expiration) : undefined;
  if (expiresAt === undefined) {
    throw invalid('policy must have an "expiration" in ISO 8601 UTC, like "2030-01-01T00:00:00.000Z"');
  }
  if (!Object.hasOwn(document, 'conditions') || !Array.isArray(conditions)) {
    throw invalid('policy must have a "conditions" array');
  }
  return {
    expiresAt,
    conditions: Array.from(conditions, (source: unknown) => ({ parsed: parseCondition(source), source })),
  };
}

/** The fields a V4 form sends besides its policy and signature, which its policy must pin exactly. */
export const V4_PINNED_FIELDS = ['x-oss-signature-version', 'x-oss-credential', 'x-oss-date'] as const;

/** Field to value for every exact condition: `{ field: value }` or `['eq', '$field', value]`. */
export function pinnedFields(policy: ParsedPolicy): Map<string, string> {
  const pinned = new Map<string, string>();
  for (const { parsed } of policy.conditions) {
    if (parsed.operator === 'eq') pinned.set(parsed.field, parsed.value);
  }
  return pinned;
}
