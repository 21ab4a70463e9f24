const SUB_DELIMS = /[!'()*]/g;
const HAS_SUB_DELIMS = /[!'()*]/;
const UNRESERVED = /^[A-Za-z0-9._~-]*$/;
const UNRESERVED_OR_SLASH = /^[A-Za-z0-9._~/-]*$/;

/** RFC 3986 percent-encoding: everything but `A-Z a-z 0-9 - . _ ~` is escaped (the OSS v2 SDKs' rule). */
export function encodeRfc3986(value: string): string {
  if (UNRESERVED.test(value)) return value;
  const encoded = encodeURIComponent(value);
  // encodeURIComponent leaves `!'()*`; most values (base64 signatures, say) have none.
  return HAS_SUB_DELIMS.test(encoded) ? encoded.replace(SUB_DELIMS, escapeChar) : encoded;
}

function escapeChar(char: string): string {
  return `%${char.charCodeAt(0).toString(16).toUpperCase()}`;
}

/** An object key as a URL path (and V4 canonical URI): RFC 3986, slashes kept. */
export function encodeKeyPath(key: string): string {
  if (UNRESERVED_OR_SLASH.test(key)) return key;
  return encodeRfc3986(key).replaceAll('%2F', '/');
}
