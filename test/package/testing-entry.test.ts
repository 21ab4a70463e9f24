import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build, type Options } from 'tsup';
import { afterAll, beforeAll, expect, it } from 'vitest';
import tsupConfig from '../../tsup.config.js';
import { buildDir } from '../support/build-dir.js';

/**
 * Both entry points as published share one OssSignError class, so an error from createLocalOss is an
 * `instanceof` the class the main entry exports, from ESM and from CommonJS.
 */

const run = promisify(execFile);
const _root = fileURLToPath(new URL('../..', import.meta.url));
let outDir: string;

beforeAll(async () => {
  outDir = await buildDir('testing-build');
  await build({
    ...(tsupConfig as Options),
    outDir: outDir,
    dts: false,
    clean: false,
    silent: true,
    config: false,
  });
}, 60_000);

afterAll(() => rm(outDir, { recursive: true, force: true }));

const probe = (load: string) => `
  ${load}
  try {
    await testing.createLocalOss({ buckets: ['Not_A_Bucket'] });
    console.log('no error');
  } catch (error) {
    console.log(JSON.stringify({ shared: error instanceof main.OssSignError, code: error.code }));
  }
`;

it.each([
  ['ESM', `const main = await import('./index.js'); const testing = await import('./testing.js');`],
  ['CJS', `const main = require('./index.cjs'); const testing = require('./testing.cjs');`],
])('an error from oss-direct-upload/testing is an OssSignError of the main entry (%s)', async (_, load) => {
  const source = `const { createRequire } = await import('node:module'); const require = createRequire(process.cwd() + '/');\n${probe(load)}`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', source], { cwd: outDir });
  expect(JSON.parse(stdout)).toEqual({ shared: true, code: 'INVALID_BUCKET' });
});
