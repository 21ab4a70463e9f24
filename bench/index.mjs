// `npm run bench`: this library next to what users would otherwise use, on this machine, in this run.
// Writes bench/RESULTS.md (the tables, with the targets first) and bench/results.json (every figure,
// with the per-round samples), stamped with the date, the machine, Node and the versions compared.
// `npm run bench -- --quick` runs every row briefly, to check the bench itself, and writes no file.
// The report also goes to stdout, progress to stderr. The exit status is 1 when a section could not be
// measured.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureColdStart } from './cold-start.mjs';
import { versions } from './fixtures.mjs';
import { measureFootprint } from './footprint.mjs';
import { formatReport } from './report.mjs';
import { measureSigning } from './signing.mjs';
import { measureSts } from './sts.mjs';

const { values: flags } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const SETTINGS = flags.quick
  ? {
      signing: { rounds: 2, timeMs: 20, warmupMs: 5 },
      coldStartRuns: 2,
      sts: { rounds: 1, timeMs: 20, warmupMs: 5, memoryEntries: 100 },
    }
  : {
      signing: { rounds: 15, timeMs: 100, warmupMs: 20 },
      coldStartRuns: 21,
      sts: { rounds: 5, timeMs: 200, warmupMs: 40, memoryEntries: 1000 },
    };

const root = new URL('..', import.meta.url);
const progress = (message) => process.stderr.write(`bench: ${message}\n`);

// A section that fails is reported as not measured; the other sections still run.
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

/** The commit measured, `+changes` when the work tree differs from it; empty outside a git clone. */
function commit() {
  try {
    const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain') ? '+changes' : ''}`;
  } catch {
    return '';
  }
}

const cpuList = cpus();
const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const measured = commit();
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
  versions: { 'oss-direct-upload': `${version}${measured ? ` (${measured})` : ''}`, ...versions },
  signing: await section('signing', () => measureSigning({ ...SETTINGS.signing, onProgress: progress })),
  coldStart: await section('cold start', () =>
    measureColdStart({ runs: SETTINGS.coldStartRuns, onProgress: progress }),
  ),
  sts: await section('STS cached path', () => measureSts(SETTINGS.sts)),
  footprint: await section('install footprint', measureFootprint),
};
results.machine.loadAverage.push(loadavg()[0]);
results.machine.loadAverage = results.machine.loadAverage.map((load) => Number(load.toFixed(2)));
results.targets = [...(results.signing.targets ?? []), ...(results.coldStart.targets ?? [])];

const report = formatReport(results);
process.stdout.write(report);
if (flags.quick) {
  progress('quick run: no file written');
} else {
  for (const [file, text] of [
    ['RESULTS.md', report],
    ['results.json', `${JSON.stringify(results, null, 2)}\n`],
  ]) {
    const path = fileURLToPath(new URL(file, import.meta.url));
    writeFileSync(path, text);
    progress(`wrote ${path}`);
  }
}
for (const target of results.targets) {
  progress(`${target.pass ? 'PASS' : 'MISS'} ${target.name}: ${target.median.toFixed(2)}x`);
}
const notMeasured = ['signing', 'coldStart', 'sts', 'footprint'].filter((name) => results[name].error);
if (notMeasured.length > 0) {
  progress(`not measured: ${notMeasured.join(', ')}`);
  process.exitCode = 1;
}
