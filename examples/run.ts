// `npm run example -- <name>`: starts one framework example on PORT (default 3000), against real OSS when
// the environment says so (docs/examples.md), else against a local endpoint started in this process.

import { describeCallbacks, type StartExample, servedTarget } from './shared/start.js';
import { describeTarget, openTarget } from './shared/target.mjs';

const EXAMPLES: Record<string, () => Promise<{ start: StartExample }>> = {
  express: () => import('./express/app.js'),
  fastify: () => import('./fastify/app.js'),
  hono: () => import('./hono/app.js'),
  koa: () => import('./koa/app.js'),
  nextjs: () => import('./nextjs/start.js'),
  'function-compute': () => import('./function-compute/local.js'),
};

const name = process.argv[2] ?? '';
const load = EXAMPLES[name];
if (!load) {
  console.error(`Usage: npm run example -- <${Object.keys(EXAMPLES).join('|')}>`);
  process.exit(1);
}
try {
  const { start } = await load();
  const opened = await openTarget();
  const example = await start({
    target: opened.target,
    port: Number(process.env.PORT ?? 3000),
    host: '127.0.0.1',
  });
  console.log(describeTarget(opened, example.url));
  console.log(describeCallbacks(servedTarget(opened.target, example.url)));
  console.log(`\nOpen ${example.url}/ to upload files by each method. Ctrl+C stops the example.`);
  const stop = async () => {
    await example.close();
    await opened.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  // A half-set environment, a port in use: the message says what to do.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
