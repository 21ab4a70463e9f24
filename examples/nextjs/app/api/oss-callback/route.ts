import { configuredUploads } from '../../../../shared/configured-uploads.js';
import { readCallback } from '../../../../shared/read-body.js';
import { jsonRoute } from '../../../lib/json-route.js';

// The callback's signature covers the raw body: read it here, before anything parses it. Verifying needs
// node:crypto (RSA with MD5), so this route stays on the Node.js runtime.
export const POST = jsonRoute(async (request) =>
  configuredUploads().receiveCallback(await readCallback(request)),
);
