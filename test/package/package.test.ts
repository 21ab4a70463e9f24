/**
 * The package as users get it, built once: a copy of the project packed by `npm pack` (whose `prepare`
 * script builds it with the project's tsup configs, as `npm publish` does), installed offline from that
 * tarball into two apps outside the repo, one with the optional peers @alicloud/sts20150401 and
 * @alicloud/credentials and one without. Every check runs what such an app runs: plain Node importing and
 * requiring the package by name (with and without the `browser`/`workerd` conditions), tsc with node16 and
 * bundler resolution, and the bin from node_modules/.bin and through npx. How each runtime and bundler
 * resolves and runs the web build is test/runtimes/'s job.
 */
import { execFile } from 'node:child_process';
import {
  access,
  cp,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  realpath,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as clientEntry from '../../src/client/index.js';
import * as mainEntry from '../../src/index.js';
import * as testingEntry from '../../src/testing/index.js';
import { type Built, emptyHome, keysOf, runCli, startLocal, stopAllLocal } from '../support/cli.js';
import { type Harness, LONG_TERM, ROLE_ARN, startHarness } from '../support/sts-harness.js';

const exec = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const NAME = 'oss-direct-upload';
const PEERS = ['@alicloud/sts20150401', '@alicloud/credentials'];
// What `npm test` leaves in the environment (npm_config_*, npm_package_*) is not a user's: children get none.
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) => !name.startsWith('npm_') && name !== 'NODE_OPTIONS' && name !== 'NODE_PATH',
  ),
);

interface Manifest {
  version: string;
  files: string[];
  main: string;
  module: string;
  types: string;
  bin: Record<string, string>;
  exports: unknown;
}

interface App {
  dir: string;
  /** node_modules/oss-direct-upload, as Node reports paths (real, without links). */
  packageDir: string;
}

let work: string;
let manifest: Manifest;
let withPeers: App;
let withoutPeers: App;
let h: Harness;
let home: string;
let runners: [how: string, Built][];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'oss-direct-upload-package-'));
  manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as Manifest;
  [h, home] = await Promise.all([startHarness(), emptyHome()]);
  const tarball = await pack();
  [withPeers, withoutPeers] = await Promise.all([
    install('with-peers', tarball),
    install('without-peers', tarball),
  ]);
  // The peers where a user's `npm install` puts them, linked from the project's node_modules: Node resolves
  // their own dependencies from the link's target, where `npm ci` installed them.
  await mkdir(join(withPeers.dir, 'node_modules/@alicloud'));
  for (const peer of PEERS) {
    await symlink(join(root, 'node_modules', peer), join(withPeers.dir, 'node_modules', peer), 'dir');
  }
  const bin = { cwd: withoutPeers.dir, home, remove: async () => {} };
  runners = [
    ['node_modules/.bin', { ...bin, command: [join(withoutPeers.dir, 'node_modules/.bin', NAME)] }],
    ['npx', { ...bin, command: ['npx', '--offline', NAME] }],
  ];
}, 240_000);

afterAll(async () => {
  await stopAllLocal();
  await h?.close();
  for (const dir of [home, work]) if (dir) await rm(dir, { recursive: true, force: true });
});

/** `npm pack` of a copy of the project (its build inputs and `files`): the repo's own dist/ is left alone. */
async function pack(): Promise<string> {
  const source = join(work, 'source');
  const configs = (await readdir(root)).filter((file) => /^tsup(\.\w+)?\.config\.ts$/.test(file));
  const inputs = [
    'package.json',
    'tsconfig.json',
    'src',
    ...configs,
    ...manifest.files.filter((f) => f !== 'dist'),
  ];
  await Promise.all(inputs.map((file) => cp(join(root, file), join(source, file), { recursive: true })));
  await symlink(join(root, 'node_modules'), join(source, 'node_modules'), 'dir');
  const destination = join(work, 'tarball');
  await mkdir(destination);
  await exec('npm', ['pack', '--offline', '--no-audit', '--no-fund', '--pack-destination', destination], {
    cwd: source,
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  const packed = await readdir(destination);
  expect(packed).toEqual([`${NAME}-${manifest.version}.tgz`]);
  return join(destination, packed[0] as string);
}

/** A new app that installs the tarball offline with an empty cache: the package needs nothing else. */
async function install(name: string, tarball: string): Promise<App> {
  const dir = join(work, name);
  await mkdir(dir);
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name, private: true }));
  await exec(
    'npm',
    ['install', '--offline', '--no-audit', '--no-fund', '--cache', join(work, `${name}-cache`), tarball],
    { cwd: dir, env },
  );
  return { dir, packageDir: await realpath(join(dir, 'node_modules', NAME)) };
}

