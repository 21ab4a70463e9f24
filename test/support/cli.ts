/**
 * The CLI as users run it: built by tsup with the package's own configs (the library, then the bin), run
 * by plain Node in a child process with an environment of the test's choosing (never the runner's keys).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Options } from 'tsup';
import cliConfig from '../../tsup.cli.config.js';
import { buildDir } from './build-dir.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));

export interface Built {
  /** How to run the CLI: `node <dir>/cli.js`, or an installed bin. */
  command: [file: string, ...args: string[]];
  /** The directory it runs in (an app, for `npx`); default the test runner's. */
  cwd?: string;
  /** An empty home directory: no profile of `@alicloud/credentials` is found unless a test writes one. */
  home: string;
  remove(): Promise<void>;
}

/** Builds the library's ES modules and the bin into a fresh directory inside the project. */
export async function buildCli(): Promise<Built> {
  // Inside the project, so that Node finds the optional peers (node_modules) from the built files.
  const outDir = await buildDir('cli-build');
  const common = { outDir, silent: true, config: false } as const;
  await build({ config: 'tsup.config.ts', outDir, silent: true, format: ['esm'], dts: false });
  await build({ ...(cliConfig as Options), ...common });
  // node_modules/.cache is outside the package's scope: say that these .js files are ES modules.
  await writeFile(join(outDir, 'package.json'), '{"type":"module"}');
  const home = await emptyHome();
  return {
    command: [process.execPath, join(outDir, 'cli.js')],
    home,
    async remove() {
      await rm(outDir, { recursive: true, force: true });
      await rm(home, { recursive: true, force: true });
    },
  };
}

export function emptyHome(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'cli-home-'));
}

export interface RunResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Variables besides PATH and HOME; nothing else is inherited. */
  env?: Record<string, string>;
  /** Written to stdin, which is then closed. */
  input?: string;
}

/** The environment of a child: PATH, an empty HOME, the instance metadata service off, and `env`. */
function childEnv(built: Built, env: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: built.home,
    // @alicloud/credentials' default chain would otherwise ask 100.100.100.200 for an ECS role.
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
    ...env,
  };
}

/** Runs `node cli.js ...args` to its end; one still running after 20 s (a `local` that started) is killed. */
export function runCli(built: Built, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const [file, ...prefix] = built.command;
  const child = spawn(file, [...prefix, ...args], {
    cwd: built.cwd,
    env: childEnv(built, options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: 20_000,
    killSignal: 'SIGKILL',
  });
  child.stdin.end(options.input ?? '');
  return collect(child);
}

function collect(child: ChildProcess): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

/** What `local --json` prints. */
export interface LocalDetails {
  url: string;
  region: string;
  buckets: string[];
  accessKeyId: string;
  accessKeySecret?: string;
  stsEndpoint?: string;
  roleArn?: string;
  corsOrigins: string[] | '*';
}

export interface RunningLocal {
  /** What it printed once listening: `--json`'s line parsed (else empty), and the text as printed. */
  details: LocalDetails;
  printed: string;
  child: ChildProcess;
  /** Sends `signal` and resolves when the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<RunResult>;
}

const started = new Set<RunningLocal>();

/** Stops every `local` this file started and has not stopped: for afterAll, so a failed test leaves none. */
export async function stopAllLocal(): Promise<void> {
  await Promise.all([...started].map((local) => local.stop('SIGKILL')));
}

/** Starts `local --port 0 ...args` and resolves once it has printed its details. */
export async function startLocal(built: Built, args: string[] = [], json = true): Promise<RunningLocal> {
  const [file, ...prefix] = built.command;
  const child = spawn(file, [...prefix, 'local', '--port', '0', ...(json ? ['--json'] : []), ...args], {
    cwd: built.cwd,
    env: childEnv(built),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ended = collect(child);
  const output = await new Promise<string>((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      // Text output is a block of lines: wait for its last row (CORS origins).
      const complete = json ? text.includes('\n') : /CORS origins.*\n/.test(text);
      if (complete) {
        child.stdout?.off('data', onData);
        resolve(text);
      }
    };
    child.stdout?.on('data', onData);
    ended.then(
      (result) => reject(new Error(`local exited (${result.status}) before printing: ${result.stderr}`)),
      reject,
    );
  });
  const local: RunningLocal = {
    details: json ? (JSON.parse(output) as LocalDetails) : ({} as LocalDetails),
    printed: output,
    child,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const result = await ended;
      started.delete(local);
      return result;
    },
  };
  started.add(local);
  return local;
}

/** The environment that makes the CLI sign with a local endpoint's keys. */
export function keysOf(details: LocalDetails, secret = details.accessKeySecret): Record<string, string> {
  if (secret === undefined) throw new Error('local printed no secret');
  return { ALIBABA_CLOUD_ACCESS_KEY_ID: details.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: secret };
}
