import { OssSignError } from '../errors.js';
import { errorName } from './caller-keys.js';
import { scrubIdentifier, scrubMessage } from './scrub.js';

export interface Failure {
  error: OssSignError;
  retryable: boolean;
}

/**
 * An exception from the STS SDK as an `OssSignError`. SDK errors are never passed on as `cause`: they hold
 * the signed request. Only STS's code, request id, status and message are copied, each scrubbed of the
 * secrets that were sent (see scrub.ts).
 */
export function describeFailure(
  error: unknown,
  attempts: number,
  endpoint: string,
  secrets: readonly string[],
): Failure {
  if (error instanceof OssSignError) return { error, retryable: false };
  const sdkError = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const httpStatus = sdkError.statusCode;
  if (typeof httpStatus === 'number') {
    // `data` is STS's error body: { RequestId, Code, Message, ... }.
    const data = (typeof sdkError.data === 'object' && sdkError.data !== null ? sdkError.data : {}) as Record<
      string,
      unknown
    >;
    const stsCode = scrubIdentifier(data.Code ?? data.code, secrets);
    const requestId = scrubIdentifier(data.RequestId ?? data.requestId, secrets);
    const rawMessage = data.Message ?? data.message;
    const stsMessage =
      typeof rawMessage === 'string' && rawMessage !== ''
        ? (scrubMessage(rawMessage, secrets) ??
          '(message withheld: it quoted the credentials that were sent)')
        : '';
    return {
      retryable: httpStatus >= 500 || (stsCode?.startsWith('Throttling') ?? false),
      error: new OssSignError(
        'STS_FAILED',
        `AssumeRole at ${endpoint} failed with HTTP ${httpStatus} ${stsCode ?? '(no code)'}${stsMessage ? `: ${stsMessage}` : ''} (request id ${requestId ?? 'unknown'}, ${attempts} attempt(s))`,
        { details: { stsCode, requestId, httpStatus, attempts, endpoint } },
      ),
    };
  }
  if (error instanceof SyntaxError) {
    return {
      retryable: true,
      error: new OssSignError(
        'STS_BAD_RESPONSE',
        `AssumeRole at ${endpoint} answered with a body that is not JSON (${attempts} attempt(s))`,
        { details: { attempts, endpoint } },
      ),
    };
  }
  const reason = scrubIdentifier(sdkError.code, secrets) ?? errorName(error);
  return {
    retryable: true,
    error: new OssSignError(
      'STS_FAILED',
      `AssumeRole request to ${endpoint} failed: ${reason} (${attempts} attempt(s))`,
      { details: { reason, attempts, endpoint } },
    ),
  };
}
