// What each framework folder exports for the runner (examples/run.ts) and the smoke tests: `start`, which
// serves the example's routes and page for one target.
import { createServer, type RequestListener } from 'node:http';
import type { OssTarget } from './env.mjs';
import { closeServer, listen } from './http-server.mjs';
import type { UploadsOptions } from './uploads.js';

export interface StartOptions {
  target: OssTarget;
  /** Options for createUploads (tests shorten STS timeouts, pin the callback key). */
  uploads?: UploadsOptions | undefined;
  port: number;
  host: string;
}

export interface RunningExample {
  /** `http://host:port`, the page's origin. */
  url: string;
  close(): Promise<void>;
}

export type StartExample = (options: StartOptions) => Promise<RunningExample>;

/** Serves a Node request listener (what Express, Koa and the adapters give) on `host:port`. */
export async function serveNode(
  listener: RequestListener,
  { port, host }: StartOptions,
): Promise<RunningExample> {
  const server = createServer(listener);
  const url = await listen(server, port, host);
  return { url, close: () => closeServer(server) };
}
