/**
 * `npm install` in a fresh clone leaves package-lock.json as committed. It changes the lockfile when
 * package.json's own entry there (bin, dependencies, peerDependencies, engines...) no longer matches
 * package.json: npm rewrites that entry. Checked by letting npm update a copy of the lockfile, offline
 * and with an empty cache: a lockfile in step with package.json needs no download and comes out the same.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';

const exec = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'lockfile-'));
});

afterAll(() => rm(work, { recursive: true, force: true }));

it('npm install --package-lock-only leaves the committed lockfile unchanged', async () => {
  for (const file of ['package.json', 'package-lock.json'])
    await copyFile(join(root, file), join(work, file));
  await exec(
    'npm',
    [
      'install',
      '--package-lock-only',
      '--offline',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--cache',
      join(work, 'empty-cache'),
    ],
    { cwd: work },
  );
  const committed = await readFile(join(root, 'package-lock.json'), 'utf8');
  expect(await readFile(join(work, 'package-lock.json'), 'utf8')).toBe(committed);
}, 60_000);
