// Where does the time go? `node bench/profile.mjs <row>/<column> [seconds]` (after `npm run build`)
// runs one task of the signing tables in a hot loop under V8's CPU profiler (node:inspector, the
// profiler `node --cpu-prof` uses), then prints the functions with the most self time and, for this
// package's own functions (dist/), their inclusive time. As in the bench, every task of every row runs
// briefly first, so the library has seen all of them; the profiler runs during the hot loop only.
// Rows: v1-get, v1-put-sts, v4-get, v4-put-sts, post-v4, post-v1. Columns: literal, spread, bound,
// aliOss, minimalLiteral, minimalSpread, floor (aws for V4 rows). Example: v4-get/spread.

import { Session } from 'node:inspector/promises';
import { basename } from 'node:path';
import { compileTask } from './measure.mjs';
import { signingRows } from './rows.mjs';

const [taskId, seconds = '4'] = process.argv.slice(2);

async function warmUp() {
  let profiled;
  for (const row of signingRows()) {
    for (const [column, task] of Object.entries(row.tasks)) {
      const id = `${row.id}/${column}`;
      const compiled = compileTask({ id, ...task });
      for (const end = performance.now() + 50; performance.now() < end; ) await compiled.sample(32);
      if (id === taskId) profiled = compiled;
    }
  }
  if (!profiled) throw new Error(`no signing task ${taskId}`);
  return profiled;
}

async function profileLoop(task, ms) {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  let calls = 0;
  let elapsedMs = 0;
  for (const end = performance.now() + ms; performance.now() < end; calls += 100) {
    elapsedMs += (await task.sample(100)) * 100;
  }
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  return { profile, calls, nsPerCall: (elapsedMs * 1e6) / calls };
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
    // The task and the garbage collector; not the loop's own idle ticks between batches.
    if (leaf === '(idle)' || leaf === '(program)') return;
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

const { profile, calls, nsPerCall } = await profileLoop(await warmUp(), Number(seconds) * 1000);
process.stdout.write(
  `${taskId}: ${calls} calls, ${(nsPerCall / 1000).toFixed(2)} µs per call under the profiler\n\n`,
);
process.stdout.write(summarise(profile));
