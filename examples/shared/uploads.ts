// What every example's routes do, whatever the framework: the library calls, the checks on what the
// browser sends, and the prefix each user may write under. The framework folders only route to these.
import {
  type CallbackOptions,
  createCallback,
  createPostPolicy,
  createStsCredentialProvider,
  createUploadPolicy,
  type OssCallbackRequest,
  presignMultipart,
  presignUrl,
  type StsCredentialProviderOptions,
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
  /** Records an upload OSS confirmed through the callback route (your database); default: a log line. */
  onUpload?: ((upload: ConfirmedUpload) => void | Promise<void>) | undefined;
}

/** An upload as OSS's callback reports it, once checked to be one this server signed. */
export interface ConfirmedUpload {
  bucket: string;
  /** The object's key. */
  object: string;
  /** The object's ETag, without quotes. */
  etag: string;
  size: number;
  mimeType: string;
  /** The custom variable `x:user`: the id of the user the upload was signed for. */
  user: string;
}

/** The callback route's answer, which OSS relays to the uploader as the upload's response. */
export interface CallbackReply {
  received: true;
  upload: ConfirmedUpload;
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
/**
 * What OSS POSTs to the callback route: its variables filled in, and `${x:user}`, the id of the user the
 * upload was signed for, which the signature (or the POST policy) pins, so the uploader cannot change it.
 */
const CALLBACK_BODY =
  'bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}&user=${x:user}';

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

  // Upload callbacks, when the target has a callback URL: one per user (`x:user`), in the three signing
  // calls below (presignMultipart's 'complete' step), to the callback route, which `receiveCallback` serves.
  const callbackUrl = target.callback?.url;
  // A bad CALLBACK_URL stops the example at start, not at its first upload.
  if (callbackUrl !== undefined) createCallback({ url: callbackUrl, body: CALLBACK_BODY });
  const callbackFor = (user: User): CallbackOptions | undefined =>
    callbackUrl === undefined
      ? undefined
      : { url: callbackUrl, body: CALLBACK_BODY, vars: { user: user.id } };
  // A pinned key (a local endpoint's), else OSS's own, which the library bundles.
  const publicKey = target.callback?.publicKey;
  const verifyOptions = publicKey === undefined ? undefined : { publicKey };
  const onUpload = options.onUpload ?? logUpload;

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
        // Without a callback OSS answers 201 with the key; with one, the callback route's reply.
        successActionStatus: 201,
        callback: callbackFor(user),
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
        ...presignUrl({
          ...location,
          credentials,
          method: 'PUT',
          key,
          contentType,
          callback: callbackFor(user),
          expiresIn: EXPIRES_IN,
        }),
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
        ...(step === 'complete' && { completeAll: true, callback: callbackFor(user) }),
        expiresIn: EXPIRES_IN,
      });
      return { key, ...signed };
    },

    /**
     * The callback route: checks that OSS signed the request (on its raw body), records the upload, and
     * answers JSON, which OSS relays to the uploader. OSS's signature only says that OSS sent it: anyone can
     * have OSS call this URL after an upload to their own bucket, or write a callback of their own with the
     * STS credentials. So only uploads to this bucket under the prefix of the user they name count.
     */
    async receiveCallback(request: OssCallbackRequest): Promise<CallbackReply> {
      const { params } = await verifyOssCallback(request, verifyOptions);
      const upload = readUpload(params);
      if (upload.bucket !== bucket || !upload.object.startsWith(prefixOf({ id: upload.user }))) {
        throw new HttpError(
          403,
          'UnexpectedUpload',
          'the callback reports an upload this server did not sign',
        );
      }
      // Record it idempotently (keyed on object and ETag): OSS's signature has no timestamp, so a captured
      // callback can be replayed.
      await onUpload(upload);
      return { received: true, upload };
    },
  };
}

function logUpload({ object, size, mimeType, user }: ConfirmedUpload): void {
  console.log(`OSS confirmed ${object} (${size} bytes, ${mimeType}) uploaded for ${user}`);
}

/** The upload a verified callback reports: the fields of CALLBACK_BODY. */
function readUpload(params: unknown): ConfirmedUpload {
  // Another Content-Type than a form's or JSON's gives no params.
  if (params === undefined) throw new HttpError(400, 'InvalidBody', 'the callback body must be a form');
  const { size, ...fields } = readFields(params, {
    bucket: 'string',
    object: 'string',
    etag: 'string',
    size: 'string',
    mimeType: 'string',
    user: 'string',
  });
  if (!/^\d{1,15}$/.test(size)) throw new HttpError(400, 'InvalidBody', 'size must be a whole number');
  return { ...fields, size: Number(size) };
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
