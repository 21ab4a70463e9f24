// Hono 4 on Node (@hono/node-server): the upload routes and the page. What a handler throws reaches
// app.onError, so an STS failure becomes a JSON answer and never crashes the process.
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { errorResponse } from '../shared/errors.js';
import { loadPageAssets, type PageAssets } from '../shared/page-assets.js';
import { readCallback, readJson } from '../shared/read-body.js';
import { type StartExample, serveUploads } from '../shared/start.js';
import type { Uploads } from '../shared/uploads.js';
import { signedInUser } from '../shared/user.js';

export function createApp(uploads: Uploads, page: PageAssets): Hono {
  const app = new Hono();
  const api = new Hono();
  // Temporary credentials and signatures must not be cached.
  api.use(async (c, next) => {
    await next();
    c.header('cache-control', 'no-store');
  });
  api.post('/sts-credentials', async (c) => c.json(await uploads.stsCredentials(signedInUser(c.req))));
  api.post('/post-policy', (c) => c.json(uploads.postPolicy(signedInUser(c.req))));
  api.post('/presigned-url', async (c) =>
    c.json(uploads.presignedUrl(signedInUser(c.req), await readJson(c.req.raw))),
  );
  api.post('/multipart', async (c) =>
    c.json(uploads.multipart(signedInUser(c.req), await readJson(c.req.raw))),
  );
  // c.req.raw is the Fetch Request, its body unread: the callback's signature covers the raw bytes.
  api.post('/oss-callback', async (c) =>
    c.json(await uploads.receiveCallback(await readCallback(c.req.raw))),
  );
  app.route('/api', api);

  for (const [path, asset] of page) {
    app.get(path, (c) => c.body(asset.body, 200, { 'content-type': asset.type }));
  }
  app.onError((error, c) => {
    const { status, body } = errorResponse(error);
    return c.json(body, status as ContentfulStatusCode);
  });
  return app;
}

export const start: StartExample = async (options) => {
  const page = await loadPageAssets();
  return serveUploads(options, (uploads) => getRequestListener(createApp(uploads, page).fetch));
};
