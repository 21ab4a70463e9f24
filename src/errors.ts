/** Stable error codes: part of the public API, safe to switch on. */
export type OssSignErrorCode =
  | 'INVALID_ARGUMENT'
  | 'INVALID_BUCKET'
  | 'INVALID_KEY'
  | 'INVALID_REGION'
  | 'INVALID_ENDPOINT'
  | 'INVALID_METHOD'
  | 'INVALID_HEADER'
  | 'INVALID_QUERY'
  | 'INVALID_EXPIRES'
  | 'INVALID_UPLOAD_ID'
  | 'INVALID_PART_NUMBER'
  | 'MISSING_CREDENTIALS'
  | 'INVALID_CREDENTIALS'
  | 'EXPIRES_AFTER_CREDENTIALS'
  | 'INVALID_POLICY'
  | 'UNSAFE_POLICY'
  | 'STS_FAILED'
  | 'STS_BAD_RESPONSE'
  | 'STS_CLOCK_SKEW'
  | 'STS_SHORT_LIFETIME'
  | 'MISSING_PEER_DEPENDENCY'
  | 'INVALID_CALLBACK'
  | 'CALLBACK_SIGNATURE_INVALID'
  | 'CALLBACK_KEY_NOT_TRUSTED'
  | 'CALLBACK_KEY_FETCH_FAILED'
  | 'CALLBACK_BODY_INVALID'
  | 'UNSUPPORTED_RUNTIME';

/** Extra facts about a failure, never a secret (e.g. STS's error code and request id). */
export type OssSignErrorDetails = Readonly<Record<string, string | number | undefined>>;

/**
 * The one error type this library throws. `code` is stable; `message` names the argument and
 * the rule it broke, and never contains a secret.
 */
export class OssSignError extends Error {
  readonly code: OssSignErrorCode;
  readonly details?: OssSignErrorDetails;

  constructor(
    code: OssSignErrorCode,
    message: string,
    options?: { details?: OssSignErrorDetails; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OssSignError';
    this.code = code;
    if (options?.details) this.details = options.details;
  }

  toJSON(): { name: string; code: OssSignErrorCode; message: string; details?: OssSignErrorDetails } {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.details && { details: this.details }),
    };
  }
}
