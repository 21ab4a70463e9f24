import type { UploadProgress } from './types.js';

/** Reports `loaded` only when it grew, so a retried part never makes progress go back. */
export function progressReporter(
  total: number,
  onProgress: ((progress: UploadProgress) => void) | undefined,
): (loaded: number) => void {
  let reported = -1;
  return (loaded) => {
    if (loaded > reported) {
      reported = loaded;
      onProgress?.({ loaded, total });
    }
  };
}
