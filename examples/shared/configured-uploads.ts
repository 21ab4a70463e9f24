// For handlers that get no say in how they are started (Next.js route handlers, a Function Compute
// function): the uploads for the target the environment describes, created on first use.
import { REQUIRED_VARIABLES, readOssEnvironment } from './env.mjs';
import { createUploads, type Uploads } from './uploads.js';

let uploads: Uploads | undefined;

export function configuredUploads(): Uploads {
  if (uploads) return uploads;
  const target = readOssEnvironment();
  if (!target) throw new Error(`Set ${REQUIRED_VARIABLES.join(', ')} (docs/examples.md).`);
  uploads = createUploads(target);
  return uploads;
}
