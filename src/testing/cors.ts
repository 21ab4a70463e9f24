import { ServiceError } from './errors.js';
import { headerText } from './headers.js';
import type { LocalOssState, OssRequest, OssResponse } from './state.js';

const CORS_METHODS = ['GET', 'PUT', 'POST', 'HEAD', 'DELETE'];

function isAllowedOrigin(state: LocalOssState, origin: string): boolean {
  return state.corsOrigins === '*' || state.corsOrigins.includes(origin);
}

/** What every response to an allowed origin carries, errors included, so pages can read them. */
export function corsHeaders(state: LocalOssState, origin: string | undefined): Record<string, string> {
  if (origin === undefined || !isAllowedOrigin(state, origin)) return {};
  return {
    'access-control-allow-origin': state.corsOrigins === '*' ? '*' : origin,
    'access-control-expose-headers': 'ETag, x-oss-request-id',
    vary: 'Origin',
  };
}

export function preflight(state: LocalOssState, request: OssRequest): OssResponse {
  const { origin, 'access-control-request-method': method } = request.headers;
  if (origin === undefined) {
    throw new ServiceError(400, 'BadRequest', 'Insufficient information. Origin request header needed.');
  }
  if (method === undefined) {
    throw new ServiceError(
      400,
      'BadRequest',
      'Insufficient information. Request Access-Control-Request-Method header needed.',
    );
  }
  if (!isAllowedOrigin(state, origin) || !CORS_METHODS.includes(method)) {
    throw new ServiceError(
      403,
      'AccessForbidden',
      'CORSResponse: This CORS request is not allowed. The origin or the Access-Control-Request-Method is not in the CORS rules.',
    );
  }
  return {
    status: 200,
    headers: {
      'access-control-allow-methods': CORS_METHODS.join(', '),
      'access-control-allow-headers': headerText(
        'Access-Control-Request-Headers',
        request.headers['access-control-request-headers'] ?? '',
      ),
      'access-control-max-age': '600',
    },
  };
}
