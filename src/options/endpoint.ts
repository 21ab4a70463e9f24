import { OssSignError } from '../errors.js';
import { quote } from '../quote.js';

const BASE_URL = /^(?:(https?):\/\/)?([^/?#@\s]+)\/?$/i;
/** A DNS name (labels of letters, digits, `-` inside and `_`, an optional final dot), an IPv4 or a bracketed IPv6 address, and a port. */
const HOST =
  /^(?:((?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?\.)*[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?\.?)|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/i;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;
const NUMERIC_LABEL = /(?:^|\.)\d+\.?$/;

/**
 * An endpoint option, OSS's or STS's: a base URL (`https://host[:port]`), a bare host meaning https.
 * One with a `user:password@` part is refused without being echoed, whatever it holds. The host must be
 * one a client can send (a DNS name, IPv4 or `[IPv6]`, port 1..65535): it is the host of every URL signed.
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
  const host = (match[2] as string).toLowerCase();
  checkHost(host, name, example);
  return { scheme: (match[1] ?? 'https').toLowerCase() as 'http' | 'https', host };
}

function checkHost(host: string, name: string, example: string): void {
  const match = HOST.exec(host);
  const hostname = match?.[1];
  const port = match?.[2] === undefined ? undefined : Number(match[2]);
  // A name whose last label is a number is read as an IPv4 address by URL parsers.
  const badIpv4 = hostname !== undefined && NUMERIC_LABEL.test(hostname) && !IPV4.test(hostname);
  if (match && !badIpv4 && (port === undefined || (port >= 1 && port <= 65_535))) return;
  const punycode = /[\u0080-\uffff]/.test(host)
    ? ': an internationalized host name goes in its punycode form ("xn--…")'
    : '';
  throw new OssSignError(
    'INVALID_ENDPOINT',
    `${name} must name a host a client can send, like "${example}": a DNS name, an IPv4 or [IPv6] address, and a port 1..65535 if any (got ${quote(host)})${punycode}`,
  );
}
