// The Next.js example's route handlers, imported and called with Fetch Requests as Next.js calls them: a
// `next build` takes over a minute here (docs/examples.md), too slow for every `npm test`. The callback
// route, a Pages Router API route that the local endpoint calls, is served over HTTP with Node's request and
// response, as Next.js hands them to API routes. The handlers get their uploads from the environment
// (configuredUploads); here from the test, with its options.
import { createServer } from 'node:http';
import { expect, vi } from 'vitest';
import { closeServer, listen } from '../../examples/shared/http-server.mjs';
import { CALLBACK_PATH, servedTarget } from '../../examples/shared/start.js';
import { createUploads, type Uploads } from '../../examples/shared/uploads.js';
import { describeExample } from './smoke.js';

const state = vi.hoisted(() => ({ uploads: undefined as Uploads | undefined }));
vi.mock('../../examples/shared/configured-uploads.js', () => ({
  configuredUploads: () => {
    if (!state.uploads) throw new Error('no uploads configured for this test');
    return state.uploads;
  },
}));

type RouteModule = { POST: (request: Request) => Promise<Response>; runtime?: string };
const ROUTES: Record<string, () => Promise<RouteModule>> = {
  '/api/sts-credentials': () => import('../../examples/nextjs/app/api/sts-credentials/route.js'),
  '/api/post-policy': () => import('../../examples/nextjs/app/api/post-policy/route.js'),
  '/api/presigned-url': () => import('../../examples/nextjs/app/api/presigned-url/route.js'),
  '/api/multipart': () => import('../../examples/nextjs/app/api/multipart/route.js'),
};

describeExample(
  'Next.js (route handlers)',
  async (target, options) => {
    const { default: ossCallback, config } = await import('../../examples/nextjs/pages/api/oss-callback.js');
    // Next.js must leave the body unread: the signature covers its bytes.
    expect(config).toEqual({ api: { bodyParser: false } });
    let uploads: Uploads | undefined;
    // Handlers look their uploads up when called: each example under test answers with its own.
    const server = createServer((request, response) => {
      state.uploads = uploads;
      void ossCallback(request, response);
    });
    const origin = await listen(server, 0, '127.0.0.1');
    uploads = createUploads(servedTarget(target, origin), options);
    return {
      call: async (path, init) => {
        const url = new URL(path, origin);
        if (url.pathname === CALLBACK_PATH) return fetch(url, init);
        const route = ROUTES[url.pathname];
        if (!route) return new Response(null, { status: 404 });
        const { POST } = await route();
        state.uploads = uploads;
        return POST(new Request(url, init));
      },
      close: () => closeServer(server),
    };
  },
  { servesPage: false },
);
