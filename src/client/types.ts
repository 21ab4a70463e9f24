/**
 * What the client is given and gives back. Structural on purpose: `presignUrl`, `presignMultipart` and
 * `createPostPolicy` results fit, also after a trip through JSON (`expiresAt` becomes a string, unused here).
 */

/** A presigned request: send `method` to `url` with exactly these `headers`. */
export interface SignedRequest {
  url: string;
  method: string;
  headers?: Record<string, string> | undefined;
}

/** A PostObject form: POST the `fields` in order to `url`, then the file. */
export interface PostForm {
  url: string;
  fields: Record<string, string>;
}

/** Bytes of the file sent so far; never decreases, ends at `total` (the file's size). */
export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadResult {
  status: number;
  /** The object's ETag as OSS gives it (quoted), when the response carries one. */
  etag?: string | undefined;
  /** The response body: OSS's XML, or the callback server's reply when the upload had a callback. */
  body: string;
  /** Status 203: the object is stored, but OSS's call to the callback server failed. */
  callbackFailed?: boolean | undefined;
}

/**
 * How an upload fails: `code` is OSS's error code from the XML body (`AccessDenied`, `EntityTooLarge`…),
 * `'NetworkError'` (status 0: no response, e.g. a connection cut or a CORS refusal), `'HttpError'` (an error
 * status without OSS's XML), `'InvalidResponse'` or `'MissingETag'`. An aborted upload rejects with an error
 * whose `name` is `'AbortError'` instead.
 */
export interface UploadError extends Error {
  name: 'UploadError';
  code: string;
  status: number;
  requestId?: string | undefined;
  /** Multipart: the upload to resume (`resume: { uploadId }`) after this failure. */
  uploadId?: string | undefined;
}

export interface UploadFileOptions {
  /** POST form only: the object key to use, in place of `fields.key`. */
  key?: string | undefined;
  onProgress?: ((progress: UploadProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
}

/** What `sign` is asked for: one step of the upload, for the server to pass to `presignMultipart`. */
export interface MultipartStepRequest {
  step: 'initiate' | 'part' | 'complete' | 'abort' | 'list';
  uploadId?: string;
  partNumber?: number;
  /** `list`: the page after this part number. */
  partNumberMarker?: number;
}

export interface UploadMultipartOptions {
  /** The application's call to its server, which answers with `presignMultipart(...)` for the step. */
  sign: (request: MultipartStepRequest) => SignedRequest | Promise<SignedRequest>;
  /** Bytes per part: default 5 MiB, more for files over 50 GB (OSS allows at most 10,000 parts). */
  partSize?: number | undefined;
  /** Parts uploading at once, default 4. */
  concurrency?: number | undefined;
  /** Further tries of a failed part, default 3, each with a fresh URL after a random wait that doubles. */
  retries?: number | undefined;
  onProgress?: ((progress: UploadProgress) => void) | undefined;
  /** Aborting cancels the parts in flight and aborts the upload on OSS. */
  signal?: AbortSignal | undefined;
  /** Continue this upload: the parts already stored (same part size) are not sent again. */
  resume?: { uploadId: string } | undefined;
  /** Called once the upload id is known: keep it (with what identifies the file) to resume later. */
  onUploadId?: ((uploadId: string) => void) | undefined;
}

export interface MultipartResult extends UploadResult {
  uploadId: string;
}
