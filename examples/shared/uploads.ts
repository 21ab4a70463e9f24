// What every example's routes do, whatever the framework: the library calls, the checks on what the
// browser sends, and the prefix each user may write under. The framework folders only route to these.
import {
  createPostPolicy,
  createStsCredentialProvider,
  createUploadPolicy,
  type OssCallbackRequest,
  presignMultipart,
  presignUrl,
  type StsCredentialProviderOptions,
  type VerifyOssCallbackOptions,
  verifyOssCallback,
} from 'oss-direct-upload';
import type { OssTarget } from './env.mjs';
import { HttpError } from './errors.js';
import type { User } from './user.js';

export interface UploadsOptions {
  /** Largest object a POST policy allows, default 100 MiB. */
  maxUploadBytes?: number | undefined;
  /** More options for the STS provider (`timeoutMs`, `maxAttempts`...). */
  sts?: Partial<StsCredentialProviderOptions> | undefined;
  /** How the callback route verifies OSS's signature (`publicKey` pins a key, for tests). */
  callback?: VerifyOssCallbackOptions | undefined;
}

/** Where an SDK uploads with temporary credentials, and under which prefix it may write. */
export interface StsUploadGrant {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  /** ISO 8601: the credentials live at least MIN_VALIDITY_SECONDS from now. */
  expiration: string;
  bucket: string;
  region: string;
  /** OSS base URL. */
  endpoint: string;
  prefix: string;
}

export type Uploads = ReturnType<typeof createUploads>;

/**
 * Every temporary credential handed out lives at least this long, so a client that refreshes more often
 * (the page: every 10 minutes) never signs with an expired one.
 */
export const MIN_VALIDITY_SECONDS = 900;
/** Seconds a presigned URL or POST policy stays valid: enough to start the upload. */
const EXPIRES_IN = 600;
const NAME_RULE = 'name must be a file name: 1 to 255 characters, no "/", "\\" or control characters';

/** The upload routes' work, for `target`. Each method takes the signed-in user, never a prefix. */
export function createUploads(target: OssTarget, options: UploadsOptions = {}) {
  const { bucket, region, credentials } = target;
  const location = { bucket, region, endpoint: target.endpoint };
  const endpoint = target.endpoint ?? `https://oss-${region}.aliyuncs.com`;
  const maxUploadBytes = options.maxUploadBytes ?? 100 * 1024 * 1024;
  const provider = createStsCredentialProvider({
    roleArn: target.sts.roleArn,
    endpoint: target.sts.endpoint,
    credentials,
    // Failures hidden by still-valid cached credentials: worth a line in the log.
    onRefreshError: (error) => console.warn(`STS: ${error.code}: ${error.message}`),
    ...options.sts,
  });
  const prefixOf = (user: User) => `uploads/${user.id}/`;

  // Upload callbacks: once presignUrl, createPostPolicy and presignMultipart take a `callback` option, it is
  // added to the three signing calls below (presignMultipart's 'complete' step), pointing at the callback
  // route, which `receiveCallback` serves.
  return {
    /** The SDK path (ali-oss, the mobile SDKs): temporary credentials that may only write under the prefix. */
    async stsCredentials(user: User): Promise<StsUploadGrant> {
      const prefix = prefixOf(user);
      const { accessKeyId, accessKeySecret, securityToken, expiration } = await provider.getCredentials({
        policy: createUploadPolicy({ bucket, prefix }),
        minValiditySeconds: MIN_VALIDITY_SECONDS,
      });
      return { accessKeyId, accessKeySecret, securityToken, expiration, bucket, region, endpoint, prefix };
    },

    /** A PostObject form for any file name under the prefix, up to `maxUploadBytes`. */
    postPolicy(user: User) {
      const { url, fields, expiresAt } = createPostPolicy({
        ...location,
        credentials,
        keyPrefix: prefixOf(user),
        contentLengthRange: [0, maxUploadBytes],
        successActionStatus: 201,
        expiresIn: EXPIRES_IN,
      });
      return { url, fields, expiresAt };
    },

    /** A presigned PUT for `{ name, type? }`: the key is the prefix and the file's name. */
    presignedUrl(user: User, input: unknown) {
      const { name, type } = readFields(input, { name: 'string', type: 'string?' });
      const key = prefixOf(user) + checkFileName(name);
      const contentType = type || 'application/octet-stream';
      return {
        key,
        ...presignUrl({ ...location, credentials, method: 'PUT', key, contentType, expiresIn: EXPIRES_IN }),
      };
    },

    /**
     * One step of a presigned multipart upload, for `{ name, type?, step, uploadId?, partNumber?,
     * partNumberMarker? }` (the step as `uploadMultipart` asks for it). `complete` signs `completeAll`,
     * so the browser sends no part list.
     */
    multipart(user: User, input: unknown) {
      const { name, type, step, uploadId, partNumber, partNumberMarker } = readFields(input, {
        name: 'string',
        type: 'string?',
        step: 'string',
        uploadId: 'string?',
        partNumber: 'number?',
        partNumberMarker: 'number?',
      });
      const key = prefixOf(user) + checkFileName(name);
      const signed = presignMultipart({
        ...location,
        credentials,
        key,
        // presignMultipart refuses an unknown step, and an option the step does not take.
        step: step as Parameters<typeof presignMultipart>[0]['step'],
        uploadId,
        partNumber,
        partNumberMarker,
        ...(step === 'initiate' && { contentType: type || 'application/octet-stream' }),
        ...(step === 'complete' && { completeAll: true }),
        expiresIn: EXPIRES_IN,
      });
      return { key, ...signed };
    },

    /**
     * The callback route: checks that OSS signed the request (on its raw body) and answers JSON, which OSS
     * relays to the uploader. Record the upload here (idempotently: OSS's signature has no timestamp).
     */
    async receiveCallback(request: OssCallbackRequest) {
      const { params } = await verifyOssCallback(request, options.callback);
      const object = (params as { object?: unknown } | undefined)?.object;
      return { received: true, object: typeof object === 'string' ? object : null };
    },
  };
}

type FieldType = 'string' | 'string?' | 'number?';
type FieldValue<T extends FieldType> = T extends 'string'
  ? string
  : T extends 'string?'
    ? string | undefined
    : number | undefined;

/** Reads the named fields of a JSON body, each of its type; anything else is the client's error. */
function readFields<const S extends Record<string, FieldType>>(
  input: unknown,
  shape: S,
): { [K in keyof S]: FieldValue<S[K]> } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new HttpError(400, 'InvalidBody', 'the body must be a JSON object');
  }
  const fields: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(shape)) {
    const value = Object.hasOwn(input, name) ? (input as Record<string, unknown>)[name] : undefined;
    const optional = type.endsWith('?');
    const expected = optional ? type.slice(0, -1) : type;
    if ((value === undefined || value === null) && optional) fields[name] = undefined;
    else if (typeof value === expected) fields[name] = value;
    else
      throw new HttpError(400, 'InvalidBody', `${name} must be a ${expected}${optional ? ' if given' : ''}`);
  }
  return fields as { [K in keyof S]: FieldValue<S[K]> };
}

/** A browser's file name, as the last segment of a key; a path or odd characters are refused, not cleaned. */
function checkFileName(name: string): string {
  const valid =
    name.length > 0 && name.length <= 255 && !/[/\\\p{Cc}]/u.test(name) && name !== '.' && name !== '..';
  if (!valid) throw new HttpError(400, 'InvalidName', NAME_RULE);
  return name;
}
