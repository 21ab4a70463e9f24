/** Who is asking. The examples have no sign-in: `signedInUser` stands in for your session lookup. */
export interface User {
  id: string;
}

/**
 * Stands in for your session lookup (a cookie, a bearer token...): the upload prefix must come from who is
 * signed in, never from the request's body or query. Replace it; it ignores the request on purpose.
 */
export function signedInUser(_request: unknown): User {
  return { id: 'user-42' };
}
