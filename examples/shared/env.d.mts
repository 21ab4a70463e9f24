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
}

export declare const REQUIRED_VARIABLES: readonly string[];
/** Variables by name, as `process.env` holds them. */
export type Environment = Readonly<Record<string, string | undefined>>;

export declare function readOssEnvironment(env?: Environment): OssTarget | undefined;
export declare function ossEnvironmentOf(target: OssTarget): Record<string, string>;
