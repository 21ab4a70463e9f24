import { resolve } from 'node:path';
import type { Plugin } from 'esbuild';
import { defineConfig, type Options } from 'tsup';

/**
 * The Node build: the main entry as ONE file (each extra module a Node process loads at import costs about
 * as much as 10 kB of code), and beside it, files that load only when needed: what verifyOssCallback and
 * the STS provider's AssumeRole call need (loaded on their first use), and the local endpoint. Those import
 * OssSignError from the main entry, so that one class serves every file (`instanceof` holds across them);
 * anything else they use they carry themselves. `npm run build` empties dist/ first.
 */

/** Loaded by `import()` from the main entry, each its own file. */
const LAZY = new Map([
  [resolve('src/callback/verify.ts'), 'verify'],
  [resolve('src/sts/assume-role.ts'), 'assume-role'],
]);
const ERRORS = resolve('src/errors.ts');

function sourceOf(args: { resolveDir: string; path: string }): string {
  return resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
}

/** `import()` of a lazy module stays an import of its built file. */
const lazyFiles: Plugin = {
  name: 'lazy-files',
  setup(build) {
    const extension = build.initialOptions.format === 'cjs' ? '.cjs' : '.js';
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      const name = args.kind === 'dynamic-import' ? LAZY.get(sourceOf(args)) : undefined;
      return name === undefined ? undefined : { path: `./${name}${extension}`, external: true };
    });
  },
};

/** The files beside the main entry take OssSignError from it. */
const sharedErrors: Plugin = {
  name: 'shared-errors',
  setup(build) {
    const extension = build.initialOptions.format === 'cjs' ? '.cjs' : '.js';
    build.onResolve({ filter: /^\.\.?\// }, (args) =>
      sourceOf(args) === ERRORS ? { path: `./index${extension}`, external: true } : undefined,
    );
  },
};

const common: Options = {
  format: ['esm', 'cjs'],
  clean: false,
  target: 'node18',
  platform: 'node',
  sourcemap: false,
  splitting: false,
  // Node built-ins keep their `node:` prefix in the output (tsup strips it by default).
  removeNodeProtocol: false,
};

export default defineConfig([
  { ...common, entry: { index: 'src/index.ts' }, dts: true, esbuildPlugins: [lazyFiles] },
  { ...common, entry: { testing: 'src/testing/index.ts' }, dts: true, esbuildPlugins: [sharedErrors] },
  {
    ...common,
    entry: Object.fromEntries([...LAZY].map(([source, name]) => [name, source])),
    dts: false,
    esbuildPlugins: [sharedErrors],
  },
]);
