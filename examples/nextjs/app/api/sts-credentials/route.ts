import { configuredUploads } from '../../../../shared/configured-uploads.js';
import { signedInUser } from '../../../../shared/user.js';
import { jsonRoute } from '../../../lib/json-route.js';

export const POST = jsonRoute((request) => configuredUploads().stsCredentials(signedInUser(request)));
