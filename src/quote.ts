import { timeOf } from './oss/time.js';

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
