/** The times OSS writes and reads: V4's `x-oss-date`, V1's HTTP date and Unix seconds, policy expirations. */

/** The span of times these formats can carry: four-digit years from the Unix epoch on. */
export const EARLIEST_TIME_MS = 0;
export const LATEST_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59);

const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/**
 * The time value of a real Date (one the Date constructor made, subclasses included), or `undefined` for
 * anything else: an object with Date's prototype, or a Proxy of a Date, has no time and throws on `getTime`.
 */
export function timeOf(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    return Date.prototype.getTime.call(value);
  } catch {
    return undefined;
  }
}

/** `20231216T162057Z`: the V4 `x-oss-date` form. */
export function toIsoBasic(date: Date): string {
  return `${date.getUTCFullYear()}${twoDigits(date.getUTCMonth() + 1)}${twoDigits(date.getUTCDate())}T${twoDigits(date.getUTCHours())}${twoDigits(date.getUTCMinutes())}${twoDigits(date.getUTCSeconds())}Z`;
}

/** Milliseconds since the epoch of a `20231216T162057Z` time, or `undefined` if it is not one. */
export function parseIsoBasic(value: string | null | undefined): number | undefined {
  const match = ISO_BASIC.exec(value ?? '');
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  const time = Date.UTC(year ?? 0, (month ?? 1) - 1, day, hour, minute, second);
  // Date.UTC rolls 20231332 over into the next year: only a time that reads back the same is one.
  return Number.isNaN(time) || toIsoBasic(new Date(time)) !== value ? undefined : time;
}

/**
 * `2023-12-16T16:20:57.000Z`, what `toISOString` gives for a whole second of years 1000-9999, built
 * from `getUTC*` because `toISOString` costs over a microsecond in Node 20.
 */
export function toIsoSeconds(date: Date): string {
  return `${date.getUTCFullYear()}-${twoDigits(date.getUTCMonth() + 1)}-${twoDigits(date.getUTCDate())}T${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}:${twoDigits(date.getUTCSeconds())}.000Z`;
}

function twoDigits(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** `Sat, 16 Dec 2023 16:20:57 GMT`: the HTTP `Date` form, which V1 signs. */
export function toHttpDate(date: Date): string {
  return date.toUTCString();
}

/** Whole seconds since the epoch: signatures carry no milliseconds. */
export function toUnixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** ISO 8601 in UTC as OSS and STS write it: `2023-12-16T16:20:57Z`, milliseconds optional. */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Milliseconds since the epoch of an ISO 8601 UTC time as OSS and STS write it, or `undefined`. */
export function parseIsoUtc(value: unknown): number | undefined {
  if (typeof value !== 'string' || !ISO_UTC.test(value)) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}
