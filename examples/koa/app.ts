// Koa 3 with @koa/router: the upload routes and the page. The first middleware catches what any later one
// throws, so an STS failure becomes a JSON answer and never an unhandled rejection.
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import { errorResponse } from '../shared/errors.js';
import { loadPageAssets, type PageAssets } from '../shared/page-assets.js';
import { MAX_CALLBACK_BYTES, MAX_JSON_BYTES, readBody } from '../shared/read-body.js';
import { type StartExample, serveUploads } from '../shared/start.js';
import type { Uploads } from '../shared/uploads.js';
import { signedInUser } from '../shared/user.js';

export function createApp(uploads: Uploads, page: PageAssets): Koa {
  const app = new Koa();
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const { status, body } = errorResponse(error);
      ctx.status = status;
      ctx.body = body;
    }
  });

  const api = new Router({ prefix: '/api' });
  // Temporary credentials and signatures must not be cached.
  api.use(async (ctx, next) => {
    ctx.set('cache-control', 'no-store');
    await next();
  });
  // The callback route verifies OSS's signature over the raw body: it reads the body itself, and the JSON
  // parser is on the other routes only.
  api.post('/oss-callback', async (ctx) => {
    const body = await readBody(ctx.req, MAX_CALLBACK_BYTES);
    ctx.body = await uploads.receiveCallback({ url: ctx.originalUrl, headers: ctx.headers, body });
  });
  const json = bodyParser({ enableTypes: ['json'], jsonLimit: MAX_JSON_BYTES });
  api.post('/sts-credentials', async (ctx) => {
    ctx.body = await uploads.stsCredentials(signedInUser(ctx));
  });
  api.post('/post-policy', (ctx) => {
    ctx.body = uploads.postPolicy(signedInUser(ctx));
  });
  api.post('/presigned-url', json, (ctx) => {
    ctx.body = uploads.presignedUrl(signedInUser(ctx), ctx.request.body);
  });
  api.post('/multipart', json, (ctx) => {
    ctx.body = uploads.multipart(signedInUser(ctx), ctx.request.body);
  });
  app.use(api.routes()).use(api.allowedMethods());

  const pages = new Router();
  for (const [path, asset] of page) {
    pages.get(path, (ctx) => {
      ctx.type = asset.type;
      ctx.body = asset.body;
    });
  }
  app.use(pages.routes());
  return app;
}

export const start: StartExample = async (options) => {
  const page = await loadPageAssets();
  return serveUploads(options, (uploads) => createApp(uploads, page).callback());
};
