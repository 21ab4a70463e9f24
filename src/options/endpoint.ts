import { OssSignError } from '../errors.js';
import { quote } from '../quote.js';

const BASE_URL = /^(?:(https?):\/\/)?([^/?#@\s]+)\/?$/i;

/**
 * An endpoint option, OSS's or STS's: a base URL (`https://host[:port]`), a bare host meaning https.
 * One with a `user:password@` part is refused without being echoed, whatever it holds.
 */
export function parseBaseUrl(
  value: unknown,
  name: string,
  example: string,
): { scheme: 'http' | 'https'; host: string } {
  const match = typeof value === 'string' ? BASE_URL.exec(value) : null;
  if (!match) {
    const shown =
      typeof value === 'string' && value.includes('@') ? 'a value with "@", not shown' : quote(value);
    throw new OssSignError(
      'INVALID_ENDPOINT',
      `${name} must be a base URL like "${example}", without credentials, path or query (got ${shown})`,
    );
  }
  return {
    scheme: (match[1] ?? 'https').toLowerCase() as 'http' | 'https',
    host: (match[2] as string).toLowerCase(),
  };
}
