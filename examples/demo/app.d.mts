// Types of app.mjs, for the browser tests (TypeScript) that run it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  createPostPolicy,
  createStsCredentialProvider,
  createUploadPolicy,
  OssCredentials,
  presignUrl,
  StsCredentialProviderOptions,
} from '../../src/index.js';
import type { createLocalOss, LocalOss } from '../../src/testing/index.js';

/** The library functions the app calls: from src/ in tests, from the built package in the demo. */
export interface DemoLibrary {
  presignUrl: typeof presignUrl;
  createPostPolicy: typeof createPostPolicy;
  createStsCredentialProvider: typeof createStsCredentialProvider;
  createUploadPolicy: typeof createUploadPolicy;
}

/** Where uploads go and who signs them. */
export interface DemoTarget {
  bucket: string;
  region: string;
  endpoint?: string;
  pathStyle?: boolean;
  /** The server's long-term key: signs URLs and forms, and calls AssumeRole. */
  credentials: OssCredentials;
  /** For `createStsCredentialProvider` (its `credentials` and `policy` are set by the app). */
  sts: Omit<StsCredentialProviderOptions, 'credentials' | 'policy'>;
}

export interface DemoAppOptions {
  library: DemoLibrary;
  /** Key prefix of every upload, default `'uploads/'`. */
  prefix?: string;
  /** Largest PostObject upload, default 20 MiB. */
  maxUploadBytes?: number;
}

export declare const LOCAL_BUCKET: string;
export declare const LOCAL_ROLE_ARN: string;

export declare function startDemoApp(
  options: DemoAppOptions & {
    /** Real OSS; without it a local endpoint is started with `createLocalOss`. */
    target?: DemoTarget;
    createLocalOss: typeof createLocalOss;
    host?: string;
    port?: number;
  },
): Promise<{ url: string; local: LocalOss | undefined; close(): Promise<void> }>;

export declare function createDemoHandler(
  options: DemoAppOptions & DemoTarget,
): (request: IncomingMessage, response: ServerResponse) => Promise<void>;
