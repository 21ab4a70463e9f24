/**
 * How a message shows a caller's (never secret) value: strings and numbers as written, anything else by its
 * kind. Never throws, whatever the value (`String()` throws on null-prototype objects and `JSON.stringify`
 * on BigInt and circular values).
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string': {
      const text = JSON.stringify(value);
      return text.length > 80 ? `${text.slice(0, 77)}...` : text;
    }
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default:
      return value === null ? 'null' : Array.isArray(value) ? 'an array' : 'an object';
  }
}
