// Types of app.mjs, for the browser test (TypeScript) that runs it.
import type { OssCredentials, presignMultipart, presignUrl } from '../../src/index.js';
import type { createLocalOss, LocalOss } from '../../src/testing/index.js';

export declare const LOCAL_BUCKET: string;

export declare function startUppyExample(options: {
  library: { presignMultipart: typeof presignMultipart; presignUrl: typeof presignUrl };
  createLocalOss: typeof createLocalOss;
  target?: { bucket: string; region: string; endpoint?: string; credentials: OssCredentials } | undefined;
  host?: string;
  port?: number;
}): Promise<{ url: string; local: LocalOss | undefined; close(): Promise<void> }>;
