import { OssSignError } from '../errors.js';
import { resolveCredentials } from '../options/credentials.js';
import { arrayItems, ownProperties } from '../options/own-properties.js';
import { checkBucket, normalizeRegion } from '../oss/names.js';
import { quote } from '../quote.js';
import { SigningCredentials } from '../signer/keys.js';
import { ROLE_ARN } from '../sts/rules.js';
import type { OssCredentials } from '../types.js';
import type { CallbackKey } from './callback/key.js';
import { DEFAULT_MAX_OBJECT_SIZE, OSS_MAX_OBJECT_SIZE } from './limits.js';
import { type LocalOssState, randomAlphanumeric } from './state.js';
import { UploadRegistry } from './uploads.js';

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
  /** The server clock (default the current time): lets tests expire URLs, policies and tokens. */
  clock?: (() => Date) | undefined;
  /**
   * The largest object, part or PostObject file it keeps in memory, in bytes: default 256 MiB, at most
   * OSS's own 5 GiB. A larger body is refused with `EntityTooLarge` as soon as its size is known.
   */
  maxObjectSize?: number | undefined;
}

function invalidOption(message: string): OssSignError {
  return new OssSignError('INVALID_ARGUMENT', `createLocalOss: ${message}`);
}

const ACCEPTED = new Set([
  'port',
  'credentials',
  'buckets',
  'region',
  'roleArn',
  'corsOrigins',
  'clock',
  'maxObjectSize',
]);
const HINTS = { now: 'the server clock is clock: () => Date' };

/**
 * The endpoint's state from its options (own enumerable properties, each read once; an unknown name is
 * refused), every option checked before the server starts.
 */
export function createState(given: LocalOssOptions, callbackKey: CallbackKey): LocalOssState {
  const options: LocalOssOptions = ownProperties(
    given,
    'createLocalOss: options',
    'INVALID_ARGUMENT',
    ACCEPTED,
    HINTS,
  );
  const {
    port,
    roleArn,
    corsOrigins = [],
    clock = () => new Date(),
    maxObjectSize = DEFAULT_MAX_OBJECT_SIZE,
  } = options;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535)) {
    throw invalidOption(`port must be a whole number 0..65535 (got ${quote(port)})`);
  }
  const accountId = typeof roleArn === 'string' ? ROLE_ARN.exec(roleArn)?.[1] : undefined;
  if (roleArn !== undefined && accountId === undefined) {
    throw invalidOption(`roleArn must look like "acs:ram::1234567890:role/uploader" (got ${quote(roleArn)})`);
  }
  const origins =
    corsOrigins === '*' ? '*' : arrayItems(corsOrigins, 'createLocalOss: corsOrigins', 'INVALID_ARGUMENT');
  if (origins === undefined || (origins !== '*' && !origins.every((o) => typeof o === 'string'))) {
    throw invalidOption(`corsOrigins must be '*' or an array of origins like "http://localhost:3000"`);
  }
  if (typeof clock !== 'function') throw invalidOption('clock must be a function returning a Date');
  if (!Number.isSafeInteger(maxObjectSize) || maxObjectSize < 1 || maxObjectSize > OSS_MAX_OBJECT_SIZE) {
    throw invalidOption(
      `maxObjectSize must be a whole number of bytes, 1..${OSS_MAX_OBJECT_SIZE} (got ${quote(maxObjectSize)})`,
    );
  }

  const keys = new Map<string, SigningCredentials>();
  const credentialList = arrayItems(options.credentials, 'createLocalOss: credentials', 'INVALID_ARGUMENT');
  if (options.credentials !== undefined && credentialList === undefined) {
    throw invalidOption('credentials must be an array of { accessKeyId, accessKeySecret }');
  }
  for (const given of credentialList ?? []) {
    const credentials = resolveCredentials(given);
    if (credentials.securityToken)
      throw invalidOption('credentials are long-term keys: they take no securityToken');
    keys.set(credentials.accessKeyId, credentials);
  }
  if (keys.size === 0) {
    const generated = new SigningCredentials(`LTAI${randomAlphanumeric(20)}`, randomAlphanumeric(30));
    keys.set(generated.accessKeyId, generated);
  }
  const bucketNames =
    options.buckets === undefined
      ? ['local-bucket']
      : arrayItems(options.buckets, 'createLocalOss: buckets', 'INVALID_ARGUMENT');
  if (bucketNames === undefined || bucketNames.length === 0) {
    throw invalidOption('buckets must be a non-empty array of bucket names');
  }
  const nowMs = () => {
    const time = clock();
    if (!(time instanceof Date) || Number.isNaN(time.getTime()))
      throw new Error('createLocalOss: clock() must return a valid Date');
    return time.getTime();
  };
  return {
    port: port ?? 0,
    region: normalizeRegion(options.region ?? 'cn-hangzhou'),
    accountId: accountId ?? '',
    roleArn,
    nowMs,
    keys,
    buckets: new Map(bucketNames.map((name) => [checkBucket(name, 'createLocalOss: buckets[]'), new Map()])),
    maxObjectSize,
    uploads: new UploadRegistry(nowMs, maxObjectSize),
    sessions: new Map(),
    nonces: new Map(),
    corsOrigins: origins as string[] | '*',
    callbackKey,
  };
}
