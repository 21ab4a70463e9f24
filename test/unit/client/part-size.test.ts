import { describe, expect, it } from 'vitest';
import { choosePartSize } from '../../../src/client/part-size.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe('choosePartSize: OSS allows 10,000 parts of 100 KB..5 GB (the last may be smaller)', () => {
  it.each([
    [0, 5 * MiB],
    [1, 5 * MiB],
    [24 * MiB, 5 * MiB],
    [10_000 * 5 * MiB, 5 * MiB],
    [10_000 * 5 * MiB + 1, 6 * MiB],
    [100 * GiB, 11 * MiB],
    [10_000 * 5 * GiB, 5 * GiB],
  ])('a %d-byte file: %d-byte parts by default', (size, expected) => {
    const partSize = choosePartSize(size, undefined);
    expect(partSize).toBe(expected);
    expect(Math.ceil(size / partSize)).toBeLessThanOrEqual(10_000);
  });

  it('keeps a given size that fits', () => {
    expect(choosePartSize(GiB, 102_400 * 11)).toBe(102_400 * 11);
    expect(choosePartSize(10, 5 * GiB)).toBe(5 * GiB);
  });

  it.each([
    [10_000 * 5 * GiB + 1, undefined],
    [GiB, 102_399],
    [GiB, 102_400],
    [MiB, 5 * GiB + 1],
    [MiB, 1.5 * MiB + 0.5],
    [MiB, Number.NaN],
  ])('refuses a %d-byte file with partSize %d', (size, partSize) => {
    expect(() => choosePartSize(size, partSize)).toThrow(RangeError);
  });
});