type Format = 'esm' | 'cjs';
const FORMATS: Format[] = ['esm', 'cjs'];

// `load` imports or requires; `resolve` gives the file; `alicloudModules` counts loaded @alicloud modules
// (the peers are CommonJS: imported or required, Node's CommonJS loader loads them into require.cache).
const PRELUDE: Record<Format, string> = {
  esm: `import { createRequire } from 'node:module'; import { fileURLToPath } from 'node:url';
    const require = createRequire(process.cwd() + '/');
    const load = (name) => import(name);
    const resolve = (name) => fileURLToPath(import.meta.resolve(name));`,
  cjs: `const load = async (name) => require(name);
    const resolve = (name) => require.resolve(name);`,
};

/**
 * Runs `body` (an async function's body) in a child Node in `app`, as an ES module or a CommonJS script of
 * that app, and returns what it returns (through JSON). `process.argv[1]` is `arg`, as JSON.
 */
async function inApp<T>(
  app: App,
  format: Format,
  body: string,
  { arg, conditions = [] }: { arg?: unknown; conditions?: string[] } = {},
): Promise<T> {
  const source = `${PRELUDE[format]}
    const alicloudModules = () => Object.keys(require.cache).filter((path) => path.includes('@alicloud')).length;
    (async () => { ${body} })().then((result) => console.log(JSON.stringify(result)));`;
  const flags = [
    ...conditions.map((c) => `--conditions=${c}`),
    ...(format === 'esm' ? ['--input-type=module'] : []),
  ];
  const { stdout } = await exec(process.execPath, [...flags, '-e', source, JSON.stringify(arg ?? null)], {
    cwd: app.dir,
    env,
  });
  return JSON.parse(stdout) as T;
}

const ARG = 'JSON.parse(process.argv[1])';

describe('the installed package', () => {
  it('has every file its package.json names', async () => {
    const installed = JSON.parse(await readFile(join(withoutPeers.packageDir, 'package.json'), 'utf8'));
    const leaves = (value: unknown): string[] =>
      typeof value === 'string' ? [value] : Object.values(value ?? {}).flatMap(leaves);
    const named = leaves([
      installed.main,
      installed.module,
      installed.types,
      installed.bin,
      installed.exports,
    ]);
    expect(named.length).toBeGreaterThan(20);
    const missing: string[] = [];
    for (const file of new Set(named)) {
      await access(join(withoutPeers.packageDir, file)).catch(() => missing.push(file));
    }
    expect(missing).toEqual([]);
  });

  it('is found with its optional peers in one app and without them in the other', async () => {
    const body = `return ${JSON.stringify(PEERS)}.map((peer) => { try { return !!require.resolve(peer); } catch { return false; } });`;
    expect(await inApp(withPeers, 'cjs', body)).toEqual([true, true]);
    expect(await inApp(withoutPeers, 'cjs', body)).toEqual([false, false]);
  });
});

