import { OssSignError } from '../errors.js';

/**
 * RAM policies as STS takes them for a session policy: `Version` "1" and a non-empty `Statement` list of
 * `Effect` Allow or Deny with `Action` and `Resource` (a string or a list, `*` and `?` as wildcards). The
 * STS provider checks this grammar before calling STS; the local endpoint enforces what it grants.
 */
export interface RamPolicyGrammar {
  readonly statements: readonly RamStatement[];
}

export interface RamStatement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** Other members (`Condition`, `NotAction`…), which RAM evaluates and the local endpoint does not. */
  readonly otherMembers: readonly string[];
}

/** The RAM action each object operation needs, as OSS maps them. */
export type OssAction =
  | 'oss:PutObject'
  | 'oss:GetObject'
  | 'oss:DeleteObject'
  | 'oss:AbortMultipartUpload'
  | 'oss:ListParts';

/** STS refuses a session policy longer than this. */
export const MAX_SESSION_POLICY_LENGTH = 2048;

function invalid(name: string, rule: string): OssSignError {
  return new OssSignError('INVALID_POLICY', `${name} ${rule}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A RAM policy document (parsed JSON) checked against the grammar; `name` names it in messages. */
export function parseRamPolicy(document: unknown, name: string): RamPolicyGrammar {
  if (!isRecord(document) || !Object.hasOwn(document, 'Statement')) {
    throw invalid(name, 'must be a RAM policy document: an object with "Version": "1" and a Statement list');
  }
  if (document.Version !== '1') throw invalid(name, 'must have "Version": "1"');
  const { Statement } = document;
  if (!Array.isArray(Statement) || Statement.length === 0) {
    throw invalid(name, 'must have a non-empty "Statement" list');
  }
  return {
    statements: Statement.map((statement: unknown, index) => {
      const at = `${name}.Statement[${index}]`;
      if (!isRecord(statement)) throw invalid(at, 'must be an object');
      const { Effect, Action, Resource } = statement;
      if (Effect !== 'Allow' && Effect !== 'Deny') throw invalid(at, 'must have "Effect": "Allow" or "Deny"');
      return {
        effect: Effect,
        actions: patternList(Action, `${at}.Action`),
        resources: patternList(Resource, `${at}.Resource`),
        otherMembers: Object.keys(statement).filter(
          (m) => m !== 'Effect' && m !== 'Action' && m !== 'Resource',
        ),
      };
    }),
  };
}

function patternList(value: unknown, name: string): string[] {
  const list: unknown[] | undefined =
    typeof value === 'string' ? [value] : Array.isArray(value) ? Array.from(value) : undefined;
  if (list === undefined || list.length === 0 || !list.every((item) => typeof item === 'string' && item)) {
    throw invalid(name, 'must be a non-empty string or list of non-empty strings');
  }
  return list as string[];
}

/**
 * `*` is any run of characters, `?` any one; everything else is literal. Matched by the two-pointer
 * method (back to the last `*` on a mismatch), which stays within length(pattern) x length(text) steps
 * where a regular expression could backtrack exponentially.
 */
function globMatch(pattern: string, text: string, ignoreCase: boolean): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const t = ignoreCase ? text.toLowerCase() : text;
  let pi = 0;
  let ti = 0;
  let star = -1;
  let resume = 0;
  while (ti < t.length) {
    // A `*` is a wildcard even where the text has a `*` too, so it is tested first.
    if (pi < p.length && p[pi] === '*') {
      star = pi++;
      resume = ti;
    } else if (pi < p.length && (p[pi] === '?' || p[pi] === t[ti])) {
      pi++;
      ti++;
    } else if (star >= 0) {
      pi = star + 1;
      ti = ++resume;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}

/** Whether the policy lets `action` act on `resource`: a matching Deny wins, else some Allow must match. */
export function ramAllows(policy: RamPolicyGrammar, action: OssAction, resource: string): boolean {
  let allowed = false;
  for (const statement of policy.statements) {
    const applies =
      statement.actions.some((pattern) => globMatch(pattern, action, true)) &&
      statement.resources.some((pattern) => globMatch(pattern, resource, false));
    if (applies && statement.effect === 'Deny') return false;
    allowed ||= applies;
  }
  return allowed;
}
