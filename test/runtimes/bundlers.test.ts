// Which build each runtime and bundler gets from the package's `exports`, and that each build is what it
// claims: the web build bundles for the browser and neutral platforms and imports nothing; the Node build
// names Node built-ins with `node:` and bundles no hashing code of its own.
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BuiltPackage,
  buildPackage,
  bundle,
  NEXT_EDGE_CONDITIONS,
  WRANGLER_CONDITIONS,
} from './package.js';

let pkg: BuiltPackage;
beforeAll(async () => {
  pkg = await buildPackage();
}, 120_000);
afterAll(async () => {
  await pkg?.remove();
});

/** The condition sets runtimes and bundlers resolve `exports` with (besides `import`/`require`, `default`). */
const RESOLUTIONS: [who: string, conditions: string[], kind: 'import' | 'require', build: string][] = [
  ['Deno', ['deno', 'node'], 'import', 'dist/index.js'],
  ['Bun', ['bun', 'node'], 'import', 'dist/index.js'],
  ['Bun, require()', ['bun', 'node'], 'require', 'dist/index.cjs'],
  ['a bundler for Node (esbuild --platform=node, webpack target node)', ['node'], 'import', 'dist/index.js'],
  ['wrangler (Cloudflare Workers)', WRANGLER_CONDITIONS, 'import', 'dist/web/index.js'],
  ['Next.js edge runtime', NEXT_EDGE_CONDITIONS, 'import', 'dist/web/index.js'],
  [
    'a browser bundler (Vite, webpack, esbuild --platform=browser)',
    ['browser'],
    'import',
    'dist/web/index.js',
  ],
  ['a web worker bundle', ['worker'], 'import', 'dist/web/index.js'],
  ['Jest with jsdom (require, browser)', ['browser'], 'require', 'dist/web/index.cjs'],
  // A browser bundle whose config adds `node` (a known misconfiguration) still gets the web build.
  ['a browser bundler told `node` as well', ['browser', 'node'], 'import', 'dist/web/index.js'],
  ['React Native, or any runtime naming none of these', ['react-native'], 'import', 'dist/web/index.js'],
];

describe('exports: the build each runtime gets', () => {
  it.each(RESOLUTIONS)('%s -> %s', async (_who, conditions, kind, expected) => {
    const { packageFiles } = await bundle(pkg, {
      contents: kind === 'import' ? "import 'oss-direct-upload';" : "require('oss-direct-upload');",
      platform: 'neutral',
      conditions,
      format: 'esm',
      external: ['node:*', '@alicloud/*'],
    });
    expect(packageFiles[0]).toBe(expected);
  });

  it('Node itself: import -> dist/index.js, require -> dist/index.cjs', () => {
    const node = (...args: string[]) =>
      execFileSync(process.execPath, args, { cwd: pkg.root, encoding: 'utf8' }).trim();
    expect(node('--input-type=module', '-e', "console.log(import.meta.resolve('oss-direct-upload'))")).toBe(
      pathToFileURL(join(pkg.packageDir, 'dist/index.js')).href,
    );
    expect(node('-e', "console.log(require.resolve('oss-direct-upload'))")).toBe(
      join(pkg.packageDir, 'dist/index.cjs'),
    );
  });

  it('one set of types for every condition: index.d.ts for import, index.d.cts for require', async () => {
    const manifest = JSON.parse(await readFile(join(pkg.packageDir, 'package.json'), 'utf8'));
    const { import: esm, require: cjs } = manifest.exports['.'];
    expect(Object.keys(esm)[0]).toBe('types');
    expect(Object.keys(cjs)[0]).toBe('types');
    expect(esm.types).toBe('./dist/index.d.ts');
    expect(cjs.types).toBe('./dist/index.d.cts');
    expect(Object.keys(cjs)).toEqual(Object.keys(esm));
  });
});

describe('the web build', () => {
  const APP = `
    import { presignUrl } from 'oss-direct-upload';
    export const request = presignUrl({
      bucket: 'examplebucket',
      region: 'cn-hangzhou',
      key: 'uploads/é 1.png',
      method: 'PUT',
      contentType: 'image/png',
      credentials: { accessKeyId: 'LTAI-example', accessKeySecret: 'example-secret' },
      now: new Date('2025-01-02T03:04:05Z'),
    });
  `;

  it.each(['browser', 'neutral'] as const)(
    'esbuild --platform=%s bundles an app calling presignUrl, without warnings, and it signs as the Node build does',
    async (platform) => {
      const result = await build({
        stdin: { contents: APP, resolveDir: pkg.root, loader: 'ts' },
        bundle: true,
        write: false,
        platform,
        format: 'esm',
        logLevel: 'silent',
      });
      expect(result.errors).toEqual([]);
      expect(result.warnings).toEqual([]);
      const code = result.outputFiles[0]?.text ?? '';
      const app = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
      const node = await pkg.importNodeBuild();
      const { presignUrl } = node as typeof import('../../src/index.js');
      expect(app.request).toEqual(
        presignUrl({
          bucket: 'examplebucket',
          region: 'cn-hangzhou',
          key: 'uploads/é 1.png',
          method: 'PUT',
          contentType: 'image/png',
          credentials: { accessKeyId: 'LTAI-example', accessKeySecret: 'example-secret' },
          now: new Date('2025-01-02T03:04:05Z'),
        }),
      );
    },
  );

  it('imports nothing, uses no Buffer, and carries no STS provider code', async () => {
    for (const file of ['index.js', 'index.cjs']) {
      const code = await readFile(join(pkg.packageDir, 'dist/web', file), 'utf8');
      expect(code, file).not.toMatch(/^\s*import\b|\bimport\s*\(|\brequire\s*\(/m);
      expect(code, file).not.toMatch(/\bBuffer\.|\bAssumeRoleRequest\b/);
    }
  });
});

describe('the Node build', () => {
  it('imports every Node built-in with the node: prefix', async () => {
    const dist = join(pkg.packageDir, 'dist');
    const files = (await readdir(dist)).filter((file) => /\.c?js$/.test(file));
    const specifiers: string[] = [];
    for (const file of files) {
      const code = await readFile(join(dist, file), 'utf8');
      for (const match of code.matchAll(
        /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["']([^"'./][^"']*)["']/g,
      )) {
        specifiers.push(match[1] as string);
      }
    }
    expect(specifiers).toContain('node:crypto');
    const unprefixed = specifiers.filter((specifier) => builtinModules.includes(specifier));
    expect(unprefixed).toEqual([]);
  });

  it('bundles nothing from node_modules: its hashing is node:crypto, so it is no bigger than before', async () => {
    // esbuild heads each bundled module with a comment naming its source file.
    const inputs: string[] = [];
    for (const file of await readdir(join(pkg.packageDir, 'dist'))) {
      if (!file.endsWith('.js')) continue;
      const text = await readFile(join(pkg.packageDir, 'dist', file), 'utf8');
      for (const [, input] of text.matchAll(/^\/\/ (\S+\.(?:ts|js|mjs|cjs))$/gm))
        inputs.push(input as string);
    }
    expect(inputs).toContain('src/signer/crypto.ts');
    expect(inputs.filter((input) => input.includes('node_modules') || input.endsWith('.web.ts'))).toEqual([]);
  });
});
