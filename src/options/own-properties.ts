import { OssSignError, type OssSignErrorCode } from '../errors.js';
import { quote } from '../quote.js';

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
      throw new OssSignError(code, `${name} must be an object (got ${quote(value)})`);
    }
    for (const key of Object.keys(value)) snapshot[key] = (value as Record<string, unknown>)[key];
  });
  if (known)
    for (const key in snapshot) if (!known.has(key)) throw unknownOption(name, key, code, known, hints);
  return snapshot;
}

/** An option this function does not take: a misspelling, or another SDK's name for one (`hints`). */
export function unknownOption(
  name: string,
  key: string,
  code: OssSignErrorCode,
  known: ReadonlySet<string>,
  hints: Readonly<Record<string, string>>,
): OssSignError {
  const hint = Object.hasOwn(hints, key) ? ` (${hints[key]})` : '';
  return new OssSignError(
    code,
    `${name} has no option ${quote(key)}${hint}; it takes: ${[...known].join(', ')}`,
  );
}

/** An array's items, read once (`undefined` for anything else); a throwing proxy becomes an OssSignError. */
export function arrayItems(value: unknown, name: string, code: OssSignErrorCode): unknown[] | undefined {
  return readSafely(name, code, () => (Array.isArray(value) ? Array.from(value) : undefined));
}

/** Runs `read`, turning what a throwing getter or proxy throws into an OssSignError with it as `cause`. */
function readSafely<T>(name: string, code: OssSignErrorCode, read: () => T): T {
  try {
    return read();
  } catch (cause) {
    if (cause instanceof OssSignError) throw cause;
    throw new OssSignError(code, `${name} could not be read: reading it threw`, { cause });
  }
}
