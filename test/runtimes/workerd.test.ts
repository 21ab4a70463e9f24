// The package inside workerd (Cloudflare Workers' runtime, run by miniflare), bundled as wrangler bundles
// it: the `workerd`, `worker` and `browser` conditions. One Worker without compatibility flags (no
// node:crypto at all), one with nodejs_compat (where verifyOssCallback can work).
import { Miniflare } from 'miniflare';
import { describe } from 'vitest';
import { bundle, RUNNER_ENTRY, WRANGLER_CONDITIONS } from './package.js';
import { runtimeSuite } from './suite.js';

const COMPATIBILITY_DATE = '2025-09-01';

const WORKER_ENTRY = `${RUNNER_ENTRY}
export default { async fetch(request) { return new Response(await run(await request.text())); } };
`;

describe('workerd (miniflare)', () => {
  runtimeSuite(async (pkg) => {
    const { code, packageFiles } = await bundle(pkg, {
      contents: WORKER_ENTRY,
      platform: 'browser',
      conditions: WRANGLER_CONDITIONS,
      format: 'esm',
    });
    const worker = (name: string, compatibilityFlags: string[]) => ({
      name,
      modules: true,
      script: code,
      compatibilityDate: COMPATIBILITY_DATE,
      compatibilityFlags,
    });
    const miniflare = new Miniflare({
      workers: [worker('plain', []), worker('nodejs-compat', ['nodejs_compat'])],
    });
    await miniflare.ready;
    const runIn = (name: string) => async (calls: string) => {
      // A service binding's Fetcher (its type comes from @cloudflare/workers-types, not installed here).
      const worker = (await miniflare.getWorker(name)) as unknown as { fetch: typeof fetch };
      const response = await worker.fetch('http://worker/', { method: 'POST', body: calls });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`the Worker answered ${response.status}: ${text}`);
      return text;
    };
    return {
      packageFiles,
      run: runIn('plain'),
      runWithNodeCrypto: runIn('nodejs-compat'),
      close: () => miniflare.dispose(),
    };
  });
});
