// Base64 without Buffer, so that createCallback, the callback option and the web build's signer run
// unchanged wherever btoa/atob exist (every runtime).

const NON_ASCII = /[\u0080-\uffff]/;
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function base64FromUtf8(text: string): string {
  // ASCII text is its own UTF-8: btoa takes it as it is.
  if (!NON_ASCII.test(text)) return btoa(text);
  return base64FromBytes(new TextEncoder().encode(text));
}

export function base64FromBytes(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The bytes of canonical, padded base64; `undefined` for anything else (no silent skipping of junk). */
export function bytesFromBase64(text: string): Uint8Array | undefined {
  if (text === '' || !STRICT_BASE64.test(text)) return undefined;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let at = 0; at < binary.length; at++) bytes[at] = binary.charCodeAt(at);
  return bytes;
}

/** The text of canonical base64 of UTF-8; `undefined` for anything else (bad base64, or bytes that are not UTF-8). */
export function utf8FromBase64(text: string): string | undefined {
  const bytes = bytesFromBase64(text);
  if (bytes === undefined) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
