import type { OssLocation } from '../types.js';
import { encodeKeyPath } from './encode.js';
import { OssSignError } from './errors.js';
import { normalizeRegion, quote } from './validate.js';

const ENDPOINT = /^(?:(https?):\/\/)?([^/?#@\s]+)\/?$/i;
const IP_HOST = /^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:.]+\])(?::\d+)?$/i;

/**
 * The URL of `key` in the bucket (of the bucket itself when `key` is empty):
 * virtual-host style by default, path style for `pathStyle` and IP endpoints, the bare host for a CNAME.
 */
export function objectUrl(location: OssLocation, key: string): string {
  const path = `/${encodeKeyPath(key)}`;
  const { bucket, endpoint, cname, pathStyle } = location;
  if (cname && pathStyle)
    throw new OssSignError('INVALID_ENDPOINT', 'cname and pathStyle cannot both be set');
  if (endpoint === undefined) {
    if (location.product !== undefined && location.product !== 'oss') {
      throw new OssSignError(
        'INVALID_ENDPOINT',
        `endpoint is required with product ${quote(location.product)} (a CloudBox has its own endpoint)`,
      );
    }
    if (cname || pathStyle)
      throw new OssSignError(
        'INVALID_ENDPOINT',
        `endpoint is required with ${cname ? 'cname' : 'pathStyle'}`,
      );
    return `https://${bucket}.oss-${normalizeRegion(location.region)}.aliyuncs.com${path}`;
  }
  const match = typeof endpoint === 'string' ? ENDPOINT.exec(endpoint) : null;
  if (!match) {
    throw new OssSignError(
      'INVALID_ENDPOINT',
      `endpoint must be a base URL like "https://oss-cn-hangzhou.aliyuncs.com", without path or query (got ${quote(endpoint)})`,
    );
  }
  const scheme = (match[1] ?? 'https').toLowerCase();
  const host = (match[2] as string).toLowerCase();
  if (cname) return `${scheme}://${host}${path}`;
  if (pathStyle || IP_HOST.test(host) || host === 'localhost' || host.startsWith('localhost:')) {
    return `${scheme}://${host}/${bucket}${path}`;
  }
  return `${scheme}://${bucket}.${host}${path}`;
}
