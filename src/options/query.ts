import { OssSignError } from '../errors.js';
import { hasLoneSurrogate } from '../oss/names.js';
import { quote } from '../quote.js';
import type { QueryParams } from '../signer/request-headers.js';

const NO_QUERY: QueryParams = [];

/**
 * The caller's query, own properties in order. Names the signature adds itself (`reserved`, lower-case)
 * are refused in any case rather than sent twice.
 */
export function collectQuery(query: unknown, reserved: ReadonlySet<string>): QueryParams {
  if (query === undefined) return NO_QUERY;
  if (typeof query !== 'object' || query === null || Array.isArray(query)) {
    throw new OssSignError(
      'INVALID_QUERY',
      'query must be an object of parameter names to string or null values',
    );
  }
  const params = Object.entries(query);
  for (const [name, value] of params) {
    if (name === '' || name === '__proto__' || hasLoneSurrogate(name)) {
      throw new OssSignError(
        'INVALID_QUERY',
        `query parameter name ${quote(name)} must be a non-empty valid Unicode name`,
      );
    }
    if (reserved.has(name.toLowerCase())) {
      throw new OssSignError('INVALID_QUERY', `query must not set ${quote(name)}: the signature adds it`);
    }
    if (value !== null && (typeof value !== 'string' || hasLoneSurrogate(value))) {
      throw new OssSignError(
        'INVALID_QUERY',
        `query[${quote(name)}] must be a valid Unicode string or null (got ${quote(value)})`,
      );
    }
  }
  return params as [string, string | null][];
}
