/** A form field as a policy names it: `'$key'`, `'$content-type'`, `'$x-oss-meta-owner'`… */
export type PolicyField = `$${string}`;

/** One POST policy condition, in the JSON shape OSS reads. */
export type PolicyCondition =
  | readonly ['eq', PolicyField, string]
  | readonly ['starts-with', PolicyField, string]
  | readonly ['in' | 'not-in', PolicyField, readonly string[]]
  | readonly ['content-length-range', number, number]
  /** `{ field: value }`: the field must equal the value. */
  | Readonly<Record<string, string>>;

export interface PostPolicyDocument {
  /** ISO 8601 UTC, e.g. `'2025-01-01T12:00:00.000Z'`. */
  expiration: string;
  conditions: PolicyCondition[];
}
