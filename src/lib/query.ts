import { OssSignError } from '../errors.js';
import { hasLoneSurrogate, quote } from './validate.js';

/**
 * Checks the caller's query: names the signature adds itself (`reserved`, lower-case) are refused in any
 * case rather than sent twice.
 */
export function collectQuery(
  query: Readonly<Record<string, string | null>> | undefined,
  reserved: ReadonlySet<string>,
): Record<string, string | null> {
  if (query === undefined) return {};
  if (typeof query !== 'object' || query === null) {
    throw new OssSignError(
      'INVALID_QUERY',
      'query must be an object of parameter names to string or null values',
    );
  }
  for (const name in query) {
    const value = query[name];
    if (name === '' || hasLoneSurrogate(name)) {
      throw new OssSignError(
        'INVALID_QUERY',
        `query parameter name ${quote(name)} must be non-empty valid Unicode`,
      );
    }
    if (reserved.has(name.toLowerCase())) {
      throw new OssSignError('INVALID_QUERY', `query must not set ${quote(name)}: the signature adds it`);
    }
    if (value !== null && (typeof value !== 'string' || hasLoneSurrogate(value))) {
      throw new OssSignError('INVALID_QUERY', `query[${quote(name)}] must be a valid Unicode string or null`);
    }
  }
  return query as Record<string, string | null>;
}
