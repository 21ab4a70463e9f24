import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build, type Options } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import tsupConfig from '../../tsup.config.js';
import { buildDir } from '../support/build-dir.js';
import { type Harness, LONG_TERM, ROLE_ARN, startHarness } from '../support/sts-harness.js';

/**
 * The library as published: built by tsup with the project's own settings (ESM and CJS), then loaded by
 * plain Node in a child process. Checks that importing it loads no @alicloud module, that the lazy
 * loader finds the CommonJS SDK from both builds, and that a missing peer is reported as such.
 */

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const entries = { index: 'src/index.ts', sts: 'src/sts/provider.ts' };

let h: Harness;
let outDir: string;
let isolatedDir: string;

beforeAll(async () => {
  h = await startHarness();
  // Inside the project, so that Node resolves node_modules (the peers) from the built files.
  outDir = await buildDir('sts-build');
  await build({
    ...(tsupConfig as Options),
    entry: Object.fromEntries(Object.entries(entries).map(([name, path]) => [name, join(root, path)])),
    outDir: outDir,
    dts: false,
    clean: false,
    silent: true,
    config: false,
  });
  // Far from any node_modules: the optional peers cannot be found there.
  isolatedDir = await mkdtemp(join(tmpdir(), 'sts-no-peers-'));
  await cp(outDir, isolatedDir, { recursive: true });
  await writeFile(join(isolatedDir, 'package.json'), '{"type":"module"}');
  await writeFile(join(outDir, 'package.json'), '{"type":"module"}');
}, 60_000);

afterAll(async () => {
  await h.close();
  await rm(outDir, { recursive: true, force: true });
  await rm(isolatedDir, { recursive: true, force: true });
});

/** Run by a child Node: load the library, report loaded @alicloud modules, then call getCredentials. */
const probe = `
  const alicloudLoaded = () => Object.keys(requireCache()).filter((path) => path.includes('@alicloud')).length;
  const report = { loadedOnImport: alicloudLoaded(), exports: Object.keys(lib) };
  if (typeof lib.createStsCredentialProvider === 'function') {
    const provider = lib.createStsCredentialProvider(JSON.parse(process.argv[2]));
    try {
      report.credentials = await provider.getCredentials();
    } catch (error) {
      report.error = { name: error.name, code: error.code, message: error.message };
    }
    report.loadedAfterCall = alicloudLoaded();
  }
  console.log(JSON.stringify(report));
`;
const cjsProbe = `const lib = require(process.argv[1]); const requireCache = () => require.cache; (async () => { ${probe} })();`;
const esmProbe = `import { createRequire } from 'node:module'; import { pathToFileURL } from 'node:url';
  const lib = await import(pathToFileURL(process.argv[1]).href);
  const requireCache = () => createRequire(import.meta.url).cache; ${probe}`;

interface Report {
  loadedOnImport: number;
  exports: string[];
  credentials?: { accessKeyId: string };
  error?: { name: string; code: string; message: string };
  loadedAfterCall?: number;
}

async function probeBuild(file: string, format: 'esm' | 'cjs'): Promise<Report> {
  const options = {
    roleArn: ROLE_ARN,
    endpoint: h.sts.url,
    credentials: LONG_TERM,
    maxAttempts: 1,
  };
  const args = format === 'esm' ? ['--input-type=module', '-e', esmProbe] : ['-e', cjsProbe];
  const env = { ...process.env };
  delete env.NODE_PATH;
  delete env.NODE_OPTIONS;
  const { stdout } = await run(process.execPath, [...args, file, JSON.stringify(options)], {
    cwd: root,
    env,
  });
  return JSON.parse(stdout) as Report;
}

describe.each([
  ['esm', 'js'],
  ['cjs', 'cjs'],
] as const)('the %s build', (format, extension) => {
  it('loads no @alicloud module when the package entry is imported', async () => {
    const report = await probeBuild(join(outDir, `index.${extension}`), format);
    expect(report.exports).toContain('OssSignError');
    expect(report.loadedOnImport).toBe(0);
  });

  it('loads no @alicloud module until getCredentials, then finds the CommonJS SDK and gets credentials', async () => {
    const before = h.sts.issued.length;
    const report = await probeBuild(join(outDir, `sts.${extension}`), format);
    expect(report.loadedOnImport).toBe(0);
    expect(report.error).toBeUndefined();
    expect(report.credentials?.accessKeyId).toBe(h.sts.issued[before]?.accessKeyId);
    // The same check that saw nothing on import does see the SDK once it is used.
    expect(report.loadedAfterCall).toBeGreaterThan(0);
  });

  it('reports a missing @alicloud/sts20150401 as MISSING_PEER_DEPENDENCY with the npm install line', async () => {
    const report = await probeBuild(join(isolatedDir, `sts.${extension}`), format);
    expect(report.error).toMatchObject({ name: 'OssSignError', code: 'MISSING_PEER_DEPENDENCY' });
    expect(report.error?.message).toContain('npm install @alicloud/sts20150401');
  });
});
