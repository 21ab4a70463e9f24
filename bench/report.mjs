// Turns the measured figures into Markdown tables and checks the issue's targets against them.

const COLD_START_TARGET = { faster: 10 };
const ALTERNATIVES = new Set(['ali-oss', 'aws-presigner', 'aws-presigner-client']);

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

function checkTarget(target, ratio) {
  if (!target) return undefined;
  return target.faster !== undefined ? ratio >= target.faster : ratio <= target.within;
}

function describeTarget(target, pass) {
  if (!target) return '';
  const goal = target.faster !== undefined ? `≥ ${target.faster}x faster` : `≤ ${target.within}x the limit`;
  return `${goal}: **${pass ? 'PASS' : 'MISS'}**`;
}

function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  const separator = header.map((cell) => (cell.startsWith('>') ? '---:' : '---'));
  return [line(header.map((cell) => cell.replace(/^>/, ''))), line(separator), ...rows.map(line)].join('\n');
}

function failed(title, result) {
  return result.error ? `### ${title}\n\nnot measured: ${result.error}\n` : undefined;
}

function signingSection(signing, targets) {
  const title = 'Signing, time per call';
  const failure = failed(title, signing);
  if (failure) return failure;
  const rows = [];
  for (const row of signing.rows) {
    row.comparisons.forEach((comparison, index) => {
      const pass = checkTarget(comparison.target, comparison.ratio);
      if (comparison.target) {
        targets.push({
          name: `${row.title}: vs ${comparison.name}`,
          ratio: comparison.ratio,
          ...comparison.target,
          pass,
        });
      }
      const ratio =
        comparison.kind === 'limit'
          ? `${comparison.ratio.toFixed(2)}x the limit`
          : `${comparison.ratio.toFixed(2)}x faster`;
      const same = comparison.sameSignature === undefined ? '' : comparison.sameSignature ? 'yes' : '**NO**';
      rows.push([
        index === 0 ? row.title : '',
        index === 0 ? `${row.ours.name} ${formatDuration(row.ours.medianNs)}` : '',
        `${comparison.kind === 'limit' ? 'limit: ' : ''}${comparison.name}`,
        formatDuration(comparison.medianNs),
        ratio,
        same,
        describeTarget(comparison.target, pass),
      ]);
    });
  }
  return [
    `### ${title}`,
    '',
    `Times: median of ${signing.rounds} interleaved rounds, each round the median of batches of 32 calls. ` +
      'Ratios: median of the per-round ratios (both sides run back to back in every round); ' +
      '"x faster" is their time ÷ ours, "x the limit" is ours ÷ the raw node:crypto work. ' +
      '"same signature": ali-oss gives the signature this library gives for the same inputs.',
    '',
    table(
      ['case', '>oss-direct-upload', 'compared with', '>their time', '>ratio', 'same signature', 'target'],
      rows,
    ),
    '',
  ].join('\n');
}

function coldStartSection(coldStart, targets) {
  const title = 'Cold start, each in a fresh node process';
  const failure = failed(title, coldStart);
  if (failure) return failure;
  const { targets: measured } = coldStart;
  const rows = Object.entries(measured).map(([id, target]) => {
    const ratio = target.importRatioToOurs;
    let verdict = '';
    if (id === 'ali-oss') {
      const pass = checkTarget(COLD_START_TARGET, ratio);
      targets.push({ name: 'import vs ali-oss', ratio, ...COLD_START_TARGET, pass });
      verdict = describeTarget(COLD_START_TARGET, pass);
    }
    const slower = ALTERNATIVES.has(id) ? `${ratio.toFixed(1)}x slower` : '';
    return [
      target.name,
      `${target.importMs.toFixed(1)} ms`,
      `${target.wallMs.toFixed(1)} ms`,
      slower,
      verdict,
    ];
  });
  return [
    `### ${title}`,
    '',
    `Median of ${coldStart.runs} runs per module, the modules taking turns. "import" is timed inside the ` +
      'child with process.hrtime around the import alone; "whole process" is spawn to exit, as the parent ' +
      'sees it. Ratios: median of the per-round ratios.',
    '',
    table(['module', '>import', '>whole process', '>vs oss-direct-upload (import)', 'target'], rows),
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
    `### ${title}`,
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
    `### ${title}`,
    '',
    table(['npm install', '>packages', '>bytes on disk', '>vs oss-direct-upload'], rows),
    '',
    'oss-direct-upload: the files `npm pack` puts in the package ' +
      `(tarball ${formatBytes(ours.tarballBytes)}), no dependencies. ` +
      'Others: the dependency tree resolved from package-lock.json, file sizes summed on disk.',
    '',
  ].join('\n');
}

export function formatReport(results) {
  const targets = [];
  const { machine, versions } = results;
  const header = [
    '## Benchmarks',
    '',
    `${results.date.slice(0, 10)} · ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB · ` +
      `${machine.os} · Node ${machine.node} · ` +
      `load average ${machine.loadAverage.join(' → ')} (start → end) · ali-oss ${versions['ali-oss']} · ` +
      `@aws-sdk/s3-request-presigner ${versions['@aws-sdk/s3-request-presigner']}`,
    '',
  ].join('\n');
  const sections = [
    signingSection(results.signing, targets),
    coldStartSection(results.coldStart, targets),
    stsSection(results.sts),
    footprintSection(results.footprint),
  ];
  const summary = targets.map(
    (target) =>
      `- ${target.pass ? 'PASS' : 'MISS'} ${target.name}: ${target.ratio.toFixed(2)}x ` +
      `(target ${target.faster !== undefined ? `≥ ${target.faster}x` : `≤ ${target.within}x`})`,
  );
  const text = [header, ...sections, '### Targets', '', ...summary, ''].join('\n');
  return { text, targets };
}
