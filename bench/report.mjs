// Turns the measured figures into bench/RESULTS.md: the targets first, then every table.

import { COLUMNS } from './rows.mjs';
import { RATIOS } from './signing.mjs';

function formatDuration(ns) {
  if (ns < 1_000) return `${ns.toFixed(0)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(2)} µs`;
  return `${(ns / 1_000_000).toFixed(1)} ms`;
}

function formatBytes(bytes) {
  if (bytes < 1_000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1_000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

function formatRate(ns) {
  const perSecond = 1e9 / ns;
  return perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(2)} M/s` : `${(perSecond / 1e3).toFixed(0)} k/s`;
}

/** `2.31x (2.10–2.52)`: the median ratio and its lowest and highest round. */
function formatRatio(ratio) {
  if (!ratio) return '';
  return `${ratio.median.toFixed(2)}x (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})`;
}

function formatGoal(target) {
  return target.atLeast !== undefined ? `≥ ${target.atLeast}x` : `≤ ${target.atMost}x`;
}

function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  const separator = header.map((cell) => (cell.startsWith('>') ? '---:' : '---'));
  return [line(header.map((cell) => cell.replace(/^>/, ''))), line(separator), ...rows.map(line)].join('\n');
}

function failed(title, result) {
  return result.error ? `## ${title}\n\n**not measured**: ${result.error}\n` : undefined;
}

function targetsSection(targets, sections) {
  const missing = sections.filter((section) => section.result.error).map((section) => section.title);
  const rows = targets.map((target) => [
    target.name,
    `${target.median.toFixed(2)}x`,
    `${target.min.toFixed(2)}–${target.max.toFixed(2)}`,
    formatGoal(target),
    target.pass ? 'PASS' : '**MISS**',
  ]);
  return [
    '## Targets',
    '',
    'The ratio is the median of the per-round ratios; the range is its lowest and highest round.',
    '',
    table(['target', '>ratio', '>range over rounds', 'goal', 'result'], rows),
    '',
    ...(missing.length > 0
      ? [`**Not measured** (their targets are missing above): ${missing.join(', ')}.`, '']
      : []),
  ].join('\n');
}

function signingSection(signing) {
  const title = 'Signing';
  const failure = failed(title, signing);
  if (failure) return failure;
  const columns = Object.keys(COLUMNS).filter((column) => signing.rows.some((row) => row.times[column]));
  const times = signing.rows.map((row) => [
    row.title,
    ...columns.map((column) => (row.times[column] ? formatDuration(row.times[column].medianNs) : '')),
  ]);
  const ratioTable = (ratios) =>
    table(
      ['row', ...ratios.map((ratio) => `>${RATIOS[ratio]}`)],
      signing.rows.map((row) => [row.title, ...ratios.map((ratio) => formatRatio(row.ratios[ratio]))]),
    );
  const checks = signing.rows.map((row) => `- ${row.title}: ${row.checked.join('; ')}.`);
  return [
    `## ${title}`,
    '',
    `${signing.rounds} interleaved rounds of ${signing.timeMs} ms per task (after ${signing.warmupMs} ms of ` +
      "warm-up), all rows in one process. A task's time is the median over the rounds of its median " +
      'batch of 32 calls; a ratio is the median of the per-round ratios, with its lowest and highest ' +
      'round in brackets.',
    '',
    '### Time per call',
    '',
    table(['row', ...columns.map((column) => `>${COLUMNS[column]}`)], times),
    '',
    '### How many times faster than ali-oss (and AWS)',
    '',
    ratioTable(['aliOss/literal', 'aliOss/spread', 'aliOss/bound', 'aws/literal']),
    '',
    '### Distance to the limits (lower is better, 1x is the limit itself)',
    '',
    ratioTable([
      'literal/floor',
      'spread/floor',
      'bound/floor',
      'literal/minimalLiteral',
      'spread/minimalSpread',
      'minimalLiteral/floor',
    ]),
    '',
    '### Checked before timing',
    '',
    '"Same as ali-oss": the task, called as it is timed, gave the signature (and, for POST, the policy) ' +
      "that the row's ali-oss task gave for the same input in the same second.",
    '',
    ...checks,
    '',
  ].join('\n');
}

