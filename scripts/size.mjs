// The browser client's size as an application ships it: built with the package's own tsup settings,
// minified by esbuild and gzipped. Fails above the budget (`npm test` runs it).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { transform } from 'esbuild';
import { build } from 'tsup';

export const BUDGET_BYTES = 4 * 1024;
const root = fileURLToPath(new URL('..', import.meta.url));

/** Bytes of `oss-direct-upload/client`: built, minified, minified and gzipped. */
export async function measureClient() {
  const outDir = await mkdtemp(join(root, 'node_modules/.cache/client-size-'));
  try {
    // The config file's settings, paths relative to the project.
    process.chdir(root);
    await build({ config: 'tsup.client.config.ts', outDir, dts: false, silent: true });
    const built = await readFile(join(outDir, 'client.js'), 'utf8');
    const { code } = await transform(built, { minify: true, format: 'esm' });
    return {
      built: Buffer.byteLength(built),
      minified: Buffer.byteLength(code),
      gzipped: gzipSync(code, { level: 9 }).length,
    };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const size = await measureClient();
  const kB = (bytes) => `${(bytes / 1024).toFixed(2)} kB`;
  console.log(
    `oss-direct-upload/client: ${kB(size.minified)} minified, ${kB(size.gzipped)} minified + gzipped (budget ${kB(BUDGET_BYTES)})`,
  );
  if (size.gzipped > BUDGET_BYTES) {
    console.error(`over budget by ${size.gzipped - BUDGET_BYTES} bytes`);
    process.exitCode = 1;
  }
}
