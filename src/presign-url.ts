import type { CallbackOptions } from './callback/create-callback.js';
import { resolveConfig } from './options/config.js';
import { type PresignContext, resolvePresign } from './options/presign.js';
import { ACCEPTED, readOptions } from './options/read.js';
import { presignedQueryV1, presignedQueryV4 } from './signer/presigned-query.js';
import type { OssCredentials, OssLocation, SignatureVersion } from './types.js';

export type PresignMethod = 'GET' | 'PUT' | 'HEAD' | 'DELETE' | 'POST';

export interface PresignUrlOptions extends OssLocation {
  credentials: OssCredentials;
  key: string;
  /** Default `'GET'`. */
  method?: PresignMethod | undefined;
  /** Seconds the URL stays valid, default 3600; at most 604800 (7 days), V1 too. */
  expiresIn?: number | undefined;
  /** Shorthand for the `Content-Type` header the client must send. */
  contentType?: string | undefined;
  /** Shorthand for the `Content-MD5` header the client must send. */
  contentMd5?: string | undefined;
  /** Headers the client will send, any case. `Content-Type`, `Content-MD5` and `x-oss-*` are signed. */
  headers?: Record<string, string> | undefined;
  /** `versionId`, `response-content-*`, `x-oss-process`, `uploadId`, `partNumber`…; `null` is a bare name. */
  query?: Record<string, string | null> | undefined;
  /** V4 only: other header names to sign (dropped when absent from `headers` or signed anyway). */
  additionalHeaders?: string[] | undefined;
  /** V1 only: extra query names to sign. */
  subResources?: string[] | undefined;
  /**
   * An upload callback (PUT, or POST to complete a multipart upload): options for createCallback, or its
   * base64 `callback` value. Sent as the signed `callback` and `callback-var` query parameters.
   */
  callback?: CallbackOptions | string | undefined;
  signatureVersion?: SignatureVersion | undefined;
  /** Signing time, default the current time. */
  now?: Date | undefined;
}

export interface PresignedRequest {
  url: string;
  method: string;
  /** Every header the client must send for the signature to hold (and the other headers it said it sends). */
  headers: Record<string, string>;
  expiresAt: Date;
}

/**
 * A URL that lets its holder send one request (a PUT upload, say) to one object until it expires.
 * Pure: the same options give the same URL, byte for byte.
 */
export function presignUrl(options: PresignUrlOptions): PresignedRequest {
  const raw = readOptions(options, 'presignUrl', ACCEPTED.presignUrl);
  return presignContext(resolvePresign(raw, resolveConfig(raw)));
}

/** The URL of a resolved context: what presignUrl and the bound signer both return. */
export function presignContext(context: PresignContext): PresignedRequest {
  const { request } = context;
  const query =
    context.version === 'v4'
      ? presignedQueryV4(request, context.region as string, context.product, context.additionalHeaders)
      : presignedQueryV1(request, context.subResources);
  return {
    url: `${context.url}?${query}`,
    method: request.method,
    headers: request.headers.toRecord(),
    expiresAt: context.expiresAt,
  };
}
