import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { invalidArgument } from './errors.js';
import { checkObjectName } from './objects.js';
import type { OssRequest } from './state.js';

/**
 * The request as the handlers see it, but its body: path and query decoded, bucket and key routed, headers
 * lower-case.
 */
export function readRequest(req: IncomingMessage, requestId: string): Omit<OssRequest, 'body'> {
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  const rawPath = queryStart < 0 ? url : url.slice(0, queryStart);
  // Records without a prototype: a client's header or parameter named `__proto__` is just a name.
  const headers: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const host = headers.host ?? '';
  return {
    method: req.method ?? 'GET',
    host,
    rawPath,
    ...routeTarget(host, decode(rawPath)),
    query: parseQuery(queryStart < 0 ? '' : url.slice(queryStart + 1)),
    headers,
    clientIp: (req.socket.remoteAddress ?? '').replace(/^::ffff:(?=\d+\.)/, ''),
    requestId,
  };
}

/**
 * Virtual-host style when the Host is a name of more than one label (`bucket.oss-cn-hangzhou.aliyuncs.com`,
 * `bucket.localhost:9000`): the first label is the bucket and the whole path the key. Otherwise (an IP
 * address, `localhost`) path style: `/bucket/key`.
 */
function routeTarget(host: string, path: string): { bucket: string | undefined; key: string | undefined } {
  const hostname = host.startsWith('[') ? host : host.replace(/:\d*$/, '');
  let bucket: string;
  let key: string;
  if (hostname.includes('.') && isIP(hostname) === 0) {
    bucket = hostname.slice(0, hostname.indexOf('.')).toLowerCase();
    key = path.slice(1);
  } else {
    const rest = path.slice(1);
    const slash = rest.indexOf('/');
    bucket = slash < 0 ? rest : rest.slice(0, slash);
    key = slash < 0 ? '' : rest.slice(slash + 1);
  }
  return { bucket: bucket || undefined, key: key === '' ? undefined : checkObjectName(key) };
}

/** `a=1&b&c=` gives `{ a: '1', b: null, c: '' }`; `+` is a space, as in any form-encoded query. */
function parseQuery(rawQuery: string): Record<string, string | null> {
  const query: Record<string, string | null> = Object.create(null);
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = decode((equals < 0 ? pair : pair.slice(0, equals)).replace(/\+/g, ' '));
    query[name] = equals < 0 ? null : decode(pair.slice(equals + 1).replace(/\+/g, ' '));
  }
  return query;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalidArgument(`Malformed percent-encoding in the request URL: ${text}`);
  }
}
