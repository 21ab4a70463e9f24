// Cold start: each import in a fresh `node` process, the targets taking turns, so every run pays the
// full module loading cost that a serverless cold start pays. The child times the import itself with
// process.hrtime; the parent times the whole process (spawn to exit, Node's own startup included).

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from './measure.mjs';

const importChild = fileURLToPath(new URL('./import-child.mjs', import.meta.url));
const requireChild = fileURLToPath(new URL('./require-child.cjs', import.meta.url));

export const coldStartTargets = [
  { id: 'baseline', name: 'node, nothing imported', child: importChild, specifiers: [] },
  { id: 'node-crypto', name: 'node:crypto alone (import)', child: importChild, specifiers: ['node:crypto'] },
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

function runOnce(target) {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [target.child, ...target.specifiers], { encoding: 'utf8' });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0) throw new Error(`cold start of ${target.name} failed: ${child.stderr}`);
  return { importMs: JSON.parse(child.stdout).importMs, wallMs };
}

/** @returns {Record<string, { name: string, importMs: number, wallMs: number, runs: number }>} */
export function measureColdStart({ runs, onProgress }) {
  const samples = new Map(coldStartTargets.map((target) => [target.id, []]));
  // One discarded round first: it warms the file system cache, which a deployed function has too.
  for (let round = -1; round < runs; round++) {
    onProgress?.(round);
    for (const target of coldStartTargets) {
      const sample = runOnce(target);
      if (round >= 0) samples.get(target.id).push(sample);
    }
  }
  const ours = samples.get('ours-esm');
  const results = {};
  for (const target of coldStartTargets) {
    const taken = samples.get(target.id);
    results[target.id] = {
      name: target.name,
      importMs: median(taken.map((s) => s.importMs)),
      wallMs: median(taken.map((s) => s.wallMs)),
      // Per round, as the targets take turns: the ratio of each round is free of drift between rounds.
      importRatioToOurs: median(taken.map((s, round) => s.importMs / ours[round].importMs)),
      runs: taken.length,
    };
  }
  return results;
}
