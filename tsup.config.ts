import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node18',
  platform: 'node',
  sourcemap: false,
  splitting: true,
  // Node built-ins keep their `node:` prefix in the output (tsup strips it by default).
  removeNodeProtocol: false,
});
