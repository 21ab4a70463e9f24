import { isObject } from './state.js';

/**
 * Session policies (the `Policy` of an AssumeRole call): Allow and Deny statements whose actions and
 * resources may use `*` and `?` wildcards. A Deny that matches wins; otherwise some Allow must match.
 */
export interface SessionPolicy {
  readonly statements: readonly PolicyStatement[];
}

interface PolicyStatement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly RegExp[];
  readonly resources: readonly RegExp[];
}

/** The RAM action each operation needs, as OSS maps them. */
export type OssAction =
  | 'oss:PutObject'
  | 'oss:GetObject'
  | 'oss:DeleteObject'
  | 'oss:AbortMultipartUpload'
  | 'oss:ListParts';

const STATEMENT_FIELDS = new Set(['Effect', 'Action', 'Resource']);

/** Parses a session policy; throws an Error whose message says what is wrong with it. */
export function parseSessionPolicy(text: string): SessionPolicy {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new Error('the policy is not valid JSON');
  }
  if (!isObject(document) || document.Version !== '1') {
    throw new Error('the policy must be an object with "Version": "1"');
  }
  const { Statement } = document;
  if (!Array.isArray(Statement) || Statement.length === 0) {
    throw new Error('the policy must have a non-empty "Statement" array');
  }
  return { statements: Statement.map(parseStatement) };
}

function parseStatement(statement: unknown, index: number): PolicyStatement {
  if (!isObject(statement)) throw new Error(`Statement[${index}] must be an object`);
  for (const field of Object.keys(statement)) {
    // Conditions, NotAction and the like are not evaluated here, so a policy relying on them is refused
    // rather than silently granting more than it says.
    if (!STATEMENT_FIELDS.has(field)) {
      throw new Error(`Statement[${index}].${field} is not supported by the local endpoint`);
    }
  }
  const { Effect, Action, Resource } = statement;
  if (Effect !== 'Allow' && Effect !== 'Deny') {
    throw new Error(`Statement[${index}].Effect must be "Allow" or "Deny"`);
  }
  return {
    effect: Effect,
    actions: patternList(Action, `Statement[${index}].Action`).map((pattern) => wildcard(pattern, 'i')),
    resources: patternList(Resource, `Statement[${index}].Resource`).map((pattern) => wildcard(pattern, '')),
  };
}

function patternList(value: unknown, name: string): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((item) => typeof item === 'string' && item)) {
    throw new Error(`${name} must be a non-empty string or array of non-empty strings`);
  }
  return list;
}

/** `*` is any run of characters, `?` any one; everything else is literal. */
function wildcard(pattern: string, flags: string): RegExp {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, `s${flags}`);
}

export function isAllowed(policy: SessionPolicy, action: OssAction, resource: string): boolean {
  const matching = policy.statements.filter(
    (statement) =>
      statement.actions.some((pattern) => pattern.test(action)) &&
      statement.resources.some((pattern) => pattern.test(resource)),
  );
  return matching.some((s) => s.effect === 'Allow') && !matching.some((s) => s.effect === 'Deny');
}
