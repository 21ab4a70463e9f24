/**
 * The bin as npm installs it: the package built with its own tsup configs, packed by `npm pack`, installed
 * from the tarball into an app (offline: it has no dependencies), then run through `node_modules/.bin`
 * and `npx`, as `npx oss-direct-upload` would.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build, type Options } from 'tsup';
import { afterAll, beforeAll, expect, it } from 'vitest';
import cliConfig from '../../tsup.cli.config.js';
import libraryConfig from '../../tsup.config.js';
import { type Built, emptyHome, root, runCli, startLocal, stopAllLocal } from '../support/cli.js';

const exec = promisify(execFile);
let work: string;
let installed: Built;
let version: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'cli-package-'));
  const packageDir = join(work, 'package');
  const appDir = join(work, 'app');
  await mkdir(packageDir);
  await mkdir(appDir);
  for (const file of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
    await copyFile(join(root, file), join(packageDir, file));
  }
  version = (JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const outDir = join(packageDir, 'dist');
  await build({ ...(libraryConfig as Options), outDir, dts: false, silent: true, config: false });
  await build({ ...(cliConfig as Options), outDir, silent: true, config: false });
  const npm = (args: string[], cwd: string) =>
    exec('npm', [...args, '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd });
  await npm(['pack', '--pack-destination', work], packageDir);
  await writeFile(join(appDir, 'package.json'), '{"name":"app","private":true}');
  await npm(['install', join(work, `oss-direct-upload-${version}.tgz`)], appDir);
  const home = await emptyHome();
  installed = {
    command: [join(appDir, 'node_modules/.bin/oss-direct-upload')],
    home,
    remove: () => rm(home, { recursive: true, force: true }),
  };
}, 120_000);

afterAll(async () => {
  await stopAllLocal();
  await installed?.remove();
  await rm(work, { recursive: true, force: true });
});

it('runs from node_modules/.bin and through npx', async () => {
  expect(await runCli(installed, ['--version'])).toMatchObject({ status: 0, stdout: `${version}\n` });
  const [bin] = installed.command;
  const { stdout } = await exec('npx', ['--offline', 'oss-direct-upload', 'presign', '--help'], {
    cwd: join(bin, '../../..'),
  });
  expect(stdout).toMatch(/^Usage: oss-direct-upload presign /);
});

it('the installed local endpoint takes an upload through a URL the installed presign made', async () => {
  const local = await startLocal(installed);
  const env = {
    ALIBABA_CLOUD_ACCESS_KEY_ID: local.details.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: local.details.accessKeySecret as string,
  };
  const presign = (method: string) =>
    runCli(
      installed,
      [
        'presign',
        method,
        'local-bucket/installed.txt',
        '--endpoint',
        local.details.url,
        '--region',
        local.details.region,
      ],
      { env },
    );
  const put = await presign('PUT');
  expect(put.status, put.stderr).toBe(0);
  expect(
    (await fetch(put.stdout.trim(), { method: 'PUT', body: Buffer.from('from the tarball') })).status,
  ).toBe(200);
  const get = await presign('GET');
  expect(await (await fetch(get.stdout.trim())).text()).toBe('from the tarball');
  expect((await local.stop()).status).toBe(0);
});
