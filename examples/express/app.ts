// Express 5: the upload routes and the page. Express 5 passes a rejected promise from an async handler to
// the error middleware, so an STS failure becomes a JSON answer and never an unhandled rejection.
import express, { type ErrorRequestHandler } from 'express';
import { errorResponse } from '../shared/errors.js';
import { loadPageAssets, type PageAssets } from '../shared/page-assets.js';
import { MAX_CALLBACK_BYTES, MAX_JSON_BYTES } from '../shared/read-body.js';
import { type StartExample, serveUploads } from '../shared/start.js';
import type { Uploads } from '../shared/uploads.js';
import { signedInUser } from '../shared/user.js';

export function createApp(uploads: Uploads, page: PageAssets): express.Express {
  const app = express();
  // `no-store` on every API answer: temporary credentials and signatures must not be cached.
  const api = express.Router();
  api.use((_request, response, next) => {
    response.set('cache-control', 'no-store');
    next();
  });

  // The callback route verifies OSS's signature over the raw body: its own raw parser, before the JSON one.
  api.post(
    '/oss-callback',
    express.raw({ type: () => true, limit: MAX_CALLBACK_BYTES }),
    async (request, response) => {
      // originalUrl: request.url has lost the router's mount path, which OSS signed.
      response.json(
        await uploads.receiveCallback({
          url: request.originalUrl,
          headers: request.headers,
          body: request.body as Buffer,
        }),
      );
    },
  );
  api.use(express.json({ limit: MAX_JSON_BYTES }));
  api.post('/sts-credentials', async (request, response) => {
    response.json(await uploads.stsCredentials(signedInUser(request)));
  });
  api.post('/post-policy', (request, response) => {
    response.json(uploads.postPolicy(signedInUser(request)));
  });
  api.post('/presigned-url', (request, response) => {
    response.json(uploads.presignedUrl(signedInUser(request), request.body));
  });
  api.post('/multipart', (request, response) => {
    response.json(uploads.multipart(signedInUser(request), request.body));
  });
  app.use('/api', api);

  for (const [path, asset] of page) {
    app.get(path, (_request, response) => {
      response.type(asset.type).send(asset.body);
    });
  }
  const onError: ErrorRequestHandler = (error, _request, response, _next) => {
    const { status, body } = errorResponse(error);
    response.status(status).json(body);
  };
  app.use(onError);
  return app;
}

export const start: StartExample = async (options) => {
  const page = await loadPageAssets();
  return serveUploads(options, (uploads) => createApp(uploads, page));
};
