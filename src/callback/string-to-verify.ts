const PERCENT = 0x25;
const NEWLINE = 0x0a;

/**
 * What OSS signs of a callback request: `url_decode(path) + query + "\n" + body`, as bytes. The path
 * keeps its leading '/'; each `%XX` of it becomes the byte XX (so an escape that is not UTF-8 decodes
 * as OSS decodes it, where decodeURIComponent would throw) and '+' stays '+'; the query, with its '?',
 * is taken as sent.
 */
export function callbackStringToVerify(path: string, query: string, body: Uint8Array): Uint8Array {
  const head = percentDecode(new TextEncoder().encode(path));
  const tail = new TextEncoder().encode(query);
  const bytes = new Uint8Array(head.length + tail.length + 1 + body.length);
  bytes.set(head, 0);
  bytes.set(tail, head.length);
  bytes[head.length + tail.length] = NEWLINE;
  bytes.set(body, head.length + tail.length + 1);
  return bytes;
}

function percentDecode(bytes: Uint8Array): Uint8Array {
  if (!bytes.includes(PERCENT)) return bytes;
  const decoded = new Uint8Array(bytes.length);
  let length = 0;
  for (let at = 0; at < bytes.length; at++) {
    if (bytes[at] === PERCENT) {
      const high = hexValue(bytes[at + 1]);
      const low = hexValue(bytes[at + 2]);
      if (high !== -1 && low !== -1) {
        decoded[length++] = high * 16 + low;
        at += 2;
        continue;
      }
    }
    decoded[length++] = bytes[at] as number;
  }
  return decoded.subarray(0, length);
}

function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
}
