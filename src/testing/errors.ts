/**
 * A refused request: OSS's error code, HTTP status and message, plus the extra elements OSS adds to
 * the error body (StringToSign, CanonicalRequest, OSSAccessKeyId…).
 */
export class ServiceError extends Error {
  readonly status: number;
  readonly code: string;
  readonly extra: Readonly<Record<string, string>>;

  constructor(status: number, code: string, message: string, extra: Record<string, string> = {}) {
    super(message);
    this.name = 'ServiceError';
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}

export function accessDenied(message: string, extra?: Record<string, string>): ServiceError {
  return new ServiceError(403, 'AccessDenied', message, extra);
}

export function invalidArgument(message: string, extra?: Record<string, string>): ServiceError {
  return new ServiceError(400, 'InvalidArgument', message, extra);
}
