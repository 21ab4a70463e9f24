// Cold start: each import in a fresh `node` process, the modules taking turns, so every run pays the
// full module loading cost that a serverless cold start pays. The child times the import itself with
// process.hrtime, and its CPU time with process.cpuUsage (on a busy machine, wall time includes waiting
// for a processor, CPU time does not); the parent times the whole process (spawn to exit, Node's own
// startup included).
// Ratios are taken per round (the modules of a round ran one after the other) and summarised by their
// median and spread, like the signing ratios.

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkTarget, summarize } from './measure.mjs';

const importChild = fileURLToPath(new URL('./import-child.mjs', import.meta.url));
const requireChild = fileURLToPath(new URL('./require-child.cjs', import.meta.url));

/**
 * The least any package can cost: a package of one line that imports node:crypto, installed in a
 * node_modules and imported by name. Loading a first file (rather than a built-in) costs Node's loader
 * several milliseconds of its own (it loads fs/promises and the resolver), which node:crypto alone does
 * not pay; this row shows how much of the package's ratio that is.
 */
function floorPackage() {
  const dir = mkdtempSync(join(tmpdir(), 'oss-direct-upload-cold-start-'));
  const packageDir = join(dir, 'node_modules', 'one-line-package');
  mkdirSync(packageDir, { recursive: true });
  writeFileSync(
    join(packageDir, 'package.json'),
    JSON.stringify({ name: 'one-line-package', type: 'module', exports: { '.': './index.js' } }),
  );
  writeFileSync(join(packageDir, 'index.js'), "export { createHmac } from 'node:crypto';\n");
  const child = join(dir, 'import-child.mjs');
  copyFileSync(importChild, child);
  return { child, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const coldStartModules = [
  { id: 'baseline', name: 'node, nothing imported', child: importChild, specifiers: [] },
  { id: 'node-crypto', name: 'node:crypto alone (import)', child: importChild, specifiers: ['node:crypto'] },
  {
    id: 'one-line-package',
    name: 'a package of one line importing node:crypto (import)',
    child: 'floor',
    specifiers: ['one-line-package'],
  },
  {
    id: 'ours-esm',
    name: 'oss-direct-upload (import)',
    child: importChild,
    specifiers: ['oss-direct-upload'],
  },
  {
    id: 'ours-cjs',
    name: 'oss-direct-upload (require)',
    child: requireChild,
    specifiers: ['oss-direct-upload'],
  },
  { id: 'ali-oss', name: 'ali-oss (require)', child: requireChild, specifiers: ['ali-oss'] },
  {
    id: 'aws-presigner',
    name: '@aws-sdk/s3-request-presigner (import)',
    child: importChild,
    specifiers: ['@aws-sdk/s3-request-presigner'],
  },
  {
    id: 'aws-presigner-client',
    name: '@aws-sdk/s3-request-presigner + client-s3 (import)',
    child: importChild,
    specifiers: ['@aws-sdk/s3-request-presigner', '@aws-sdk/client-s3'],
  },
];

/**
 * The targets: the package's import against node:crypto's alone (issue 8), in wall time and, because a
 * busy machine inflates wall time at random, in CPU time too; and against ali-oss's.
 */
export const COLD_START_TARGETS = [
  {
    name: 'cold start: oss-direct-upload import ÷ node:crypto import (wall time)',
    figure: 'importMs',
    numerator: 'ours-esm',
    denominator: 'node-crypto',
    atMost: 2,
  },
  {
    name: 'cold start: oss-direct-upload import ÷ node:crypto import (CPU time)',
    figure: 'cpuMs',
    numerator: 'ours-esm',
    denominator: 'node-crypto',
    atMost: 2,
  },
  {
    name: 'cold start: ali-oss require ÷ oss-direct-upload import (wall time)',
    figure: 'importMs',
    numerator: 'ali-oss',
    denominator: 'ours-esm',
    atLeast: 10,
  },
];

function runOnce(module, floor) {
  const start = process.hrtime.bigint();
  const childFile = module.child === 'floor' ? floor.child : module.child;
  const child = spawnSync(process.execPath, [childFile, ...module.specifiers], { encoding: 'utf8' });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0) throw new Error(`cold start of ${module.name} failed: ${child.stderr}`);
  const { importMs, cpuMs } = JSON.parse(child.stdout);
  return { importMs, cpuMs, wallMs };
}

export function measureColdStart({ runs, onProgress }) {
  const samples = new Map(coldStartModules.map((module) => [module.id, []]));
  const floor = floorPackage();
  try {
    // One discarded round first: it warms the file system cache, which a deployed function has too.
    for (let round = -1; round < runs; round++) {
      if (round >= 0) onProgress?.(`cold start round ${round + 1}/${runs}`);
      for (const module of coldStartModules) {
        const sample = runOnce(module, floor);
        if (round >= 0) samples.get(module.id).push(sample);
      }
    }
  } finally {
    floor.remove();
  }
  // Per round: the modules of a round ran one after the other.
  const ratio = (figure, numerator, denominator) =>
    summarize(
      samples.get(numerator).map((sample, round) => sample[figure] / samples.get(denominator)[round][figure]),
    );
  const modules = coldStartModules.map((module) => {
    const taken = samples.get(module.id);
    return {
      id: module.id,
      name: module.name,
      importMs: summarize(taken.map((sample) => sample.importMs)),
      cpuMs: summarize(taken.map((sample) => sample.cpuMs)),
      wallMs: summarize(taken.map((sample) => sample.wallMs)),
      importPerNodeCrypto: ratio('importMs', module.id, 'node-crypto'),
      cpuPerNodeCrypto: ratio('cpuMs', module.id, 'node-crypto'),
      importPerOurs: ratio('importMs', module.id, 'ours-esm'),
    };
  });
  const targets = COLD_START_TARGETS.map((target) => {
    const measured = ratio(target.figure, target.numerator, target.denominator);
    const { name, atLeast, atMost } = target;
    return { name, atLeast, atMost, ...measured, pass: checkTarget(target, measured.median) };
  });
  return { runs, modules, targets };
}
