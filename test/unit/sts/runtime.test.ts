import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { afterAll, expect, it } from 'vitest';
import { buildDir } from '../../support/build-dir.js';

/**
 * The STS provider rests on the Node SDK, but the package's one entry point exports it: it must carry no
 * static Node-only import, so that a bundler for another runtime (browser, workers, edge) includes it
 * harmlessly.
 */

const root = fileURLToPath(new URL('../../..', import.meta.url));
const outDirs: string[] = [];
afterAll(async () => {
  for (const dir of outDirs) await rm(dir, { recursive: true, force: true });
});

it('imports no Node built-in, statically or dynamically, anywhere in src/sts', async () => {
  const dir = join(root, 'src/sts');
  for (const file of await readdir(dir)) {
    const source = await readFile(join(dir, file), 'utf8');
    const specifiers = [...source.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]);
    for (const specifier of specifiers) expect(specifier, file).toMatch(/^(\.\.?\/|@alicloud\/)/);
  }
});

it.each(['neutral', 'browser'] as const)(
  'bundles for the %s platform with the optional peers left out',
  async (platform) => {
    const outDir = await buildDir('sts-runtime');
    outDirs.push(outDir);
    await build({
      entry: { provider: join(root, 'src/sts/provider.ts'), upload: join(root, 'src/sts/upload-policy.ts') },
      outDir,
      format: ['esm'],
      platform,
      bundle: true,
      external: [/^@alicloud\//],
      dts: false,
      silent: true,
      config: false,
    });
    // Whatever the bundle still imports (tsup leaves Node built-ins external, with or without `node:`).
    const imports: string[] = [];
    for (const file of await readdir(outDir)) {
      const output = await readFile(join(outDir, file), 'utf8');
      for (const m of output.matchAll(/(?:\bfrom|\bimport|\brequire)\s*\(?\s*["']([^"']+)["']/g))
        imports.push(m[1] ?? '');
    }
    expect(imports).toContain('@alicloud/sts20150401'); // the peers, loaded on first use
    for (const specifier of imports) expect(specifier).toMatch(/^(\.\/|@alicloud\/)/);
  },
);
