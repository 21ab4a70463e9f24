import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  // The examples import the package by name, as an app would; in tests that name is src/ (tsconfig paths
  // does the same for tsc and tsx).
  resolve: {
    alias: [
      { find: /^oss-direct-upload$/, replacement: source('./src/index.ts') },
      { find: /^oss-direct-upload\/testing$/, replacement: source('./src/testing/index.ts') },
      { find: /^oss-direct-upload\/client$/, replacement: source('./src/client/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
