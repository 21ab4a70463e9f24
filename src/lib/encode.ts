const SUB_DELIMS = /[!'()*]/g;

/** RFC 3986 percent-encoding: everything but `A-Z a-z 0-9 - . _ ~` is escaped (the OSS v2 SDKs' rule). */
export function encodeRfc3986(value: string): string {
  const encoded = encodeURIComponent(value);
  return SUB_DELIMS.test(encoded) ? encoded.replace(SUB_DELIMS, escapeChar) : encoded;
}

function escapeChar(char: string): string {
  return `%${char.charCodeAt(0).toString(16).toUpperCase()}`;
}

/** An object key as a URL path (and V4 canonical URI): RFC 3986, slashes kept. */
export function encodeKeyPath(key: string): string {
  return key.includes('/') ? key.split('/').map(encodeRfc3986).join('/') : encodeRfc3986(key);
}

/** A query string in the given order; `null` is a bare name, `''` is `name=`. */
export function encodeQuery(query: Readonly<Record<string, string | null>>): string {
  let out = '';
  for (const name in query) {
    const value = query[name];
    out += `${out ? '&' : ''}${encodeRfc3986(name)}${value === null || value === undefined ? '' : `=${encodeRfc3986(value)}`}`;
  }
  return out;
}
