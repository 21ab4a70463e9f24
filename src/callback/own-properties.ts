import { OssSignError, type OssSignErrorCode, quote } from '../errors.js';

/**
 * An options object's own enumerable properties, each read once (never from the prototype). With
 * `known`, another name is refused: a misspelt option, or another SDK's name for it (`hints`), would
 * otherwise be silently ignored. A throwing getter or proxy becomes an OssSignError too.
 */
export function ownProperties(
  value: unknown,
  name: string,
  code: OssSignErrorCode,
  known?: ReadonlySet<string>,
  hints: Readonly<Record<string, string>> = {},
): Record<string, unknown> {
  const snapshot: Record<string, unknown> = Object.create(null);
  readSafely(name, code, () => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new OssSignError(code, `${name} must be an object (got ${describeValue(value)})`);
    }
    for (const key of Object.keys(value)) snapshot[key] = (value as Record<string, unknown>)[key];
  });
  for (const key in snapshot) {
    if (!known || known.has(key)) continue;
    const hint = Object.hasOwn(hints, key) ? ` (did you mean ${hints[key]}?)` : '';
    throw new OssSignError(
      code,
      `${name} has no option ${quote(key)}${hint}; known: ${[...known].join(', ')}`,
    );
  }
  return snapshot;
}

/** An array's items, read once (`undefined` for anything else); a throwing proxy becomes an OssSignError. */
export function arrayItems(value: unknown, name: string, code: OssSignErrorCode): unknown[] | undefined {
  return readSafely(name, code, () => (Array.isArray(value) ? Array.from(value) : undefined));
}

function readSafely<T>(name: string, code: OssSignErrorCode, read: () => T): T {
  try {
    return read();
  } catch (cause) {
    if (cause instanceof OssSignError) throw cause;
    throw new OssSignError(code, `${name} could not be read: reading it threw`, { cause });
  }
}

/** A caller's value in a message: `quote` for what prints safely, the type for the rest. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'undefined':
      return quote(value);
    case 'bigint':
      return 'a bigint';
    case 'object':
      return isArray(value) ? 'an array' : 'an object';
    default:
      return `a ${typeof value}`;
  }
}

/** Array.isArray throws on a revoked proxy; a message must not. */
function isArray(value: unknown): boolean {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}