function coldStartSection(coldStart) {
  const title = 'Cold start, each in a fresh node process';
  const failure = failed(title, coldStart);
  if (failure) return failure;
  const rows = coldStart.modules.map((module) => {
    const baseline = module.id === 'baseline';
    return [
      module.name,
      `${module.importMs.median.toFixed(1)} ms (${module.importMs.min.toFixed(1)}–${module.importMs.max.toFixed(1)})`,
      `${module.cpuMs.median.toFixed(1)} ms`,
      `${module.wallMs.median.toFixed(1)} ms`,
      baseline ? '' : formatRatio(module.importPerNodeCrypto),
      baseline ? '' : formatRatio(module.cpuPerNodeCrypto),
      baseline ? '' : formatRatio(module.importPerOurs),
    ];
  });
  return [
    `## ${title}`,
    '',
    `${coldStart.runs} runs per module after one discarded round, the modules taking turns. "import" is ` +
      'timed inside the child around the import alone: its wall time (median, then lowest–highest run) ' +
      'and its CPU time (median; on a busy machine, wall time includes waiting for a processor, CPU time ' +
      'does not). "whole process" is spawn to exit, as the parent sees it. Ratios: median of the ' +
      'per-round ratios (lowest–highest round).',
    '',
    table(
      [
        'module',
        '>import',
        '>import, CPU',
        '>whole process',
        '>÷ node:crypto import',
        '>÷ node:crypto import, CPU',
        '>÷ oss-direct-upload import',
      ],
      rows,
    ),
    '',
  ].join('\n');
}

function stsSection(sts) {
  const title = 'STS provider, cached path';
  const failure = failed(title, sts);
  if (failure) return failure;
  const rows = [
    ['`getCredentials()`, cached', sts.cachedNoPolicy],
    ['`getCredentials({ policy })`, cached (policy object → cache key)', sts.cachedWithPolicy],
    ['floor: `await` of an already resolved promise', sts.awaitFloor],
  ].map(([name, timing]) => [name, formatDuration(timing.medianNs), formatRate(timing.medianNs)]);
  const { memory } = sts;
  return [
    `## ${title}`,
    '',
    table(['call', '>per call', '>calls per second'], rows),
    '',
    `AssumeRole requests while timing: ${sts.fetchesWhileTiming} (the stand-in STS endpoint counts them). ` +
      `Memory per cached entry: ${formatBytes(memory.bytesPerEntry)} of heap ` +
      `(${memory.entries} entries with distinct session policies and ~600-character tokens; heap with ` +
      'the entries minus heap after `clear()`; all still cached at the end: ' +
      `${memory.retained ? 'yes' : '**no, the figure is invalid**'}).`,
    '',
  ].join('\n');
}

function footprintSection(footprint) {
  const title = 'Install footprint';
  const failure = failed(title, footprint);
  if (failure) return failure;
  const { ours } = footprint;
  const rows = [ours, footprint.oursWithStsPeers, footprint.aliOss, footprint.aws].map((entry) => [
    entry.name,
    String(entry.packages),
    formatBytes(entry.bytes),
    entry === ours ? '' : `${(entry.bytes / ours.bytes).toFixed(0)}x`,
  ]);
  return [
    `## ${title}`,
    '',
    table(['npm install', '>packages', '>bytes on disk', '>vs oss-direct-upload'], rows),
    '',
    'oss-direct-upload: the files `npm pack` puts in the package ' +
      `(tarball ${formatBytes(ours.tarballBytes)}), no dependencies. ` +
      'Others: the dependency tree resolved from package-lock.json, file sizes summed on disk.',
    '',
  ].join('\n');
}

/** RESULTS.md from the results of one run. */
export function formatReport(results) {
  const { machine, versions } = results;
  const sections = [
    { title: 'Signing', result: results.signing, format: signingSection },
    { title: 'Cold start', result: results.coldStart, format: coldStartSection },
    { title: 'STS provider', result: results.sts, format: stsSection },
    { title: 'Install footprint', result: results.footprint, format: footprintSection },
  ];
  const stamp =
    `${results.date} · ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB · ${machine.os} · ` +
    `Node ${machine.node} · load average ${machine.loadAverage.join(' → ')} (start → end) · ` +
    Object.entries(versions)
      .map(([name, version]) => `${name} ${version}`)
      .join(' · ');
  return [
    '# Benchmark results',
    '',
    'Written by `npm run bench`: never edit it by hand, run the bench again. What is measured, how, and ' +
      'how to read it: [README.md](README.md).',
    '',
    stamp,
    '',
    targetsSection(results.targets, sections),
    ...sections.map((section) => section.format(section.result)),
  ].join('\n');
}