describe('what Node loads', () => {
  const SUBPATHS: Record<Format, Record<string, [file: string, exports: object | null]>> = {
    esm: {
      [NAME]: ['dist/index.js', mainEntry],
      [`${NAME}/testing`]: ['dist/testing.js', testingEntry],
      [`${NAME}/client`]: ['dist/client.js', clientEntry],
      [`${NAME}/package.json`]: ['package.json', null],
    },
    // oss-direct-upload/client is an ES module only.
    cjs: {
      [NAME]: ['dist/index.cjs', mainEntry],
      [`${NAME}/testing`]: ['dist/testing.cjs', testingEntry],
      [`${NAME}/package.json`]: ['package.json', null],
    },
  };

  it.each(FORMATS)(
    '%s: each entry point is its build and exports what the source exports',
    async (format) => {
      const specifiers = Object.keys(SUBPATHS[format]);
      const body = `const found = {};
      for (const name of ${ARG}) {
        found[name] = [resolve(name), name.endsWith('.json') ? null : Object.keys(await load(name)).sort()];
      }
      return found;`;
      const found = await inApp<Record<string, [string, string[] | null]>>(withoutPeers, format, body, {
        arg: specifiers,
      });
      const expected = Object.fromEntries(
        Object.entries(SUBPATHS[format]).map(([name, [file, source]]) => [
          name,
          [file, source && Object.keys(source).sort()],
        ]),
      );
      const actual = Object.fromEntries(
        Object.entries(found).map(([name, [file, names]]) => [
          name,
          [relative(withoutPeers.packageDir, file), names],
        ]),
      );
      expect(actual).toEqual(expected);
    },
  );

  const presignInput = {
    bucket: 'examplebucket',
    region: 'cn-hangzhou',
    key: 'uploads/photo 1.jpg',
    method: 'PUT' as const,
    contentType: 'image/jpeg',
    credentials: { accessKeyId: 'LTAI5tExampleKeyId', accessKeySecret: 'example-secret' },
    now: '2030-06-01T12:00:00.000Z',
  };
  const VERSIONS = ['v4', 'v1'] as const;

  it.each([
    ['esm', 'no extra condition', 'dist/index.js', []],
    ['cjs', 'no extra condition', 'dist/index.cjs', []],
    ['esm', 'browser', 'dist/web/index.js', ['browser']],
    ['cjs', 'browser', 'dist/web/index.cjs', ['browser']],
    ['esm', 'workerd', 'dist/web/index.js', ['workerd']],
    ['cjs', 'workerd', 'dist/web/index.cjs', ['workerd']],
  ] as const)(
    '%s with %s: the package is %s, and it signs as the source does',
    async (format, _, file, conditions) => {
      const body = `const { now, ...input } = ${ARG};
      const lib = await load('${NAME}');
      return {
        file: resolve('${NAME}'),
        exports: Object.keys(lib).sort(),
        urls: ${JSON.stringify(VERSIONS)}.map((signatureVersion) =>
          lib.presignUrl({ ...input, now: new Date(now), signatureVersion }).url),
      };`;
      const found = await inApp<{ file: string; exports: string[]; urls: string[] }>(
        withoutPeers,
        format,
        body,
        {
          arg: presignInput,
          conditions: [...conditions],
        },
      );
      expect(relative(withoutPeers.packageDir, found.file)).toBe(file);
      expect(found.exports).toEqual(Object.keys(mainEntry).sort());
      const { now, ...input } = presignInput;
      expect(found.urls).toEqual(
        VERSIONS.map(
          (signatureVersion) => mainEntry.presignUrl({ ...input, now: new Date(now), signatureVersion }).url,
        ),
      );
    },
  );

  it.each(FORMATS)(
    '%s: an error from oss-direct-upload/testing is an OssSignError of the main entry',
    async (format) => {
      const body = `const main = await load('${NAME}');
      const testing = await load('${NAME}/testing');
      try {
        await testing.createLocalOss({ buckets: ['Not_A_Bucket'] });
        return 'no error';
      } catch (error) {
        return { shared: error instanceof main.OssSignError, code: error.code };
      }`;
      expect(await inApp(withoutPeers, format, body)).toEqual({ shared: true, code: 'INVALID_BUCKET' });
    },
  );

  it.each(FORMATS)(
    "%s: verifyOssCallback loads its verifier file on first use, and its errors are the main entry's",
    async (format) => {
      // An unsigned callback: the verifier (a file of its own) must load to refuse it.
      const body = `const main = await load('${NAME}');
      const request = { url: '/callback', headers: { 'content-type': 'application/json' }, body: '{}' };
      try {
        await main.verifyOssCallback(request);
        return 'no error';
      } catch (error) {
        return { shared: error instanceof main.OssSignError, code: error.code };
      }`;
      expect(await inApp(withoutPeers, format, body)).toEqual({
        shared: true,
        code: 'CALLBACK_SIGNATURE_INVALID',
      });
    },
  );
});

describe.each(FORMATS)('the STS provider, %s', (format) => {
  interface Report {
    loadedOnImport: number;
    exports: string[];
    credentials?: { accessKeyId: string };
    error?: { name: string; code: string; message: string };
    loadedAfterCall: number;
  }
  const body = `const lib = await load('${NAME}');
    const report = { loadedOnImport: alicloudModules(), exports: Object.keys(lib) };
    const provider = lib.createStsCredentialProvider(${ARG});
    try {
      report.credentials = await provider.getCredentials();
    } catch (error) {
      report.error = { name: error.name, code: error.code, message: error.message };
    }
    report.loadedAfterCall = alicloudModules();
    return report;`;
  const options = () => ({ roleArn: ROLE_ARN, endpoint: h.sts.url, credentials: LONG_TERM, maxAttempts: 1 });

  it('importing the package loads no @alicloud module; getCredentials then finds the CommonJS SDK', async () => {
    const before = h.sts.issued.length;
    const report = await inApp<Report>(withPeers, format, body, { arg: options() });
    expect(report.exports).toContain('OssSignError');
    expect(report.loadedOnImport).toBe(0);
    expect(report.error).toBeUndefined();
    expect(report.credentials?.accessKeyId).toBe(h.sts.issued[before]?.accessKeyId);
    // The same count that saw nothing on import does see the SDK once it is used.
    expect(report.loadedAfterCall).toBeGreaterThan(0);
  });

  it('reports a missing @alicloud/sts20150401 as MISSING_PEER_DEPENDENCY with the npm install line', async () => {
    const report = await inApp<Report>(withoutPeers, format, body, { arg: options() });
    expect(report.loadedOnImport).toBe(0);
    expect(report.error).toMatchObject({ name: 'OssSignError', code: 'MISSING_PEER_DEPENDENCY' });
    expect(report.error?.message).toContain('npm install @alicloud/sts20150401');
  });
});

