// The page as files a server can send: its HTML, and its script bundled (with ali-oss's browser build and
// oss-direct-upload/client) when the example starts, so the examples need no build step.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export interface PageAsset {
  type: string;
  body: string;
}

/** Path → file, for `GET` routes. */
export type PageAssets = ReadonlyMap<string, PageAsset>;

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));

let loading: Promise<PageAssets> | undefined;

/** The page's files, bundled once per process. */
export function loadPageAssets(): Promise<PageAssets> {
  loading ??= bundlePage();
  return loading;
}

async function bundlePage(): Promise<PageAssets> {
  const bundle = await build({
    entryPoints: [here('./page/main.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const [script] = bundle.outputFiles;
  if (!script) throw new Error('esbuild produced no page script');
  return new Map([
    ['/', { type: 'text/html; charset=utf-8', body: await readFile(here('./page/index.html'), 'utf8') }],
    ['/page.js', { type: 'text/javascript; charset=utf-8', body: script.text }],
  ]);
}
