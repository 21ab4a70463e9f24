// Types of target.mjs.
import type { LocalOss } from 'oss-direct-upload/testing';
import type { Environment, OssTarget } from './env.mjs';

export declare const LOCAL_BUCKET: string;
export declare const LOCAL_ROLE_ARN: string;

export interface OpenedTarget {
  target: OssTarget;
  /** The local endpoint, when no real OSS was configured. */
  local: LocalOss | undefined;
  close(): Promise<void>;
}

export declare function openTarget(env?: Environment): Promise<OpenedTarget>;
export declare function describeTarget(opened: OpenedTarget, pageOrigin: string): string;
