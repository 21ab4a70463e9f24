// The package as published (its package.json, both builds of the entry point, no types), built into a
// temporary node_modules, so that bundlers resolve 'oss-direct-upload' through the real `exports`
// conditions, and each runtime gets the build a user's bundler would give it.
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build as esbuild, type Plugin } from 'esbuild';
import { build as tsup } from 'tsup';

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
export const runnerPath = fileURLToPath(new URL('./runner.ts', import.meta.url));

/** The `exports` conditions (besides `import`/`require` and `default`) these bundlers resolve with. */
export const WRANGLER_CONDITIONS = ['workerd', 'worker', 'browser'];
export const NEXT_EDGE_CONDITIONS = ['edge-light', 'worker', 'browser'];

export interface BuiltPackage {
  /** The directory holding `node_modules/oss-direct-upload`. */
  root: string;
  packageDir: string;
  /** The Node build's ES module, imported: the expected results. */
  importNodeBuild(): Promise<Record<string, unknown>>;
  remove(): Promise<void>;
}

export async function buildPackage(): Promise<BuiltPackage> {
  // Outside the project: inside it, 'oss-direct-upload' would resolve to the project itself (a package's
  // own name resolves to it before node_modules is searched), that is to whatever is in its dist/.
  const root = await mkdtemp(join(tmpdir(), 'oss-direct-upload-runtimes-'));
  const packageDir = join(root, 'node_modules/oss-direct-upload');
  try {
    await mkdir(packageDir, { recursive: true });
    await copyFile(join(projectRoot, 'package.json'), join(packageDir, 'package.json'));
    // The config files' own settings, with the output moved here (tsup reads them relative to the project).
    const settings = { dts: false, silent: true } as const;
    await tsup({ config: 'tsup.config.ts', ...settings, outDir: join(packageDir, 'dist') });
    await tsup({ config: 'tsup.web.config.ts', ...settings, outDir: join(packageDir, 'dist/web') });
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  return {
    root,
    packageDir,
    importNodeBuild: () => import(pathToFileURL(join(packageDir, 'dist/index.js')).href),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

/**
 * `import ... from 'oss-direct-upload'` anywhere (an example's folder too) resolves in the built package;
 * the package's files that are loaded are listed in `loaded`.
 */
function fromBuiltPackage(pkg: BuiltPackage, loaded: string[]): Plugin {
  return {
    name: 'from-built-package',
    setup(build) {
      build.onResolve({ filter: /^oss-direct-upload(\/|$)/ }, (args) => {
        if (args.resolveDir === pkg.root) return undefined;
        return build.resolve(args.path, { kind: args.kind, resolveDir: pkg.root });
      });
      build.onLoad({ filter: /./ }, (args) => {
        if (args.path.startsWith(`${pkg.packageDir}${sep}`)) loaded.push(relative(pkg.packageDir, args.path));
        return undefined;
      });
    },
  };
}

export interface BundleOptions {
  /** An entry module's source (resolved from the package's root) or an entry file. */
  contents?: string;
  entry?: string;
  platform: 'browser' | 'neutral' | 'node';
  /** The runtime's `exports` conditions, as its bundler sets them. */
  conditions: string[];
  format: 'esm' | 'iife';
  globalName?: string;
  external?: string[];
}

export interface Bundle {
  code: string;
  /** The files of the package that went in, relative to it: which build the conditions chose. */
  packageFiles: string[];
}

export async function bundle(pkg: BuiltPackage, options: BundleOptions): Promise<Bundle> {
  const packageFiles: string[] = [];
  const result = await esbuild({
    ...(options.contents === undefined
      ? { entryPoints: [options.entry as string] }
      : {
          stdin: { contents: options.contents, resolveDir: pkg.root, loader: 'ts', sourcefile: 'entry.ts' },
        }),
    bundle: true,
    write: false,
    platform: options.platform,
    conditions: options.conditions,
    format: options.format,
    ...(options.globalName !== undefined && { globalName: options.globalName }),
    ...(options.external !== undefined && { external: options.external }),
    target: 'es2022',
    logLevel: 'silent',
    plugins: [fromBuiltPackage(pkg, packageFiles)],
  });
  return { code: result.outputFiles[0]?.text ?? '', packageFiles };
}

/** An entry that hands the package and runner.ts's `runCalls` to the runtime: `export const run`. */
export const RUNNER_ENTRY = `
import * as library from 'oss-direct-upload';
import { runCalls } from ${JSON.stringify(runnerPath)};
export const run = (calls) => runCalls(library, calls);
`;
