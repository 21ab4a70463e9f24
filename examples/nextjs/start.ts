// Next.js in this process (its custom-server API), for `npm run example -- nextjs`: the route handlers read
// the target from the environment, so a local endpoint started here is handed to them that way.
import type { RequestListener } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ossEnvironmentOf } from '../shared/env.mjs';
import { type StartExample, servedTarget, serveNode } from '../shared/start.js';

/** The part of `next()`'s server this launcher uses. */
interface NextServer {
  prepare(): Promise<void>;
  getRequestHandler(): RequestListener;
  close(): Promise<void>;
}

// Loaded untyped: next's types would make NODE_ENV a required variable of every process.env type checked
// with this repository. At run time its CommonJS export is the function itself.
const next = createRequire(import.meta.url)('next') as (options: {
  dev: boolean;
  dir: string;
  hostname: string;
}) => NextServer;

export const start: StartExample = async (options) => {
  const app = next({ dev: true, dir: fileURLToPath(new URL('.', import.meta.url)), hostname: options.host });
  const running = await serveNode(options, async (url) => {
    // The handlers read the environment on first use, after this.
    Object.assign(process.env, ossEnvironmentOf(servedTarget(options.target, url)));
    await app.prepare();
    return app.getRequestHandler();
  });
  return {
    url: running.url,
    close: async () => {
      await running.close();
      await app.close();
    },
  };
};
