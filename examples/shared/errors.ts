// One rule for what an example's routes answer when something fails, used by every framework's error
// handler: bad client input 400, an STS outage 503, a forged callback 401, anything else 500.
import { OssSignError, type OssSignErrorCode } from 'oss-direct-upload';

/** A failure with the HTTP status the client should get; its message is safe to show. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
  }
}

/** What the client sent, or the call it asked for, is wrong: the message names the argument and the rule. */
const CLIENT_INPUT: readonly OssSignErrorCode[] = [
  'INVALID_ARGUMENT',
  'INVALID_KEY',
  'INVALID_HEADER',
  'INVALID_UPLOAD_ID',
  'INVALID_PART_NUMBER',
  'CALLBACK_BODY_INVALID',
];
/** The callback request was not signed by OSS (or by a key we trust). */
const NOT_FROM_OSS: readonly OssSignErrorCode[] = ['CALLBACK_SIGNATURE_INVALID', 'CALLBACK_KEY_NOT_TRUSTED'];
/** A service this server depends on failed: the client may try again later. */
const UPSTREAM: readonly OssSignErrorCode[] = ['STS_FAILED', 'STS_BAD_RESPONSE', 'CALLBACK_KEY_FETCH_FAILED'];

export interface ErrorResponse {
  status: number;
  body: { code: string; message: string };
}

/**
 * The status and JSON body for `error`. Failures of this server (a bad configuration, an STS outage, a
 * bug) are logged with `log` and answered without detail; OssSignError messages never hold a secret, so
 * logging them is safe.
 */
export function errorResponse(error: unknown, log: (error: unknown) => void = console.error): ErrorResponse {
  if (error instanceof HttpError)
    return { status: error.status, body: { code: error.code, message: error.message } };
  const status = clientErrorStatus(error);
  if (status !== undefined) {
    const code = status === 413 ? 'BodyTooLarge' : 'InvalidBody';
    return { status, body: { code, message: (error as Error).message } };
  }
  if (error instanceof OssSignError) {
    if (CLIENT_INPUT.includes(error.code))
      return { status: 400, body: { code: error.code, message: error.message } };
    if (NOT_FROM_OSS.includes(error.code)) {
      return { status: 401, body: { code: error.code, message: 'the request is not signed by OSS' } };
    }
    log(error);
    if (UPSTREAM.includes(error.code)) {
      return {
        status: 503,
        body: { code: error.code, message: 'a service this server needs failed; try again later' },
      };
    }
    return { status: 500, body: { code: error.code, message: 'the server is misconfigured; see its log' } };
  }
  log(error);
  return { status: 500, body: { code: 'InternalError', message: 'see the server log' } };
}

/** The 4xx status of a body parser's error (express.json, @koa/bodyparser and Fastify throw such errors). */
function clientErrorStatus(error: unknown): number | undefined {
  if (!(error instanceof Error) || error instanceof OssSignError) return undefined;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const given = status ?? statusCode;
  return typeof given === 'number' && given >= 400 && given < 500 ? given : undefined;
}
