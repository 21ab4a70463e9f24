import { errorResponse } from '../../shared/errors.js';

/**
 * A route handler answering what `handle` returns as JSON, and what it throws as the JSON error the other
 * examples give (Next.js has no error middleware for route handlers).
 */
export function jsonRoute(handle: (request: Request) => unknown) {
  return async (request: Request): Promise<Response> => {
    try {
      // Temporary credentials and signatures must not be cached.
      return Response.json(await handle(request), { headers: { 'cache-control': 'no-store' } });
    } catch (error) {
      const { status, body } = errorResponse(error);
      return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
    }
  };
}
