// Fastify 5: the upload routes and the page. Async handlers return their answer; what they throw reaches
// the error handler, so an STS failure becomes a JSON answer and never crashes the process.
import Fastify, { type FastifyInstance } from 'fastify';
import { errorResponse } from '../shared/errors.js';
import { loadPageAssets, type PageAssets } from '../shared/page-assets.js';
import { MAX_CALLBACK_BYTES, MAX_JSON_BYTES } from '../shared/read-body.js';
import { type StartExample, serveUploads } from '../shared/start.js';
import type { Uploads } from '../shared/uploads.js';
import { signedInUser } from '../shared/user.js';

export function createApp(uploads: Uploads, page: PageAssets): FastifyInstance {
  const app = Fastify({ bodyLimit: MAX_JSON_BYTES });
  app.setErrorHandler((error, _request, reply) => {
    const { status, body } = errorResponse(error);
    return reply.code(status).send(body);
  });

  app.register(
    async (api) => {
      // Temporary credentials and signatures must not be cached.
      api.addHook('onSend', async (_request, reply) => {
        reply.header('cache-control', 'no-store');
      });
      api.post('/sts-credentials', (request) => uploads.stsCredentials(signedInUser(request)));
      api.post('/post-policy', async (request) => uploads.postPolicy(signedInUser(request)));
      api.post('/presigned-url', async (request) =>
        uploads.presignedUrl(signedInUser(request), request.body),
      );
      api.post('/multipart', async (request) => uploads.multipart(signedInUser(request), request.body));

      // The callback route verifies OSS's signature over the raw body: in its own scope, every body
      // arrives as a Buffer.
      api.register(async (callback) => {
        callback.removeAllContentTypeParsers();
        callback.addContentTypeParser(
          '*',
          { parseAs: 'buffer', bodyLimit: MAX_CALLBACK_BYTES },
          (_request, body, done) => done(null, body),
        );
        callback.post('/oss-callback', (request) =>
          uploads.receiveCallback({
            url: request.url,
            headers: request.headers,
            body: request.body as Buffer,
          }),
        );
      });
    },
    { prefix: '/api' },
  );

  for (const [path, asset] of page) {
    app.get(path, (_request, reply) => reply.type(asset.type).send(asset.body));
  }
  return app;
}

// Served by a Node server that listens first (its URL is the callback's): `routing` is Fastify's request
// handler, with its hooks, parsers and error handler, once the app is ready.
export const start: StartExample = async (options) => {
  const page = await loadPageAssets();
  return serveUploads(options, async (uploads) => {
    const app = createApp(uploads, page);
    await app.ready();
    return app.routing;
  });
};
