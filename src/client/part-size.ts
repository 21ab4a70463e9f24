const MiB = 1024 * 1024;
/** OSS's limits: at most 10,000 parts, each 100 KB..5 GB except that the last may be smaller. */
const MAX_PARTS = 10_000;
const MIN_PART = 100 * 1024;
const MAX_PART = 5 * 1024 * MiB;
/** Small enough to retry cheaply and to upload a 20 MB file four parts at a time, large enough that the
 * sign round trip per part costs little. */
const DEFAULT_PART = 5 * MiB;

/** The part size for a file of `size` bytes: the one given, or 5 MiB grown in whole MiB to fit 10,000 parts. */
export function choosePartSize(size: number, partSize: number | undefined): number {
  const chosen = partSize ?? Math.max(DEFAULT_PART, Math.ceil(size / MAX_PARTS / MiB) * MiB);
  if (!Number.isInteger(chosen) || chosen < MIN_PART || chosen > MAX_PART || size > chosen * MAX_PARTS) {
    throw new RangeError(
      `partSize must be a whole number of bytes, 102400 (100 KB) to 5 GB, and cut the file into at most ${MAX_PARTS} parts (got ${chosen} for ${size} bytes)`,
    );
  }
  return chosen;
}
