import { createRequire } from 'node:module';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { asReturned, type Harness, startHarness } from '../../support/sts-harness.js';

// A bundler's CommonJS interop (esbuild's __toESM, webpack) hands `import()` an object whose `default` is
// `module.exports.default` (the Client class) with the named exports beside it, unlike Node's ESM loader,
// which gives `{ default: module.exports }`. The provider must work with both shapes.
vi.mock('@alicloud/sts20150401', () => {
  const moduleExports = createRequire(import.meta.url)('@alicloud/sts20150401') as Record<string, unknown>;
  return { ...moduleExports, default: moduleExports.default };
});

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

it('works when the SDK module arrives in the bundler shape', async () => {
  const sdk = (await import('@alicloud/sts20150401')) as unknown as { default: unknown };
  expect(typeof sdk.default).toBe('function');
  expect(await h.provider().getCredentials()).toEqual(asReturned(h.sts.issued[0]));
});
