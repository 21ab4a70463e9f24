import { OssSignError } from '../errors.js';

/** STS refuses a session policy longer than this. */
const MAX_SESSION_POLICY_LENGTH = 2048;

/** The session policy as sent to STS (and its cache key): a string goes as given, a `RamPolicy` as compact JSON. */
export function serializeSessionPolicy(policy: unknown, name: string): string {
  let text: string;
  if (typeof policy === 'string') {
    text = policy;
    let parsed: unknown;
    try {
      parsed = JSON.parse(policy);
    } catch {
      throw new OssSignError(
        'INVALID_POLICY',
        `${name} must be a JSON RAM policy document: it is not valid JSON`,
      );
    }
    assertPolicyShape(parsed, name);
  } else {
    assertPolicyShape(policy, name);
    try {
      text = JSON.stringify(policy);
    } catch (error) {
      // BigInt and circular values; an exception from the caller's own getter or toJSON is wrapped too.
      throw new OssSignError(
        'INVALID_POLICY',
        `${name} must be a RAM policy document that JSON can represent (no BigInt, no circular reference)`,
        { cause: error },
      );
    }
  }
  if (text.length > MAX_SESSION_POLICY_LENGTH) {
    throw new OssSignError(
      'INVALID_POLICY',
      `${name} is ${text.length} characters of JSON; STS accepts at most ${MAX_SESSION_POLICY_LENGTH}`,
    );
  }
  return text;
}

function assertPolicyShape(policy: unknown, name: string): void {
  const statement =
    typeof policy === 'object' && policy !== null && Object.hasOwn(policy, 'Statement')
      ? (policy as { Statement?: unknown }).Statement
      : undefined;
  if (!Array.isArray(statement) || statement.length === 0) {
    throw new OssSignError(
      'INVALID_POLICY',
      `${name} must be a RAM policy document: an object with a non-empty Statement array`,
    );
  }
}
