// The local endpoint's `${crc64}` and `${imageInfo.*}` against published values and hand-built headers.
import { describe, expect, it } from 'vitest';
import { crc64 } from '../../../src/testing/callback/crc64.js';
import { imageInfo } from '../../../src/testing/callback/image-info.js';

describe('crc64', () => {
  it('CRC-64/XZ check value of "123456789" (0x995DC9BBDF1939FA, the CRC catalogue)', () => {
    expect(crc64(Buffer.from('123456789'))).toBe(BigInt('0x995DC9BBDF1939FA').toString());
  });

  it('empty input is 0; one more byte changes it', () => {
    expect(crc64(new Uint8Array())).toBe('0');
    expect(crc64(Buffer.from('1234567890'))).not.toBe(crc64(Buffer.from('123456789')));
  });
});

/** `size` zero bytes with `header` written at their start. */
function bytes(size: number, write: (buffer: Buffer) => void): Buffer {
  const buffer = Buffer.alloc(size);
  write(buffer);
  return buffer;
}

describe('imageInfo reads sizes from the bytes, with OSS format names', () => {
  it.each([
    [
      'PNG',
      bytes(33, (b) => {
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).copy(b);
        b.write('IHDR', 12, 'latin1');
        b.writeUInt32BE(1920, 16);
        b.writeUInt32BE(1080, 20);
      }),
      { format: 'png', width: 1920, height: 1080 },
    ],
    [
      'GIF',
      bytes(13, (b) => {
        b.write('GIF89a', 0, 'latin1');
        b.writeUInt16LE(31, 6);
        b.writeUInt16LE(17, 8);
      }),
      { format: 'gif', width: 31, height: 17 },
    ],
    [
      'BMP, top-down',
      bytes(54, (b) => {
        b.write('BM', 0, 'latin1');
        b.writeUInt32LE(40, 14);
        b.writeInt32LE(7, 18);
        b.writeInt32LE(-5, 22);
      }),
      { format: 'bmp', width: 7, height: 5 },
    ],
    [
      'JPEG, frame after an APP0 segment and fill bytes',
      Buffer.from([
        0xff,
        0xd8,
        0xff,
        0xe0,
        0x00,
        0x10,
        ...Buffer.from('JFIF\0'),
        1,
        1,
        0,
        0,
        1,
        0,
        1,
        0,
        0,
        0xff,
        0xff,
        0xc2,
        0x00,
        0x11,
        0x08,
        0x01,
        0xe0,
        0x02,
        0x80,
        0x03,
      ]),
      { format: 'jpg', width: 640, height: 480 },
    ],
    [
      'WebP lossy (VP8)',
      bytes(30, (b) => {
        b.write('RIFF', 0, 'latin1');
        b.write('WEBPVP8 ', 8, 'latin1');
        Buffer.from([0x9d, 0x01, 0x2a]).copy(b, 23);
        b.writeUInt16LE(300, 26);
        b.writeUInt16LE(200, 28);
      }),
      { format: 'webp', width: 300, height: 200 },
    ],
    [
      'WebP lossless (VP8L)',
      bytes(30, (b) => {
        b.write('RIFF', 0, 'latin1');
        b.write('WEBPVP8L', 8, 'latin1');
        b[20] = 0x2f;
        b.writeUInt32LE((100 - 1) | ((50 - 1) << 14), 21);
      }),
      { format: 'webp', width: 100, height: 50 },
    ],
    [
      'WebP extended (VP8X)',
      bytes(30, (b) => {
        b.write('RIFF', 0, 'latin1');
        b.write('WEBPVP8X', 8, 'latin1');
        b.writeUIntLE(4000 - 1, 24, 3);
        b.writeUIntLE(3000 - 1, 27, 3);
      }),
      { format: 'webp', width: 4000, height: 3000 },
    ],
  ])('%s', (_format, image, expected) => {
    expect(imageInfo(image)).toEqual(expected);
  });

  it.each([
    ['text', Buffer.from('hello, not an image')],
    ['a PNG signature cut short', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
    ['a JPEG without a frame header', Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02])],
    ['a GIF of zero width', bytes(13, (b) => b.write('GIF87a', 0, 'latin1'))],
  ])('none for %s', (_what, data) => {
    expect(imageInfo(data)).toBeUndefined();
  });
});
