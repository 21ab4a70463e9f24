import { OssSignError } from '../errors.js';
import type { StsCredentialProvider, StsCredentialProviderOptions } from './types.js';

/**
 * provider.ts for the web build (tsup.web.config.ts): AssumeRole goes through @alicloud/sts20150401, a
 * Node SDK, so outside Node (and Deno and Bun, which get the Node build) the provider refuses at once,
 * and the web build carries neither the provider nor an import of its peers.
 */
export function createStsCredentialProvider(_options: StsCredentialProviderOptions): StsCredentialProvider {
  throw new OssSignError(
    'UNSUPPORTED_RUNTIME',
    'createStsCredentialProvider runs on Node.js (and Deno and Bun): it calls STS through @alicloud/sts20150401, a Node SDK. This is the web build of oss-direct-upload (for workerd, edge, browser and worker runtimes): get temporary credentials from a Node service and pass them to presignUrl or createPostPolicy as credentials',
  );
}
