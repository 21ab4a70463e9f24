// Before timing, the bench proves that the tasks of a row do the same work, and stops if they do not:
// - each of this library's tasks and the minimal signer's, called as it is timed, gives the signature
//   (and, for POST, the very policy) that the row's ali-oss task gives for the same input and second;
// - the minimal signer's result equals presignUrl's, byte for byte, for every key of the ring;
// - the floor's signature of each key is the one in presignUrl's URL for that key at the floor's time.

import { isDeepStrictEqual } from 'node:util';
import { presignUrl } from 'oss-direct-upload';
import { BUCKET, EXPIRES_IN, REGION } from './fixtures.mjs';
import { minimalPresignUrl } from './minimal-signer.mjs';
import { COLUMNS } from './rows.mjs';

/** Columns compared with ali-oss: everything but the floor (no URL) and AWS (another service). */
const AGAINST_ALI_OSS = ['literal', 'spread', 'bound', 'minimalLiteral', 'minimalSpread'];

function urlOf(result) {
  return new URL(typeof result === 'string' ? result : result.url).searchParams;
}

/** What to compare of a result, and the signing time it depends on. */
const signatureOf = {
  'presign-v1': (result) => {
    const query = urlOf(result);
    return { time: query.get('Expires'), signature: query.get('Signature') };
  },
  'presign-v4': (result) => {
    const query = urlOf(result);
    return { time: query.get('x-oss-date'), signature: query.get('x-oss-signature') };
  },
  'post-v4': ({ fields }) => ({
    time: fields['x-oss-date'],
    signature: `${fields.policy} ${fields['x-oss-signature']}`,
  }),
  'post-v1': ({ fields }) => ({
    time: JSON.parse(Buffer.from(fields.policy, 'base64').toString('utf8')).expiration,
    signature: `${fields.policy} ${fields.Signature}`,
  }),
};

// Calls both until they signed in the same second, then compares. ali-oss rounds V1 times to the
// nearest second where this library truncates, so a retry waits for the start of the next second.
async function sameAsAliOss(kind, aliOss, ours, input) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const theirs = signatureOf[kind](await aliOss.sign(input));
    const mine = signatureOf[kind](await ours.sign(input));
    if (theirs.time === mine.time) return theirs.signature === mine.signature;
    await new Promise((resolve) => setTimeout(resolve, 1010 - (Date.now() % 1000)));
  }
  return false;
}

function signedOptions(row, key) {
  return { bucket: BUCKET, region: REGION, expiresIn: EXPIRES_IN, ...row.signed, key };
}

/**
 * @param {ReturnType<typeof import('./rows.mjs').signingRows>[number]} row
 * @param {Record<string, { sign: (input: unknown) => unknown }>} compiled the row's tasks, by column
 * @returns {Promise<string[]>} what was checked, for the report; throws on any difference
 */
export async function checkRow(row, compiled) {
  const failures = [];
  const same = [];
  const input = row.tasks.aliOss.inputs[0];
  for (const column of AGAINST_ALI_OSS) {
    if (!compiled[column]) continue;
    if (await sameAsAliOss(row.kind, compiled.aliOss, compiled[column], input)) same.push(COLUMNS[column]);
    else failures.push(`${column} signs differently from ali-oss`);
  }
  const checked = [`same as ali-oss: ${same.join(', ')}`];
  if (row.signed) {
    const { inputs } = row.tasks.floor;
    row.tasks.literal.inputs.forEach((key, index) => {
      const options = { ...signedOptions(row, key), now: row.floorAt };
      const expected = presignUrl(options);
      if (!isDeepStrictEqual(minimalPresignUrl(options), expected)) {
        failures.push(`the minimal signer differs from presignUrl for key ${key}`);
      }
      const { signature } = signatureOf[row.kind](expected);
      if (compiled.floor.sign(inputs[index]) !== signature) {
        failures.push(`the floor signs another string than presignUrl for key ${key}`);
      }
    });
    const keys = inputs.length;
    checked.push(
      `the minimal signer's result = presignUrl's on ${keys} keys`,
      `the floor's signature = presignUrl's on ${keys} keys`,
    );
  }
  if (failures.length > 0) {
    const more = failures.length > 3 ? ` (and ${failures.length - 3} more)` : '';
    throw new Error(
      `${row.id}: the tasks do not do the same work: ${failures.slice(0, 3).join('; ')}${more}`,
    );
  }
  return checked;
}
