// `npm run bench` — this library next to what users would otherwise use, on this machine, in this run.
// `npm run bench -- --json` also writes every figure to bench/results.json.
// Progress goes to stderr; stdout carries only the tables (Markdown, ready for the README).

import { writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureColdStart } from './cold-start.mjs';
import { measureFootprint } from './footprint.mjs';
import { median, runInterleaved } from './measure.mjs';
import { formatReport } from './report.mjs';
import { checkEquivalence, signingGroups, versions } from './signing.mjs';
import { measureSts } from './sts.mjs';

const SETTINGS = {
  signing: { rounds: 9, timeMs: 200, warmupMs: 40 },
  coldStartRuns: 15,
  sts: { rounds: 5, timeMs: 200, warmupMs: 40, memoryEntries: 1000 },
};

const { values: flags } = parseArgs({ options: { json: { type: 'boolean', default: false } } });
const resultsPath = fileURLToPath(new URL('./results.json', import.meta.url));
const progress = (message) => process.stderr.write(`bench: ${message}\n`);

// A section that fails is reported as failed; the other sections still run.
async function section(name, measure) {
  progress(name);
  const started = Date.now();
  try {
    return { ...(await measure()), seconds: (Date.now() - started) / 1000 };
  } catch (error) {
    progress(`${name} failed: ${error.stack ?? error}`);
    return { error: String(error.message ?? error) };
  }
}

// Both sides of a ratio ran back to back in each round, so the ratio of each round is free of the drift
// between rounds (load from other processes); the reported ratio is the median of those.
function roundRatio(numerator, denominator) {
  return median(numerator.roundsNs.map((ns, round) => ns / denominator.roundsNs[round]));
}

async function measureSigning() {
  const groups = signingGroups();
  const sameSignature = await checkEquivalence();
  const timings = await runInterleaved(
    groups.map((group) => ({
      id: group.id,
      tasks: [
        { id: `${group.id}/ours`, fn: group.ours.fn },
        ...group.others.map((other, index) => ({ id: `${group.id}/other${index}`, ...other })),
        ...(group.limit ? [{ id: `${group.id}/limit`, fn: group.limit.fn }] : []),
      ],
    })),
    {
      ...SETTINGS.signing,
      onRound: (round) => progress(`  signing round ${round + 1}/${SETTINGS.signing.rounds}`),
    },
  );
  const rows = groups.map((group) => {
    const ours = timings.get(`${group.id}/ours`);
    const comparisons = group.others.map((other, index) => {
      const theirs = timings.get(`${group.id}/other${index}`);
      return {
        name: other.name,
        kind: 'alternative',
        ...theirs,
        ratio: roundRatio(theirs, ours),
        target: other.target,
        sameSignature: other.signatureChecked ? sameSignature[group.id] : undefined,
      };
    });
    if (group.limit) {
      const limit = timings.get(`${group.id}/limit`);
      comparisons.push({
        name: group.limit.name,
        kind: 'limit',
        ...limit,
        ratio: roundRatio(ours, limit),
        target: group.limit.target,
      });
    }
    return { id: group.id, title: group.title, ours: { name: group.ours.name, ...ours }, comparisons };
  });
  return { ...SETTINGS.signing, rows };
}

const cpuList = cpus();
const results = {
  date: new Date().toISOString(),
  machine: {
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    // Other work on the machine skews the figures: the one-minute load average, before and after.
    loadAverage: [loadavg()[0]],
  },
  versions,
  signing: await section('signing', measureSigning),
  coldStart: await section('cold start', async () => ({
    runs: SETTINGS.coldStartRuns,
    targets: measureColdStart({
      runs: SETTINGS.coldStartRuns,
      onProgress: (round) =>
        round >= 0 && progress(`  cold start round ${round + 1}/${SETTINGS.coldStartRuns}`),
    }),
  })),
  sts: await section('STS cached path', () => measureSts(SETTINGS.sts)),
  footprint: await section('install footprint', measureFootprint),
};

results.machine.loadAverage.push(loadavg()[0]);
results.machine.loadAverage = results.machine.loadAverage.map((load) => Number(load.toFixed(2)));
const report = formatReport(results);
results.targets = report.targets;
process.stdout.write(report.text);
if (flags.json) {
  writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
  progress(`wrote ${resultsPath}`);
}
