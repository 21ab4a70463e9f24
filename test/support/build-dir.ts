import { mkdir, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root. */
export const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A new directory for a test's build output, under node_modules/.cache: inside the project (so bundles
 * resolve the project's packages) and ignored by git. The cache directory may not exist in a fresh clone.
 */
export async function buildDir(prefix: string): Promise<string> {
  await mkdir(join(root, 'node_modules/.cache'), { recursive: true });
  return mkdtemp(join(root, `node_modules/.cache/${prefix}-`));
}
