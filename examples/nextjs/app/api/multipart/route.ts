import { configuredUploads } from '../../../../shared/configured-uploads.js';
import { readJson } from '../../../../shared/read-body.js';
import { signedInUser } from '../../../../shared/user.js';
import { jsonRoute } from '../../../lib/json-route.js';

export const POST = jsonRoute(async (request) =>
  configuredUploads().multipart(signedInUser(request), await readJson(request)),
);
