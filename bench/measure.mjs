// Interleaved timing of tasks that are each compiled on their own.
//
// Why each task is compiled: V8 keeps its inline caches and type feedback per function, in a feedback
// vector that every closure of one function literal shares. A harness that wraps every task in the same
// loop (`for (...) sink = fn()`) has one `fn()` call site for all tasks: it turns megamorphic, nothing
// is inlined, and the code optimised for one task runs (or deoptimises) for the next. The same goes for
// an object literal or a spread shared by several tasks: one allocation site, one set of maps. So a task
// is given as source: `setup` is a function of its dependencies only (no variables from its module),
// returning the function to time, and compileTask() compiles that source, with the timing loop around it,
// in a fresh `new Function` script. Each task then has its own functions and so its own feedback: its
// loop calls one function, its option objects are built at its own sites, as in a request handler. The
// script ends with a `sourceURL` naming the task, which also keeps two tasks of the same text apart
// (V8 caches compiled eval code by source text) and names the task's frames in CPU profiles.
//
// Every group (one row of the tables: this library, its alternatives and its limits) is run once per
// round, the rounds cycling through all groups, so slow drifts of the machine (load from other
// processes, thermal) hit every task alike; inside a group the order rotates each round. A sample is
// the mean of a batch of back-to-back calls (single calls of 1-10 µs are too close to the timer's own
// cost); a task's figure for a round is the median of its samples, and its time is the median of its
// rounds. Ratios are taken per round (both tasks ran back to back) and summarised by their median and
// their spread over the rounds.

import { performance } from 'node:perf_hooks';

const BATCH = 32;
const MIN_SAMPLES = 5;

// Results are kept here so that no call can be optimised away as dead code.
export const sink = { last: undefined };

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Whether a ratio meets a target: `atLeast` for "x faster than", `atMost` for "x the floor". */
export function checkTarget(target, ratio) {
  return target.atLeast !== undefined ? ratio >= target.atLeast : ratio <= target.atMost;
}

/** Median, lowest and highest: a figure and its spread over the rounds. */
export function summarize(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** The per-round ratios `numerator / denominator` of two tasks' times, summarised. */
export function roundRatio(numerator, denominator) {
  return summarize(numerator.roundsNs.map((ns, round) => ns / denominator.roundsNs[round]));
}

/**
 * @typedef {object} Task
 * @property {string} id
 * @property {(deps: any) => (input: any) => unknown} setup compiled from its source text: it may use
 *   its `deps` argument only, never a variable of the module that defines it
 * @property {object} [deps]
 * @property {unknown[]} [inputs] one per call in turn; a power of two in length
 * @property {boolean} [async] await each call
 */

/**
 * Compiles one task in a script of its own.
 * @param {Task} task
 * @returns {{ sign: (input: any) => unknown, sample: (calls: number) => number | Promise<number> }}
 *   `sign` is the timed function; `sample(n)` times n calls and returns milliseconds per call.
 */
export function compileTask({ id, setup, deps = {}, inputs = [undefined], async = false }) {
  if (inputs.length & (inputs.length - 1)) throw new Error(`task ${id}: inputs must be a power of two`);
  const source = [
    `const sign = (${setup})(deps);`,
    'let calls = 0;',
    `return { sign, sample: ${async ? 'async ' : ''}function sample(count) {`,
    '  const start = performance.now();',
    `  for (let i = 0; i < count; i++) sink.last = ${async ? 'await ' : ''}sign(inputs[calls++ & mask]);`,
    '  return (performance.now() - start) / count;',
    '} };',
    `//# sourceURL=bench-task/${id}.js`,
  ].join('\n');
  const compiled = new Function('deps', 'inputs', 'mask', 'sink', 'performance', source);
  return compiled(deps, inputs, inputs.length - 1, sink, performance);
}

async function timeRound(compiled, { timeMs, warmupMs }) {
  for (const end = performance.now() + warmupMs; performance.now() < end; ) await compiled.sample(BATCH);
  const samples = [];
  const end = performance.now() + timeMs;
  while (performance.now() < end || samples.length < MIN_SAMPLES) samples.push(await compiled.sample(BATCH));
  return median(samples) * 1e6;
}

/**
 * @param {{ id: string, tasks: ({ id: string, compiled: ReturnType<typeof compileTask> } | Task |
 *   { id: string, fn: () => unknown, async?: boolean })[] }[]} groups a task is given compiled, or as
 *   source, or as a closure `fn` (then it gets a compiled loop of its own that calls it)
 * @param {{ rounds: number, timeMs: number, warmupMs: number, onRound?: (round: number) => void }} options
 * @returns {Promise<Map<string, { medianNs: number, roundsNs: number[] }>>} keyed by task id
 */
export async function runInterleaved(groups, { rounds, timeMs, warmupMs, onRound }) {
  const compiled = groups.map((group) =>
    group.tasks.map((task) => ({
      id: task.id,
      run:
        task.compiled ??
        compileTask(task.fn ? { ...task, setup: ({ fn }) => fn, deps: { fn: task.fn } } : task),
    })),
  );
  const perRound = new Map();
  for (let round = 0; round < rounds; round++) {
    onRound?.(round);
    for (const tasks of compiled) {
      const shift = round % tasks.length;
      for (const task of [...tasks.slice(shift), ...tasks.slice(0, shift)]) {
        const ns = await timeRound(task.run, { timeMs, warmupMs });
        perRound.set(task.id, [...(perRound.get(task.id) ?? []), ns]);
      }
    }
  }
  const results = new Map();
  for (const group of groups) {
    for (const { id } of group.tasks) {
      const roundsNs = perRound.get(id);
      results.set(id, { medianNs: median(roundsNs), roundsNs });
    }
  }
  return results;
}
