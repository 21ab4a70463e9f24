import { UsageError } from './args.js';

/**
 * Turning option text into the library's types. Only the shape is checked here (a number, one of a few
 * words); the library checks the rest (ranges, names) and its errors say which option broke which rule.
 */

const DURATION = /^(\d{1,9})([smhd]?)$/;
const SECONDS_PER_UNIT: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 };
const SIZE = /^(\d{1,16})(?:([KMG])(?:iB)?)?$/i;
const BYTES_PER_UNIT: Readonly<Record<string, number>> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

function got(text: string): string {
  return `(got ${JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text)})`;
}

/** `3600`, `90s`, `15m`, `1h`, `7d`: whole seconds. */
export function parseDuration(text: string, flag: string): number {
  const match = DURATION.exec(text);
  if (!match) {
    throw new UsageError(
      `${flag} must be whole seconds, or a whole number with s, m, h or d like 15m ${got(text)}`,
    );
  }
  return Number(match[1]) * (SECONDS_PER_UNIT[match[2] ?? ''] ?? 1);
}

/** `1048576`, `512K`, `10M`, `1G` (also `10MiB`): whole bytes, the units binary. */
export function parseSize(text: string, flag: string): number {
  const match = SIZE.exec(text);
  const bytes = match ? Number(match[1]) * (BYTES_PER_UNIT[(match[2] ?? '').toUpperCase()] ?? 1) : Number.NaN;
  if (!Number.isSafeInteger(bytes)) {
    throw new UsageError(
      `${flag} must be whole bytes, or a whole number with K, M or G like 10M ${got(text)}`,
    );
  }
  return bytes;
}

/** A whole number written in decimal digits. */
export function parseWholeNumber(text: string, flag: string): number {
  if (!/^\d{1,15}$/.test(text)) throw new UsageError(`${flag} must be a whole number ${got(text)}`);
  return Number(text);
}

/** One of `choices`, compared without regard to case; returns the choice as written in `choices`. */
export function parseChoice<T extends string>(text: string, flag: string, choices: readonly T[]): T {
  const choice = choices.find((candidate) => candidate.toLowerCase() === text.toLowerCase());
  if (choice === undefined) throw new UsageError(`${flag} must be one of ${choices.join(', ')} ${got(text)}`);
  return choice;
}

/** `'Name: value'` (curl's form), repeated: the headers as an object; the library checks names and values. */
export function parseHeaders(texts: string[], flag: string): Record<string, string> | undefined {
  return pairs(texts, flag, ':', 'Name: value', (value) => value?.trim());
}

/** `'name=value'`, repeated: an object of strings. */
export function parseAssignments(texts: string[], flag: string): Record<string, string> | undefined {
  return pairs(texts, flag, '=', 'name=value', (value) => value);
}

/** Query parameters: `'name=value'`, or a bare `'name'` for a parameter without value (`null`). */
export function parseQuery(texts: string[], flag: string): Record<string, string | null> | undefined {
  return pairs(texts, flag, '=', 'name=value or name', (value) => value ?? null);
}

function pairs<V>(
  texts: string[],
  flag: string,
  separator: string,
  form: string,
  toValue: (value: string | undefined) => V | undefined,
): Record<string, V> | undefined {
  if (texts.length === 0) return undefined;
  const record: Record<string, V> = {};
  for (const text of texts) {
    const at = text.indexOf(separator);
    const name = (at === -1 ? text : text.slice(0, at)).trim();
    const value = toValue(at === -1 ? undefined : text.slice(at + 1));
    if (name === '' || value === undefined) throw new UsageError(`${flag} must be ${form} ${got(text)}`);
    if (Object.hasOwn(record, name)) throw new UsageError(`${flag} gives ${JSON.stringify(name)} twice`);
    Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return record;
}

/** `bucket/key` or `oss://bucket/key` (ossutil's form): split at the first `/` after the bucket. */
export function parseObjectPath(text: string, name: string): { bucket: string; key: string } {
  const path = text.startsWith('oss://') ? text.slice('oss://'.length) : text;
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) {
    throw new UsageError(`${name} must be like my-bucket/path/to/file.txt ${got(text)}`);
  }
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}
