// Child process of sts.mjs, run with --expose-gc: heap held per cached STS entry.
// Usage: node --expose-gc sts-memory-child.mjs <sts endpoint> <entries>
//
// Each entry is a distinct session policy (one upload prefix per user), as a server issuing per-user
// credentials would have. The policies are built and dropped inside the loop. What the cache holds is
// the heap with the entries minus the heap right after clear(): growth that is not the cache's (compiled
// code, the SDK's own state) cancels out.

import { setTimeout as sleep } from 'node:timers/promises';
import { createStsCredentialProvider, createUploadPolicy } from 'oss-direct-upload';
import { STS_BENCH } from './sts.mjs';

// The STS SDK's HTTP layer (httpx) keeps each finished request reachable from a read timer until the
// timeout passes; a short timeout and a wait past it keep those requests out of the figure.
const TIMEOUT_MS = 1000;

const [endpoint, entriesArgument] = process.argv.slice(2);
const entries = Number(entriesArgument);
// Room for every entry plus the default one: an eviction would make the figure meaningless.
const provider = createStsCredentialProvider({
  ...STS_BENCH,
  endpoint,
  timeoutMs: TIMEOUT_MS,
  maxCacheEntries: entries + 1,
});
const credentialsFor = (index) =>
  provider.getCredentials({
    policy: createUploadPolicy({ bucket: 'examplebucket', prefix: `users/${index}/` }),
  });

function settledHeap() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

await provider.getCredentials();
await sleep(TIMEOUT_MS + 500);
const before = settledHeap();
const firstKeyId = (await credentialsFor(0)).accessKeyId;
for (let index = 1; index < entries; index++) await credentialsFor(index);
await sleep(TIMEOUT_MS + 500);
const filled = settledHeap();
// The oldest entry is still served from the cache only if no entry was evicted.
const retained = (await credentialsFor(0)).accessKeyId === firstKeyId;
provider.clear();
const cleared = settledHeap();

process.stdout.write(
  JSON.stringify({
    entries,
    retained,
    bytesPerEntry: Math.round((filled - cleared) / entries),
    heapGrowthPerEntry: Math.round((filled - before) / entries),
  }),
);
