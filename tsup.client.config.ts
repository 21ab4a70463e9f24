import { defineConfig } from 'tsup';

// oss-direct-upload/client: one ES module for browsers, no Node built-ins, no dependencies. Built after
// tsup.config.ts (which cleans dist/), so it never cleans.
export default defineConfig({
  entry: { client: 'src/client/index.ts' },
  format: ['esm'],
  dts: true,
  clean: false,
  target: 'es2020',
  platform: 'browser',
  sourcemap: false,
  splitting: false,
});
