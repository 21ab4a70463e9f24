// Next.js in this process (its custom-server API), for `npm run example -- nextjs`: the route handlers read
// the target from the environment, so a local endpoint started here is handed to them that way.
import { fileURLToPath } from 'node:url';
import next from 'next';
import { ossEnvironmentOf } from '../shared/env.mjs';
import { type StartExample, serveNode } from '../shared/start.js';

// Next's types describe an ES module with a default export; Node's import of its CommonJS entry gives the
// function itself.
const createNext = next as unknown as typeof next.default;

export const start: StartExample = async ({ target, ...options }) => {
  Object.assign(process.env, ossEnvironmentOf(target));
  const app = createNext({
    dev: true,
    dir: fileURLToPath(new URL('.', import.meta.url)),
    hostname: options.host,
  });
  await app.prepare();
  const running = await serveNode(app.getRequestHandler(), { target, ...options });
  return {
    url: running.url,
    close: async () => {
      await running.close();
      await app.close();
    },
  };
};
