// The signing section: compiles every task of every row, checks that each row's tasks do the same work,
// times them all interleaved in this one process, and derives the ratios and the targets.

import { checkRow } from './equivalence.mjs';
import { checkTarget, compileTask, roundRatio, runInterleaved } from './measure.mjs';
import { signingRows } from './rows.mjs';

const V1 = ['v1-get', 'v1-put-sts'];
const V4 = ['v4-get', 'v4-put-sts'];

/**
 * The ratios reported, `numerator/denominator` of a row's columns: how many times faster than ali-oss
 * (and AWS) each call shape is, and how far each is from the minimal signer and the floor.
 */
export const RATIOS = {
  'aliOss/literal': 'ali-oss ÷ ours, literal options',
  'aliOss/spread': 'ali-oss ÷ ours, spread options',
  'aliOss/bound': 'ali-oss ÷ ours, bound signer',
  'aws/literal': 'AWS ÷ ours, literal options',
  'literal/floor': 'ours ÷ floor, literal options',
  'spread/floor': 'ours ÷ floor, spread options',
  'bound/floor': 'ours ÷ floor, bound signer',
  'literal/minimalLiteral': 'ours ÷ minimal signer, literal options',
  'spread/minimalSpread': 'ours ÷ minimal signer, spread options',
  'minimalLiteral/floor': 'minimal signer ÷ floor, literal options',
};

/** Issue 8's targets; `atLeast` for "x faster than", `atMost` for "x the floor". */
export const TARGETS = [
  { rows: V1, ratio: 'aliOss/spread', atLeast: 2 },
  { rows: V4, ratio: 'aliOss/spread', atLeast: 4 },
  { rows: ['post-v4'], ratio: 'aliOss/spread', atLeast: 2 },
  { rows: [...V1, ...V4], ratio: 'literal/floor', atMost: 2.5 },
  { rows: V1, ratio: 'aliOss/bound', atLeast: 2.5 },
  { rows: V4, ratio: 'aliOss/bound', atLeast: 5 },
];

export async function measureSigning({ rounds, timeMs, warmupMs, onProgress }) {
  const rows = signingRows();
  const compiled = new Map();
  for (const row of rows) {
    const tasks = {};
    for (const [column, task] of Object.entries(row.tasks)) {
      tasks[column] = compileTask({ id: `${row.id}/${column}`, ...task });
    }
    compiled.set(row.id, tasks);
  }
  onProgress?.('checking that the tasks of each row sign the same');
  const checked = new Map();
  for (const row of rows) checked.set(row.id, await checkRow(row, compiled.get(row.id)));

  const timings = await runInterleaved(
    rows.map((row) => ({
      id: row.id,
      tasks: Object.entries(compiled.get(row.id)).map(([column, task]) => ({
        id: `${row.id}/${column}`,
        compiled: task,
      })),
    })),
    { rounds, timeMs, warmupMs, onRound: (round) => onProgress?.(`signing round ${round + 1}/${rounds}`) },
  );

  const results = rows.map((row) => {
    const times = {};
    for (const column of Object.keys(row.tasks)) times[column] = timings.get(`${row.id}/${column}`);
    const ratios = {};
    for (const ratio of Object.keys(RATIOS)) {
      const [numerator, denominator] = ratio.split('/');
      if (times[numerator] && times[denominator]) {
        ratios[ratio] = roundRatio(times[numerator], times[denominator]);
      }
    }
    return { id: row.id, title: row.title, checked: checked.get(row.id), times, ratios };
  });
  const targets = TARGETS.flatMap((target) =>
    target.rows.map((id) => {
      const row = results.find((candidate) => candidate.id === id);
      const ratio = row.ratios[target.ratio];
      const { atLeast, atMost } = target;
      const name = `${row.title}: ${RATIOS[target.ratio]}`;
      return { name, atLeast, atMost, ...ratio, pass: checkTarget(target, ratio.median) };
    }),
  );
  return { rounds, timeMs, warmupMs, rows: results, targets };
}
