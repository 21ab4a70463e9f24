import { OssSignError } from '../errors.js';
import { EARLIEST_TIME_MS, LATEST_TIME_MS, timeOf } from '../oss/time.js';
import { quote } from '../quote.js';
import type { SigningCredentials } from '../signer/keys.js';

/**
 * The longest a presigned URL or POST policy may live: OSS caps V4 URLs (`x-oss-expires`) at seven days,
 * and the same cap is kept for V1 and for forms, where a larger value is most often milliseconds given
 * as seconds.
 */
export const MAX_EXPIRES_IN = 604_800;
const DEFAULT_EXPIRES_IN = 3600;

/**
 * The signing time: `now`, default the current time; a time OSS's formats can carry. A copy, read once:
 * what is signed cannot change with the caller's object (a subclass's overridden methods, a later setTime).
 */
export function resolveNow(now: unknown): Date {
  if (now === undefined) return new Date();
  const time = timeOf(now);
  if (time === undefined)
    throw new OssSignError('INVALID_ARGUMENT', `now must be a Date (got ${quote(now)})`);
  if (!(time >= EARLIEST_TIME_MS && time <= LATEST_TIME_MS)) {
    throw new OssSignError('INVALID_ARGUMENT', `now must be a valid Date between the years 1970 and 9999`);
  }
  return new Date(time);
}

/**
 * `expiresIn` seconds from `now` (whole seconds: signatures carry no milliseconds), refused when it would
 * outlive temporary credentials, which would fail midway.
 */
export function resolveExpiry(
  expiresIn: unknown,
  now: Date,
  credentials: SigningCredentials,
): { expiresIn: number; expiresAt: Date } {
  // Only a missing option takes the default: null is a mistake like any other non-number.
  const seconds = expiresIn === undefined ? DEFAULT_EXPIRES_IN : expiresIn;
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1 || seconds > MAX_EXPIRES_IN) {
    throw new OssSignError(
      'INVALID_EXPIRES',
      `expiresIn must be a whole number of seconds, 1..${MAX_EXPIRES_IN} (7 days; a larger value is often milliseconds) (got ${quote(expiresIn)})`,
    );
  }
  const expiresAt = new Date((Math.floor(now.getTime() / 1000) + seconds) * 1000);
  if (expiresAt.getTime() > LATEST_TIME_MS) {
    throw new OssSignError(
      'INVALID_EXPIRES',
      'expiresIn from now would end after the year 9999, which OSS cannot write',
    );
  }
  checkWithinCredentials(credentials, expiresAt.getTime(), 'expiresIn');
  return { expiresIn: seconds, expiresAt };
}

/** Temporary credentials must outlive what is signed with them, or uploads fail midway. */
export function checkWithinCredentials(
  credentials: SigningCredentials,
  expiresAt: number,
  name: string,
): void {
  if (credentials.expiresAt !== undefined && expiresAt > credentials.expiresAt) {
    throw new OssSignError(
      'EXPIRES_AFTER_CREDENTIALS',
      `${name} would make this valid until ${new Date(expiresAt).toISOString()}, after the credentials expire at ${new Date(credentials.expiresAt).toISOString()}: shorten ${name} or fetch fresher credentials`,
    );
  }
}
