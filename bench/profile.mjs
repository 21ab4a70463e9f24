// Where does the time go? `node bench/profile.mjs <row id> [seconds]` (after `npm run build`) runs this
// library's side of one signing row in a hot loop under `node --cpu-prof`, then prints the functions
// with the most self time and, for this package's own functions (dist/), their inclusive time.
// Row ids: v1-get, v1-put-sts, v4-get, v4-put-sts, post-v4, post-v4-sign, post-v1.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sink } from './measure.mjs';
import { signingGroups } from './signing.mjs';

const [mode, ...rest] = process.argv.slice(2);

function hotLoop(rowId, seconds) {
  const group = signingGroups().find((candidate) => candidate.id === rowId);
  if (!group) throw new Error(`no signing row ${rowId}`);
  const deadline = performance.now() + seconds * 1000;
  let calls = 0;
  while (performance.now() < deadline) {
    for (let i = 0; i < 100; i++) sink.last = group.ours.fn();
    calls += 100;
  }
  process.stdout.write(JSON.stringify({ calls, nsPerCall: (seconds * 1e9) / calls }));
}

function frameName({ functionName, url, lineNumber }) {
  const file = url ? basename(url) : '';
  return `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ''}`;
}

function summarise(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map();
  const inclusive = new Map();
  let total = 0;
  const stackOf = (id) => {
    const frames = [];
    for (let at = id; at !== undefined; at = parent.get(at)) frames.push(byId.get(at).callFrame);
    return frames;
  };
  profile.samples.forEach((id, index) => {
    const stack = stackOf(id);
    const leaf = frameName(stack[0]);
    // Only the hot loop and garbage collection count; module loading and start-up do not.
    if (leaf !== '(garbage collector)' && !stack.some((frame) => frame.functionName === 'hotLoop')) return;
    const delta = profile.timeDeltas[index] ?? 0;
    total += delta;
    self.set(leaf, (self.get(leaf) ?? 0) + delta);
    const seen = new Set();
    for (const callFrame of stack) {
      const name = frameName(callFrame);
      if (seen.has(name) || !callFrame.url.includes('/dist/')) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + delta);
    }
  });
  const top = (map, count) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, time]) => `${((100 * time) / total).toFixed(1).padStart(5)}%  ${name}`)
      .join('\n');
  return [
    "self time (share of the hot loop's samples, garbage collection included):",
    top(self, 25),
    '',
    "inclusive time, this package's functions:",
    top(inclusive, 25),
    '',
  ].join('\n');
}

if (mode === '--child') {
  hotLoop(rest[0], Number(rest[1]));
} else {
  const [rowId, seconds = '4'] = [mode, ...rest];
  const directory = mkdtempSync(join(tmpdir(), 'oss-bench-profile-'));
  try {
    const child = spawnSync(
      process.execPath,
      [
        '--cpu-prof',
        `--cpu-prof-dir=${directory}`,
        fileURLToPath(import.meta.url),
        '--child',
        rowId,
        seconds,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    if (child.status !== 0) process.exit(child.status ?? 1);
    const { calls, nsPerCall } = JSON.parse(child.stdout);
    const [file] = readdirSync(directory);
    process.stdout.write(
      `${rowId}: ${calls} calls, ${(nsPerCall / 1000).toFixed(2)} µs per call under the profiler\n\n`,
    );
    process.stdout.write(summarise(JSON.parse(readFileSync(join(directory, file), 'utf8'))));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
