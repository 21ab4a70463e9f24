import { timeOf } from './oss/time.js';

/** Stable error codes: part of the public API, safe to switch on. */
export type OssSignErrorCode =
  | 'INVALID_ARGUMENT'
  | 'INVALID_BUCKET'
  | 'INVALID_KEY'
  | 'INVALID_REGION'
  | 'INVALID_ENDPOINT'
  | 'INVALID_METHOD'
  | 'INVALID_HEADER'
  | 'INVALID_QUERY'
  | 'INVALID_EXPIRES'
  | 'INVALID_UPLOAD_ID'
  | 'INVALID_PART_NUMBER'
  | 'MISSING_CREDENTIALS'
  | 'INVALID_CREDENTIALS'
  | 'EXPIRES_AFTER_CREDENTIALS'
  | 'INVALID_POLICY'
  | 'UNSAFE_POLICY'
  | 'STS_FAILED'
  | 'STS_BAD_RESPONSE'
  | 'STS_CLOCK_SKEW'
  | 'STS_SHORT_LIFETIME'
  | 'MISSING_PEER_DEPENDENCY'
  | 'INVALID_CALLBACK'
  | 'CALLBACK_SIGNATURE_INVALID'
  | 'CALLBACK_KEY_NOT_TRUSTED'
  | 'CALLBACK_KEY_FETCH_FAILED'
  | 'CALLBACK_BODY_INVALID'
  | 'UNSUPPORTED_RUNTIME';

/** Extra facts about a failure, never a secret (e.g. STS's error code and request id). */
export type OssSignErrorDetails = Readonly<Record<string, string | number | undefined>>;

/**
 * The one error type this library throws. `code` is stable; `message` names the argument and
 * the rule it broke, and never contains a secret.
 */
export class OssSignError extends Error {
  readonly code: OssSignErrorCode;
  readonly details?: OssSignErrorDetails;

  constructor(
    code: OssSignErrorCode,
    message: string,
    options?: { details?: OssSignErrorDetails; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OssSignError';
    this.code = code;
    if (options?.details) this.details = options.details;
  }

  toJSON(): { name: string; code: OssSignErrorCode; message: string; details?: OssSignErrorDetails } {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.details && { details: this.details }),
    };
  }
}

/**
 * Shows a caller's (never secret) value in a message without flooding it, whatever it is: objects are
 * named by kind rather than converted, since their `toString` may be missing (`Object.create(null)`),
 * throw, or reveal more than the message should.
 */
export function quote(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (typeof value === 'bigint') text = `${value}n`;
  else if (typeof value === 'symbol') text = 'a symbol';
  else if (typeof value === 'function') text = 'a function';
  else if (value === null || typeof value !== 'object') text = String(value);
  else text = describeObject(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** An object by kind; a revoked proxy, on which even `Array.isArray` throws, is still an object. */
function describeObject(value: object): string {
  try {
    if (Array.isArray(value)) return 'an array';
  } catch {
    return 'an object';
  }
  const time = timeOf(value);
  return time === undefined ? 'an object' : Number.isNaN(time) ? 'an invalid Date' : 'a Date';
}

/** A POST policy field that holds the security token, as a condition names it. */
const TOKEN_FIELD = /^\$?x-oss-security-token$/i;
const TOKEN_SHOWN = '(the security token)';

/**
 * A JSON-shaped value (a condition, a range) as JSON in a message; what JSON cannot show is named by kind.
 * A condition on the security token field shows no value: it would be the token.
 */
export function quoteJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (name, item: unknown) => {
      if (typeof item === 'bigint') return `${item}n`;
      if (TOKEN_FIELD.test(name)) return TOKEN_SHOWN;
      if (Array.isArray(item) && typeof item[1] === 'string' && TOKEN_FIELD.test(item[1]))
        return [item[0], item[1], TOKEN_SHOWN];
      return item;
    });
  } catch {
    // Circular, or a throwing toJSON: named by kind instead.
  }
  if (text === undefined) return quote(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
