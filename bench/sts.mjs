// The STS provider's cached path: after the first AssumeRole, getCredentials() should cost about as much
// as awaiting a resolved promise. The first fetch of each entry goes to the project's stand-in STS
// (test/support/fake-sts.mjs, the one the tests use); the bench counts its requests to show that the timed
// loop never fetched. Memory per cached entry is measured in a child process run with --expose-gc
// (sts-memory-child.mjs).

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createStsCredentialProvider, createUploadPolicy } from 'oss-direct-upload';
import { startFakeSts } from '../test/support/fake-sts.mjs';
import { runInterleaved } from './measure.mjs';

export const STS_BENCH = {
  roleArn: 'acs:ram::1234567890123456:role/bench-uploader',
  credentials: { accessKeyId: 'LTAI5tBenchmarkKeyId0001', accessKeySecret: 'BenchmarkSecretNotARealOne0001' },
};

/** The stand-in STS, accepting the bench's key. */
export function startBenchSts() {
  const { roleArn, credentials } = STS_BENCH;
  return startFakeSts({
    roleArn,
    accessKeys: { [credentials.accessKeyId]: { secret: credentials.accessKeySecret } },
  });
}

const memoryChild = fileURLToPath(new URL('./sts-memory-child.mjs', import.meta.url));

export async function measureSts({ rounds, timeMs, warmupMs, memoryEntries }) {
  const sts = await startBenchSts();
  try {
    const provider = createStsCredentialProvider({ ...STS_BENCH, endpoint: sts.url });
    const policy = createUploadPolicy({ bucket: 'examplebucket', prefix: 'uploads/user-42/' });
    const cached = await provider.getCredentials();
    await provider.getCredentials({ policy });
    const callsBeforeTiming = sts.requests.length;
    const timings = await runInterleaved(
      [
        {
          id: 'sts',
          tasks: [
            { id: 'default', async: true, fn: () => provider.getCredentials() },
            { id: 'policy', async: true, fn: () => provider.getCredentials({ policy }) },
            { id: 'floor', async: true, fn: () => Promise.resolve(cached) },
          ],
        },
      ],
      { rounds, timeMs, warmupMs },
    );
    const fetchesWhileTiming = sts.requests.length - callsBeforeTiming;

    // Asynchronous on purpose: the child fetches from the stand-in STS served by this process.
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--expose-gc',
      memoryChild,
      sts.url,
      String(memoryEntries),
    ]);
    const memory = JSON.parse(stdout);
    return {
      cachedNoPolicy: timings.get('default'),
      cachedWithPolicy: timings.get('policy'),
      awaitFloor: timings.get('floor'),
      fetchesWhileTiming,
      memory,
    };
  } finally {
    await sts.close();
  }
}
