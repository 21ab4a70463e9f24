import { OssSignError } from '../errors.js';
import { MAX_SESSION_POLICY_LENGTH, parseRamPolicy } from '../oss/ram-policy.js';

/**
 * The session policy as sent to STS (and its cache key): a string goes as given, a `RamPolicy` as compact
 * JSON. Either must follow the RAM policy grammar STS checks (the one the local endpoint enforces); a text
 * for which `checked` says yes passed that check before (it is a cache key), and is not checked again.
 */
export function serializeSessionPolicy(
  policy: unknown,
  name: string,
  checked: (text: string) => boolean = () => false,
): string {
  let text: string;
  if (typeof policy === 'string') {
    text = policy;
    if (checked(text)) return text;
    let parsed: unknown;
    try {
      parsed = JSON.parse(policy);
    } catch {
      throw new OssSignError(
        'INVALID_POLICY',
        `${name} must be a JSON RAM policy document: it is not valid JSON`,
      );
    }
    parseRamPolicy(parsed, name);
  } else {
    try {
      text = JSON.stringify(policy);
      if (checked(text)) return text;
      parseRamPolicy(policy, name);
    } catch (cause) {
      if (cause instanceof OssSignError) throw cause;
      // BigInt and circular values; an exception from the caller's own getter, toJSON or proxy is wrapped too.
      throw new OssSignError(
        'INVALID_POLICY',
        `${name} must be a RAM policy document that JSON can represent (no BigInt, no circular reference)`,
        { cause },
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
