// Types of env.mjs.
import type { OssCredentials } from 'oss-direct-upload';

/** Where uploads go, who signs them, and which role the browser's temporary credentials act as. */
export interface OssTarget {
  bucket: string;
  region: string;
  /** OSS base URL; default `https://oss-<region>.aliyuncs.com`. */
  endpoint?: string | undefined;
  /** The server's long-term key: signs URLs and forms, and calls AssumeRole. */
  credentials: OssCredentials;
  sts: {
    roleArn: string;
    /** STS base URL; default `https://sts.aliyuncs.com`. */
    endpoint?: string | undefined;
  };
  /** Upload callbacks; none when unset. */
  callback?: CallbackTarget | undefined;
}

/** Where OSS calls back after an upload, and with which key it signs. */
export interface CallbackTarget {
  /**
   * The callback route's URL as OSS reaches it (`https://api.example.com/api/oss-callback`). Unset for a
   * local endpoint: it calls the example's own route, whose URL is known once it listens.
   */
  url?: string | undefined;
  /** PEM of the key callbacks are signed with, when not OSS's (a local endpoint's `callbackPublicKey`). */
  publicKey?: string | undefined;
}

export declare const REQUIRED_VARIABLES: readonly string[];
/** Variables by name, as `process.env` holds them. */
export type Environment = Readonly<Record<string, string | undefined>>;

export declare function readOssEnvironment(env?: Environment): OssTarget | undefined;
export declare function ossEnvironmentOf(target: OssTarget): Record<string, string>;
