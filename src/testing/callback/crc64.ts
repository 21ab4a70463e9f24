// CRC-64/ECMA-182 as OSS computes it (x-oss-hash-crc64ecma; Go's crc64.ECMA, also known as CRC-64/XZ):
// reflected polynomial 0xC96C5795D7870F42, initial value and final XOR all ones. In two 32-bit halves,
// since BigInt arithmetic per byte would be far slower.

const POLY_HIGH = 0xc96c5795;
const POLY_LOW = 0xd7870f42;
let tables: { high: Uint32Array; low: Uint32Array } | undefined;

function crcTables(): { high: Uint32Array; low: Uint32Array } {
  if (tables) return tables;
  const high = new Uint32Array(256);
  const low = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let hi = 0;
    let lo = byte;
    for (let bit = 0; bit < 8; bit++) {
      const carry = lo & 1;
      lo = (lo >>> 1) | ((hi & 1) << 31);
      hi >>>= 1;
      if (carry) {
        hi ^= POLY_HIGH;
        lo ^= POLY_LOW;
      }
    }
    high[byte] = hi >>> 0;
    low[byte] = lo >>> 0;
  }
  tables = { high, low };
  return tables;
}

/** The CRC-64 of the bytes, as the unsigned decimal OSS writes in `${crc64}`. */
export function crc64(bytes: Uint8Array): string {
  const { high, low } = crcTables();
  let hi = 0xffffffff;
  let lo = 0xffffffff;
  for (let at = 0; at < bytes.length; at++) {
    const index = (lo ^ (bytes[at] as number)) & 0xff;
    lo = ((low[index] as number) ^ ((lo >>> 8) | (hi << 24))) >>> 0;
    hi = ((high[index] as number) ^ (hi >>> 8)) >>> 0;
  }
  return ((BigInt(~hi >>> 0) << 32n) | BigInt(~lo >>> 0)).toString();
}
