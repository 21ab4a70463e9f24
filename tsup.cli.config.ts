import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';
import packageJson from './package.json' with { type: 'json' };

/**
 * The CLI imports the library through its public entry points, which the package already ships: they
 * stay imports of dist/index.js and dist/testing.js instead of being bundled into cli.js a second time.
 */
const publicEntries: Plugin = {
  name: 'public-entries',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/(index|testing\/index)\.js$/ }, ({ path }) => ({
      path: path === '../index.js' ? './index.js' : './testing.js',
      external: true,
    }));
  },
};

// The `oss-direct-upload` bin: one ES module for Node, built after tsup.config.ts (which cleans dist/).
export default defineConfig({
  entry: { cli: 'src/cli/index.ts' },
  format: ['esm'],
  dts: false,
  clean: false,
  target: 'node18',
  platform: 'node',
  sourcemap: false,
  splitting: false,
  banner: { js: '#!/usr/bin/env node' },
  define: { PACKAGE_VERSION: JSON.stringify(packageJson.version) },
  esbuildPlugins: [publicEntries],
});