describe('the types', () => {
  // Each `@ts-expect-error` fails the run if the package's types are missing or `any`.
  const MAIN = `import { type OssSignError, presignUrl } from '${NAME}';
import { createLocalOss } from '${NAME}/testing';
export const url: string = presignUrl({
  bucket: 'examplebucket',
  region: 'cn-hangzhou',
  key: 'a.txt',
  credentials: { accessKeyId: 'id', accessKeySecret: 'secret' },
}).url;
export const code: OssSignError['code'] = 'INVALID_BUCKET';
// @ts-expect-error: not an error code
export const notACode: OssSignError['code'] = 'NOT_A_CODE';
// @ts-expect-error: buckets are names
export const local = createLocalOss({ buckets: 42 });
`;
  const CLIENT = `import { uploadFile } from '${NAME}/client';
// @ts-expect-error: a Blob and where to send it
export const upload = uploadFile(42);
`;
  const PROJECTS = {
    node16: {
      options: { module: 'node16', moduleResolution: 'node16' },
      files: { 'esm.mts': MAIN + CLIENT, 'cjs.cts': MAIN },
    },
    bundler: {
      options: { module: 'esnext', moduleResolution: 'bundler' },
      files: { 'app.ts': MAIN + CLIENT },
    },
  };
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

  it('resolve with node16 (ESM and CommonJS) and bundler resolution, and type the API', async () => {
    const results = await Promise.all(
      Object.entries(PROJECTS).map(async ([name, project]) => {
        const dir = join(withoutPeers.dir, `types-${name}`);
        await mkdir(dir);
        for (const [file, text] of Object.entries(project.files)) await writeFile(join(dir, file), text);
        const compilerOptions = {
          ...project.options,
          strict: true,
          noEmit: true,
          lib: ['es2022', 'dom'],
          types: [],
          // lib.dom.d.ts is checked by TypeScript's own tests; the package's .d.ts files are checked here.
          skipDefaultLibCheck: true,
        };
        await writeFile(
          join(dir, 'tsconfig.json'),
          JSON.stringify({ compilerOptions, files: Object.keys(project.files) }),
        );
        return exec(process.execPath, [tsc, '-p', dir], { cwd: dir, env }).then(
          () => [name, ''],
          (error: { stdout?: string; message: string }) => [name, error.stdout || error.message],
        );
      }),
    );
    expect(Object.fromEntries(results)).toEqual({ node16: '', bundler: '' });
  });
});

describe('the bin', () => {
  it.each(['node_modules/.bin', 'npx'])('%s: prints its version and its help', async (how) => {
    const runner = runners.find(([name]) => name === how)?.[1] as Built;
    expect(await runCli(runner, ['--version'])).toMatchObject({ status: 0, stdout: `${manifest.version}\n` });
    const help = await runCli(runner, ['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: oss-direct-upload <command> /);
    const presignHelp = await runCli(runner, ['presign', '--help']);
    expect(presignHelp.status).toBe(0);
    expect(presignHelp.stdout).toMatch(/^Usage: oss-direct-upload presign /);
  });

  it('the installed local endpoint takes uploads through URLs the installed presign made, by either', async () => {
    const local = await startLocal(runners[0]?.[1] as Built);
    for (const [how, runner] of runners) {
      const presign = (method: string) =>
        runCli(
          runner,
          [
            'presign',
            method,
            `local-bucket/${how}.txt`,
            '--endpoint',
            local.details.url,
            '--region',
            local.details.region,
          ],
          { env: keysOf(local.details) },
        );
      const put = await presign('PUT');
      expect(put.status, put.stderr).toBe(0);
      const body = `uploaded through ${how}`;
      // A Buffer: a string body would make fetch send a Content-Type the URL did not sign.
      const uploaded = await fetch(put.stdout.trim(), { method: 'PUT', body: Buffer.from(body) });
      expect(uploaded.status, await uploaded.text()).toBe(200);
      const get = await presign('GET');
      expect(get.status, get.stderr).toBe(0);
      expect(await (await fetch(get.stdout.trim())).text()).toBe(body);
    }
    expect((await local.stop()).status).toBe(0);
  });
});
