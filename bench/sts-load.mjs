// `node bench/sts-load.mjs` (after `npm run build`): the STS provider under load and faults, through the real
// STS SDK against the project's stand-in STS on 127.0.0.1. Prints, for each scenario, how many calls were
// made, how many AssumeRole requests reached STS, and what went wrong. The time is simulated (the provider
// and the stand-in share a clock that the script moves), so hours of traffic take seconds; every loop is
// bounded. The fast versions of these scenarios are regression tests in test/unit/sts/.

import { createStsCredentialProvider, createUploadPolicy } from 'oss-direct-upload';
import { startFakeSts } from '../test/support/fake-sts.mjs';

const ROLE_ARN = 'acs:ram::1234567890123456:role/load';
const KEYS = { accessKeyId: 'LTAI5tLoadTestKey0001', accessKeySecret: 'LoadTestSecretNotReal0001' };

async function scenario(name, setup, run) {
  const clock = { now: Math.floor(Date.now() / 1000) * 1000 };
  const sts = await startFakeSts({
    roleArn: ROLE_ARN,
    accessKeys: { [KEYS.accessKeyId]: { secret: KEYS.accessKeySecret } },
    clock: () => new Date(clock.now),
  });
  const reports = [];
  try {
    const options = setup(sts) ?? {};
    const provider = createStsCredentialProvider({
      roleArn: ROLE_ARN,
      endpoint: sts.url,
      credentials: KEYS,
      clock: () => new Date(clock.now),
      onRefreshError: (error) => reports.push(error.code),
      ...options,
    });
    const tally = { calls: 0, errors: 0, expired: 0 };
    const call = async (request) => {
      tally.calls++;
      try {
        const credentials = await provider.getCredentials(request);
        if (Date.parse(credentials.expiration) <= sts.stsNow().getTime()) tally.expired++;
      } catch {
        tally.errors++;
      }
    };
    const started = performance.now();
    await run({ call, clock, sts });
    const byCode = new Map();
    for (const code of reports) byCode.set(code, (byCode.get(code) ?? 0) + 1);
    const counts = [...byCode].map(([code, count]) => `${code} x${count}`);
    console.log(
      `${name}\n  ${tally.calls} calls, ${sts.requests.length} AssumeRole, ${tally.errors} rejected, ` +
        `${tally.expired} expired credentials served, reported: ${counts.join(', ') || 'nothing'} ` +
        `(${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
  } finally {
    await sts.close();
  }
}

/** `perSecond` calls each simulated second, for `seconds`. */
async function steady({ call, clock }, perSecond, seconds, request) {
  for (let second = 0; second < seconds; second++) {
    await Promise.all(Array.from({ length: perSecond }, () => call(request)));
    clock.now += 1000;
  }
}

const policy = (i) => createUploadPolicy({ bucket: 'load-bucket', prefix: `users/${i}/` });

await scenario(
  '500 concurrent callers over 20 session policies, maxCacheEntries 10',
  () => ({ maxCacheEntries: 10 }),
  ({ call }) => Promise.all(Array.from({ length: 500 }, (_, i) => call({ policy: policy(i % 20) }))),
);
for (const [users, maxCacheEntries] of [
  [1000, undefined],
  [5000, undefined],
  [5000, 5000],
]) {
  await scenario(
    `${users} users (one session policy each), 3 calls each, maxCacheEntries ${maxCacheEntries ?? '1000 (default)'}`,
    () => ({ maxCacheEntries }),
    async ({ call }) => {
      for (let round = 0; round < 3; round++) {
        for (let start = 0; start < users; start += 250) {
          await Promise.all(Array.from({ length: 250 }, (_, i) => call({ policy: policy(start + i) })));
        }
      }
    },
  );
}
await scenario(
  'local clock 730 s ahead, 900-second credentials, 10 calls/s for 3 hours',
  (sts) => {
    sts.clockOffsetSeconds = -730;
    return { durationSeconds: 900 };
  },
  (ctx) => steady(ctx, 10, 3 * 3600),
);
await scenario(
  'the same without a Date header from STS',
  (sts) => {
    sts.clockOffsetSeconds = -730;
    sts.sendDate = false;
    return { durationSeconds: 900 };
  },
  (ctx) => steady(ctx, 10, 3 * 3600),
);
await scenario(
  'STS grants 60-second credentials, 10 calls/s for 1 hour',
  (sts) => {
    sts.grantSeconds = 60;
  },
  (ctx) => steady(ctx, 10, 3600),
);
await scenario(
  'STS answers every refresh with already-expired credentials, 10 calls/s for 1 hour',
  (sts) => {
    sts.script('issue');
    sts.fallback = 'expired';
    return { maxAttempts: 1 };
  },
  (ctx) => steady(ctx, 10, 3600),
);
await scenario(
  'STS fails (HTTP 500) from the first refresh on, 10 calls/s for 1 hour',
  (sts) => {
    sts.script('issue');
    sts.fallback = 'server-error';
    return { maxAttempts: 3 };
  },
  (ctx) => steady(ctx, 10, 3600),
);
await scenario(
  'minValiditySeconds 1800 against 1200-second grants, 10 calls/s for 10 minutes',
  (sts) => {
    sts.grantSeconds = 1200;
  },
  (ctx) => steady(ctx, 10, 600, { minValiditySeconds: 1800 }),
);
