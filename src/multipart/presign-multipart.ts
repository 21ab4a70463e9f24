import type { CallbackOptions } from '../callback/create-callback.js';
import { resolveConfig } from '../options/config.js';
import { resolveMultipartStep } from '../options/multipart.js';
import { resolvePresign } from '../options/presign.js';
import { ACCEPTED, readOptions } from '../options/read.js';
import { type PresignedRequest, presignContext } from '../presign-url.js';
import type { OssCredentials, OssLocation, SignatureVersion } from '../types.js';

/** One request of a multipart upload. */
export type MultipartStep = 'initiate' | 'part' | 'complete' | 'abort' | 'list';

export interface PresignMultipartOptions extends OssLocation {
  credentials: OssCredentials;
  key: string;
  step: MultipartStep;
  /** Every step but `'initiate'`: the id `InitiateMultipartUpload` returned. */
  uploadId?: string | undefined;
  /** `'part'`: 1..10000. */
  partNumber?: number | undefined;
  /** `'list'`: list the parts after this number (`NextPartNumberMarker` of the previous page). */
  partNumberMarker?: number | undefined;
  /**
   * `'initiate'`: the object's `Content-Type` (signed, returned in `headers`). `'complete'` signs
   * `application/xml` unless given it with parameters (`application/xml; charset=utf-8`); no other type.
   */
  contentType?: string | undefined;
  /** `'initiate'`: other headers of the object (`x-oss-meta-*`, `Content-Disposition`, `x-oss-forbid-overwrite`…). */
  headers?: Record<string, string> | undefined;
  /** `'complete'`: sign `x-oss-complete-all: yes`, so OSS assembles the stored parts and the body is empty. */
  completeAll?: boolean | undefined;
  /**
   * `'complete'`: an upload callback, options for createCallback or its base64 `callback` value, sent as
   * the signed `callback` and `callback-var` query parameters.
   */
  callback?: CallbackOptions | string | undefined;
  /** Seconds the URL stays valid, default 3600. */
  expiresIn?: number | undefined;
  signatureVersion?: SignatureVersion | undefined;
  /** Signing time, default the current time. */
  now?: Date | undefined;
}

/**
 * The presigned request for one step of a multipart upload of `key`: start it, upload part N, complete
 * it, abort it, or list the parts stored so far (to resume). Signed V4 or V1 exactly as a presigned URL.
 */
export function presignMultipart(options: PresignMultipartOptions): PresignedRequest {
  const raw = readOptions(options, 'presignMultipart', ACCEPTED.presignMultipart);
  return presignContext(resolvePresign(resolveMultipartStep(raw), resolveConfig(raw)));
}
