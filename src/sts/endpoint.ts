import { OssSignError } from '../errors.js';
import { quote } from '../quote.js';

/** Where AssumeRole goes: the scheme and `host[:port]`, which is what the STS SDK takes. */
export interface StsEndpoint {
  protocol: 'https' | 'http';
  host: string;
}

const BASE_URL =
  /^(?:(https?):\/\/)?((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?|\[[0-9a-f:.]+\])(?::(\d{1,5}))?\/?$/i;
/** What an endpoint may be echoed with: nothing that could carry a password, token or query. */
const SHOWN = /^[A-Za-z0-9.:/[\]_-]{1,100}$/;

/**
 * `endpoint` as a base URL: `https://host[:port]` or `http://host[:port]`, a bare host meaning https. A
 * `user:password@` part is refused and never echoed, in any spelling (no scheme, `/` or `@` in the password).
 */
export function parseStsEndpoint(endpoint: unknown): StsEndpoint {
  if (typeof endpoint !== 'string') {
    throw new OssSignError(
      'INVALID_ENDPOINT',
      `endpoint must be a base URL string like "https://sts.cn-hangzhou.aliyuncs.com" (got ${quote(endpoint)})`,
    );
  }
  if (endpoint.includes('@')) {
    throw new OssSignError(
      'INVALID_ENDPOINT',
      'endpoint must not carry a user name or password (a "user:password@" part); give the keys as credentials. The value is not shown.',
    );
  }
  const match = BASE_URL.exec(endpoint);
  const port = match?.[3] === undefined ? undefined : Number(match[3]);
  if (!match || (port !== undefined && (port < 1 || port > 65_535))) {
    throw new OssSignError(
      'INVALID_ENDPOINT',
      `endpoint must be a base URL like "https://sts.cn-hangzhou.aliyuncs.com" or "http://127.0.0.1:9000" (a bare host means https), without path or query (got ${SHOWN.test(endpoint) ? JSON.stringify(endpoint) : 'a value not shown'})`,
    );
  }
  const host = (match[2] as string).toLowerCase();
  return {
    protocol: match[1]?.toLowerCase() === 'http' ? 'http' : 'https',
    host: port === undefined ? host : `${host}:${port}`,
  };
}

/** `https://host[:port]`, as messages name it. */
export function formatEndpoint(endpoint: StsEndpoint): string {
  return `${endpoint.protocol}://${endpoint.host}`;
}
