// `${imageInfo.width}`, `${imageInfo.height}`, `${imageInfo.format}`: OSS reads them from the object's
// bytes, whatever its name or type says, and leaves them empty for anything it cannot read as an image.
// This reads the headers of the common web formats, with OSS's format names.

export interface ImageInfo {
  width: number;
  height: number;
  format: 'png' | 'jpg' | 'gif' | 'bmp' | 'webp';
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** JPEG start-of-frame markers (SOF0-SOF15 but DHT, JPG and DAC), which carry the size. */
const JPEG_FRAME_MARKERS = new Set([
  0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf,
]);

export function imageInfo(bytes: Buffer): ImageInfo | undefined {
  const info = readHeader(bytes);
  return info && info.width > 0 && info.height > 0 ? info : undefined;
}

function readHeader(bytes: Buffer): ImageInfo | undefined {
  const ascii = (from: number, to: number) => bytes.toString('latin1', from, to);
  if (bytes.length >= 24 && bytes.subarray(0, 8).equals(PNG_SIGNATURE) && ascii(12, 16) === 'IHDR') {
    return { format: 'png', width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (bytes.length >= 10 && (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a')) {
    return { format: 'gif', width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
  }
  if (bytes.length >= 26 && ascii(0, 2) === 'BM') {
    // An OS/2 header (12 bytes) has 16-bit sizes; the others 32-bit, the height negative when top-down.
    return bytes.readUInt32LE(14) === 12
      ? { format: 'bmp', width: bytes.readUInt16LE(18), height: bytes.readUInt16LE(20) }
      : { format: 'bmp', width: bytes.readInt32LE(18), height: Math.abs(bytes.readInt32LE(22)) };
  }
  if (bytes.length >= 30 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return readWebp(bytes);
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) return readJpeg(bytes);
  return undefined;
}

function readWebp(bytes: Buffer): ImageInfo | undefined {
  switch (bytes.toString('latin1', 12, 16)) {
    case 'VP8 ': // lossy: a key frame's start code, then 14-bit sizes
      if (bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a) return undefined;
      return {
        format: 'webp',
        width: bytes.readUInt16LE(26) & 0x3fff,
        height: bytes.readUInt16LE(28) & 0x3fff,
      };
    case 'VP8L': {
      // lossless: a signature byte, then 14-bit sizes less one
      if (bytes[20] !== 0x2f) return undefined;
      const bits = bytes.readUInt32LE(21);
      return { format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
    }
    case 'VP8X': // extended: 24-bit sizes less one
      return { format: 'webp', width: bytes.readUIntLE(24, 3) + 1, height: bytes.readUIntLE(27, 3) + 1 };
  }
  return undefined;
}

/** Walks the JPEG segments up to the first frame header. */
function readJpeg(bytes: Buffer): ImageInfo | undefined {
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1] as number;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image, or scan data before any frame
    if (JPEG_FRAME_MARKERS.has(marker)) {
      if (at + 9 > bytes.length) return undefined;
      return { format: 'jpg', height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
    }
    at += 2 + bytes.readUInt16BE(at + 2);
  }
  return undefined;
}
