import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OssSignError } from '../errors.js';
import { normalizeRegion, quote, validateBucket, validateCredentials } from '../lib/validate.js';
import { ROLE_ARN } from '../sts/rules.js';
import type { OssCredentials } from '../types.js';
import { handleHttp } from './router.js';
import { type LocalOssState, randomAlphanumeric, type StoredObject } from './state.js';

export interface LocalOssOptions {
  /** Default 0: any free port. The server listens on 127.0.0.1. */
  port?: number | undefined;
  /** Long-term keys it accepts; one pair is generated when none is given. */
  credentials?: OssCredentials[] | undefined;
  /** The buckets that exist, all private. Default `['local-bucket']`. */
  buckets?: string[] | undefined;
  /** Default `'cn-hangzhou'`: what V4 signatures must be scoped to. */
  region?: string | undefined;
  /** Also serve a local STS `AssumeRole` endpoint for this role (`acs:ram::<account>:role/<name>`). */
  roleArn?: string | undefined;
  /** Origins allowed cross-origin access, or `'*'` for any. Default: none. */
  corsOrigins?: string[] | '*' | undefined;
  /** The server clock in milliseconds (default `Date.now`): lets tests expire URLs, policies and tokens. */
  now?: () => number;
}

export interface LocalOss {
  /** `'http://127.0.0.1:PORT'`; path-style object URLs are `url/bucket/key`. */
  url: string;
  /** `'127.0.0.1:PORT'`, when `roleArn` was given: the `endpoint` for `createStsCredentialProvider` (with `protocol: 'http'`). */
  stsEndpoint?: string | undefined;
  /** The first long-term key pair it accepts. */
  credentials: OssCredentials;
  region: string;
  /** A copy of a stored object, or `undefined`. */
  getObject(bucket: string, key: string): { body: Uint8Array; headers: Record<string, string> } | undefined;
  /** Stops the server, dropping kept-alive connections. */
  close(): Promise<void>;
}

/**
 * Starts an in-memory, OSS-compatible endpoint for tests, demos and offline development. It accepts
 * what OSS accepts (V1/V4 header and URL signatures, PostObject policies, STS tokens it issued itself)
 * and refuses the rest with OSS's XML errors.
 */
export async function createLocalOss(options: LocalOssOptions = {}): Promise<LocalOss> {
  const state = createState(options);
  const server = createServer((req, res) => {
    handleHttp(state, req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const [accessKeyId = '', accessKeySecret = ''] = state.keys.entries().next().value ?? [];
  return {
    url: `http://127.0.0.1:${port}`,
    ...(state.roleArn !== undefined && { stsEndpoint: `127.0.0.1:${port}` }),
    credentials: { accessKeyId, accessKeySecret },
    region: state.region,
    getObject(bucket, key) {
      const object: StoredObject | undefined = state.buckets.get(bucket)?.get(key);
      return object && { body: new Uint8Array(object.body), headers: { ...object.headers } };
    },
    close() {
      return new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}

function invalidOption(message: string): OssSignError {
  return new OssSignError('INVALID_ARGUMENT', `createLocalOss: ${message}`);
}

function createState(options: LocalOssOptions): LocalOssState {
  const { port, roleArn, corsOrigins = [], now = Date.now } = options;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535)) {
    throw invalidOption(`port must be a whole number 0..65535 (got ${quote(port)})`);
  }
  const accountId = roleArn === undefined ? undefined : ROLE_ARN.exec(roleArn)?.[1];
  if (roleArn !== undefined && accountId === undefined) {
    throw invalidOption(`roleArn must look like "acs:ram::1234567890:role/uploader" (got ${quote(roleArn)})`);
  }
  if (
    corsOrigins !== '*' &&
    (!Array.isArray(corsOrigins) || !corsOrigins.every((o) => typeof o === 'string'))
  ) {
    throw invalidOption(`corsOrigins must be '*' or an array of origins like "http://localhost:3000"`);
  }
  if (typeof now !== 'function') throw invalidOption('now must be a function returning milliseconds');

  const keys = new Map<string, string>();
  for (const given of options.credentials ?? []) {
    const { accessKeyId, accessKeySecret, securityToken } = validateCredentials(given);
    if (securityToken) throw invalidOption('credentials are long-term keys: they take no securityToken');
    keys.set(accessKeyId, accessKeySecret);
  }
  if (keys.size === 0) keys.set(`LTAI${randomAlphanumeric(20)}`, randomAlphanumeric(30));

  const bucketNames = options.buckets ?? ['local-bucket'];
  if (!Array.isArray(bucketNames) || bucketNames.length === 0) {
    throw invalidOption('buckets must be a non-empty array of bucket names');
  }
  return {
    region: normalizeRegion(options.region ?? 'cn-hangzhou'),
    accountId: accountId ?? '',
    roleArn,
    now,
    keys,
    buckets: new Map(
      bucketNames.map((name) => [validateBucket(name, 'createLocalOss: buckets[]'), new Map()]),
    ),
    uploads: new Map(),
    sessions: new Map(),
    nonces: new Map(),
    corsOrigins,
  };
}
