// The package inside the Vercel Edge runtime (@edge-runtime/vm: the context Next.js runs edge route
// handlers and middleware in), bundled as Next.js bundles for it: `edge-light`, `worker`, `browser`.
import { EdgeVM } from '@edge-runtime/vm';
import { describe } from 'vitest';
import { bundle, NEXT_EDGE_CONDITIONS, RUNNER_ENTRY } from './package.js';
import { runtimeSuite } from './suite.js';

describe('Vercel Edge runtime (@edge-runtime/vm)', () => {
  runtimeSuite(async (pkg) => {
    const { code, packageFiles } = await bundle(pkg, {
      contents: RUNNER_ENTRY,
      platform: 'browser',
      conditions: NEXT_EDGE_CONDITIONS,
      format: 'iife',
      globalName: 'runtimeTest',
    });
    const vm = new EdgeVM();
    vm.evaluate(code);
    return {
      packageFiles,
      run: (calls) => vm.evaluate<Promise<string>>(`runtimeTest.run(${JSON.stringify(calls)})`),
      close: async () => {},
    };
  });
});
