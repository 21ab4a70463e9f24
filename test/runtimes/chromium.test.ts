// The package in Chromium: a page imports the browser build itself, unbundled, through an import map that
// points 'oss-direct-upload' where the package's `exports` send the `browser` condition.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { describe } from 'vitest';
import { launchChromium } from '../browser/chromium.js';
import { type BuiltPackage, bundle, runnerPath } from './package.js';
import { runtimeSuite } from './suite.js';

const ORIGIN = 'http://runtime.test';

/** What `import ... from 'oss-direct-upload'` gives a browser, by the package's own `exports`. */
async function browserEntry(pkg: BuiltPackage): Promise<string> {
  const manifest = JSON.parse(await readFile(join(pkg.packageDir, 'package.json'), 'utf8'));
  const entry: string = manifest.exports['.'].import.browser;
  return entry.replace(/^\.\//, '');
}

const PAGE = `<!doctype html>
<script type="importmap">{ "imports": { "oss-direct-upload": "/package/ENTRY" } }</script>
<script type="module">
  import * as library from 'oss-direct-upload';
  import { runCalls } from '/runner.js';
  window.run = (calls) => runCalls(library, calls);
  document.body.dataset.ready = 'true';
</script>
<body></body>`;

describe('Chromium', () => {
  runtimeSuite(async (pkg) => {
    const entry = await browserEntry(pkg);
    // runner.ts alone, as a module (it imports nothing).
    const runner = await bundle(pkg, {
      entry: runnerPath,
      platform: 'browser',
      conditions: [],
      format: 'esm',
    });
    let browser: Browser | undefined = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.route(`${ORIGIN}/**`, async (route) => {
        const { pathname } = new URL(route.request().url());
        if (pathname === '/') {
          return route.fulfill({ contentType: 'text/html', body: PAGE.replace('ENTRY', entry) });
        }
        if (pathname === '/runner.js')
          return route.fulfill({ contentType: 'text/javascript', body: runner.code });
        if (pathname.startsWith('/package/')) {
          const body = await readFile(join(pkg.packageDir, pathname.slice('/package/'.length)));
          return route.fulfill({ contentType: 'text/javascript', body });
        }
        return route.fulfill({ status: 404 });
      });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(`${ORIGIN}/`);
      await page
        .waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 30_000 })
        .catch(() => {
          throw new Error(`the page did not load the package: ${errors.join('; ')}`);
        });
      const opened = browser;
      browser = undefined;
      return {
        packageFiles: [entry],
        run: (calls) =>
          page.evaluate(
            (text) => (window as unknown as { run(c: string): Promise<string> }).run(text),
            calls,
          ),
        close: () => opened.close(),
      };
    } finally {
      await browser?.close();
    }
  });
});
