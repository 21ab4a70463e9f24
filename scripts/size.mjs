// What the browser-facing code costs as an application ships it: built with the package's own tsup
// settings, minified by esbuild and gzipped. `npm test` runs it and fails above a budget:
// - oss-direct-upload/client (the browser upload client);
// - the hashing the web build of the entry point bundles (@noble/hashes: SHA-1, SHA-256, HMAC), which
//   runtimes without node:crypto pay for and the Node build does not carry (docs/runtimes.md).
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build as esbuild, transform } from 'esbuild';
import { build } from 'tsup';

export const BUDGET_BYTES = 4 * 1024;
export const HASHING_BUDGET_BYTES = 4 * 1024;
const root = fileURLToPath(new URL('..', import.meta.url));

/** Built, minified, and minified + gzipped bytes of a module's code. */
async function sizes(code) {
  const { code: minified } = await transform(code, { minify: true, format: 'esm' });
  return {
    built: Buffer.byteLength(code),
    minified: Buffer.byteLength(minified),
    gzipped: gzipSync(minified, { level: 9 }).length,
  };
}

/** A tsup config's build of `file`, into a temporary directory. */
async function built(config, file) {
  await mkdir(join(root, 'node_modules/.cache'), { recursive: true });
  const outDir = await mkdtemp(join(root, 'node_modules/.cache/size-'));
  try {
    // The config file's settings, paths relative to the project.
    process.chdir(root);
    await build({ config, outDir, dts: false, silent: true });
    return await readFile(join(outDir, file), 'utf8');
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** Bytes of `oss-direct-upload/client`. */
export async function measureClient() {
  return sizes(await built('tsup.client.config.ts', 'client.js'));
}

/** Bytes of the web build's entry point, and of the @noble/hashes functions it bundles. */
export async function measureWebBuild() {
  const hashing = await esbuild({
    stdin: {
      contents: `export { hmac } from '@noble/hashes/hmac.js';
        export { sha1 } from '@noble/hashes/legacy.js';
        export { sha256 } from '@noble/hashes/sha2.js';
        export { bytesToHex } from '@noble/hashes/utils.js';`,
      resolveDir: root,
    },
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
  });
  return {
    entry: await sizes(await built('tsup.web.config.ts', 'index.js')),
    hashing: await sizes(hashing.outputFiles[0].text),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const kB = (bytes) => `${(bytes / 1024).toFixed(2)} kB`;
  const client = await measureClient();
  const web = await measureWebBuild();
  console.log(
    `oss-direct-upload/client: ${kB(client.minified)} minified, ${kB(client.gzipped)} minified + gzipped (budget ${kB(BUDGET_BYTES)})`,
  );
  console.log(
    `oss-direct-upload, web build: ${kB(web.entry.minified)} minified, ${kB(web.entry.gzipped)} minified + gzipped, of which @noble/hashes ${kB(web.hashing.minified)} minified, ${kB(web.hashing.gzipped)} minified + gzipped (budget ${kB(HASHING_BUDGET_BYTES)})`,
  );
  for (const [name, size, budget] of [
    ['the client', client.gzipped, BUDGET_BYTES],
    ['the hashing of the web build', web.hashing.gzipped, HASHING_BUDGET_BYTES],
  ]) {
    if (size > budget) {
      console.error(`${name}: over budget by ${size - budget} bytes`);
      process.exitCode = 1;
    }
  }
}
