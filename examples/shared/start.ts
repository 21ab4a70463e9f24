// What each framework folder exports for the runner (examples/run.ts) and the smoke tests: `start`, which
// serves the example's routes and page for one target.
import { createServer, type RequestListener } from 'node:http';
import type { OssTarget } from './env.mjs';
import { closeServer, listen } from './http-server.mjs';
import { createUploads, type Uploads, type UploadsOptions } from './uploads.js';

export interface StartOptions {
  target: OssTarget;
  /** Options for createUploads (tests shorten STS timeouts, collect the confirmed uploads). */
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

/** The route every example serves for OSS's upload callbacks. */
export const CALLBACK_PATH = '/api/oss-callback';

/**
 * `target` as the example at `url` serves it: a callback without a URL (a local endpoint's, which can
 * reach this machine) calls this example's own callback route.
 */
export function servedTarget(target: OssTarget, url: string): OssTarget {
  const { callback } = target;
  if (!callback || callback.url) return target;
  return { ...target, callback: { ...callback, url: `${url}${CALLBACK_PATH}` } };
}

/** Where the example's upload callbacks go, for whoever started it. */
export function describeCallbacks(target: OssTarget): string {
  if (target.callback?.url)
    return `Upload callbacks (POST form, presigned PUT, multipart) go to ${target.callback.url}`;
  return 'No upload callbacks: set CALLBACK_URL to a URL of this app that OSS reaches (docs/examples.md).';
}

/**
 * Listens on `host:port`, then serves the request listener `listenerFor` makes for the example's URL
 * (`http://host:port`): with port 0 that URL, which the callback URL is made of, is known only then.
 */
export async function serveNode(
  { port, host }: StartOptions,
  listenerFor: (url: string) => RequestListener | Promise<RequestListener>,
): Promise<RunningExample> {
  const server = createServer();
  const url = await listen(server, port, host);
  try {
    server.on('request', await listenerFor(url));
  } catch (error) {
    await closeServer(server);
    throw error;
  }
  return { url, close: () => closeServer(server) };
}

/** `serveNode` for a listener made of the uploads for the target as served at the example's URL. */
export function serveUploads(
  options: StartOptions,
  listenerFor: (uploads: Uploads) => RequestListener | Promise<RequestListener>,
): Promise<RunningExample> {
  return serveNode(options, (url) =>
    listenerFor(createUploads(servedTarget(options.target, url), options.uploads)),
  );
}
