// Interleaved, batched timing on top of tinybench.
//
// Every group (one row of the table: this library and its alternatives) is run once per round, and the
// rounds cycle through all groups, so slow drifts of the machine (thermal, noisy neighbours) hit every
// contender alike. Inside a group the task order rotates each round. A tinybench sample is the mean of
// BATCH back-to-back calls: single calls of 1-10 µs are too close to the timer's own cost to time one by
// one. Async functions are awaited call by call, as a caller would.

import { performance } from 'node:perf_hooks';
import { Bench } from 'tinybench';

const BATCH = 32;

// Results are kept here so that no call can be optimised away as dead code.
export const sink = { last: undefined };

function batchedSync(fn) {
  return () => {
    const start = performance.now();
    for (let i = 0; i < BATCH; i++) sink.last = fn();
    const elapsed = performance.now() - start;
    return { overriddenDuration: elapsed / BATCH, overriddenIterationCost: elapsed };
  };
}

function batchedAsync(fn) {
  return async () => {
    const start = performance.now();
    for (let i = 0; i < BATCH; i++) sink.last = await fn();
    const elapsed = performance.now() - start;
    return { overriddenDuration: elapsed / BATCH, overriddenIterationCost: elapsed };
  };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * @param {{ id: string, tasks: { id: string, fn: () => unknown, async?: boolean }[] }[]} groups
 * @param {{ rounds: number, timeMs: number, warmupMs: number, onRound?: (round: number) => void }} options
 * @returns {Promise<Map<string, { medianNs: number, roundsNs: number[] }>>} keyed by task id
 */
export async function runInterleaved(groups, { rounds, timeMs, warmupMs, onRound }) {
  const perRound = new Map();
  for (let round = 0; round < rounds; round++) {
    onRound?.(round);
    for (const group of groups) {
      const bench = new Bench({ time: timeMs, iterations: 10, warmupTime: warmupMs, warmupIterations: 5 });
      const shift = round % group.tasks.length;
      const ordered = [...group.tasks.slice(shift), ...group.tasks.slice(0, shift)];
      for (const task of ordered) {
        const wrapped = task.async ? batchedAsync(task.fn) : batchedSync(task.fn);
        bench.add(task.id, wrapped, { async: Boolean(task.async) });
      }
      await bench.run();
      for (const task of bench.tasks) {
        const { result } = task;
        if (result.state !== 'completed') {
          throw new Error(`bench task ${task.name} ${result.state}: ${result.error?.message ?? ''}`);
        }
        const samples = perRound.get(task.name) ?? [];
        samples.push(result.latency.p50 * 1e6);
        perRound.set(task.name, samples);
      }
    }
  }
  const results = new Map();
  for (const [id, roundsNs] of perRound) results.set(id, { medianNs: median(roundsNs), roundsNs });
  return results;
}
