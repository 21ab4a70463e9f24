import type { CallbackOptions } from './callback/create-callback.js';
import { ACCEPTED, readOptions } from './options/read.js';
import { type RequestContext, resolveRequest, resolveRequestTarget } from './options/request.js';
import { authorizeV1, authorizeV4 } from './signer/authorization.js';
import type { OssCredentials, OssLocation, SignatureVersion } from './types.js';

export interface SignRequestOptions extends Partial<OssLocation> {
  /** Any HTTP method; upper-cased. */
  method: string;
  /** Omit `key` for a bucket-level request and `bucket` too for a service-level one. */
  key?: string | undefined;
  query?: Record<string, string | null> | undefined;
  /** Headers the request carries, any case. */
  headers?: Record<string, string> | undefined;
  credentials: OssCredentials;
  /** V4 only: other header names to sign (dropped when absent from `headers` or signed anyway). */
  additionalHeaders?: string[] | undefined;
  /** V1 only: extra query names to sign. */
  subResources?: string[] | undefined;
  /**
   * An upload callback (PUT, or POST to complete a multipart upload): options for createCallback, or its
   * base64 `callback` value. Sent as the signed `x-oss-callback` and `x-oss-callback-var` headers.
   */
  callback?: CallbackOptions | string | undefined;
  signatureVersion?: SignatureVersion | undefined;
  now?: Date | undefined;
}

export interface SignedRequest {
  /** The caller's headers plus `Authorization`, the date, the security token and (V4) `x-oss-content-sha256`. */
  headers: Record<string, string>;
  stringToSign: string;
  /** V4 only. */
  canonicalRequest?: string | undefined;
}

/** Signs a request in its `Authorization` header, for servers that call OSS themselves. */
export function signRequest(request: SignRequestOptions): SignedRequest {
  const raw = readOptions(request, 'signRequest', ACCEPTED.signRequest);
  return signRequestContext(resolveRequest(raw, resolveRequestTarget(raw)));
}

/** The signed headers of a resolved context: what signRequest and the bound signer both return. */
export function signRequestContext(context: RequestContext): SignedRequest {
  const { request } = context;
  if (context.version === 'v4') {
    const signed = authorizeV4(request, context.region as string, context.product, context.additionalHeaders);
    return { headers: request.headers.toRecord(), ...signed };
  }
  const { stringToSign } = authorizeV1(request, context.subResources);
  return { headers: request.headers.toRecord(), stringToSign };
}
