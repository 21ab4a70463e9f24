import { OssSignError } from '../errors.js';
import { encodeKeyPath } from '../oss/encode.js';
import type { OssLocation } from '../types.js';
import { normalizeRegion, quote, validateProduct } from './validate.js';

const ENDPOINT = /^(?:(https?):\/\/)?([^/?#@\s]+)\/?$/i;
const IP_HOST = /^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:.]+\])(?::\d+)?$/i;
const USER_INFO = /\/\/[^/@]*@/;

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
    if (validateProduct(location.product) !== 'oss') {
      throw new OssSignError(
        'INVALID_ENDPOINT',
        `endpoint is required with product ${quote(location.product)}`,
      );
    }
    if (cname || pathStyle) {
      throw new OssSignError(
        'INVALID_ENDPOINT',
        `endpoint is required with ${cname ? 'cname' : 'pathStyle'}`,
      );
    }
    return `https://${bucket}.oss-${normalizeRegion(location.region)}.aliyuncs.com${path}`;
  }
  const match = typeof endpoint === 'string' ? ENDPOINT.exec(endpoint) : null;
  if (!match) {
    // A user:password@ part is not echoed back.
    const shown = typeof endpoint === 'string' ? endpoint.replace(USER_INFO, '//…@') : endpoint;
    throw new OssSignError(
      'INVALID_ENDPOINT',
      `endpoint must be a base URL like "https://oss-cn-hangzhou.aliyuncs.com", without credentials, path or query (got ${quote(shown)})`,
    );
  }
  const scheme = (match[1] ?? 'https').toLowerCase();
  const host = (match[2] as string).toLowerCase();
  if (cname) return `${scheme}://${host}${path}`;
  if (pathStyle || IP_HOST.test(host) || host === 'localhost' || host.startsWith('localhost:')) {
    return `${scheme}://${host}/${bucket}${path}`;
  }
  if (host.startsWith(`${bucket}.`)) {
    throw new OssSignError(
      'INVALID_ENDPOINT',
      `endpoint ${quote(host)} already names the bucket: give the region endpoint (${quote(host.slice(bucket.length + 1))}), or set cname: true`,
    );
  }
  return `${scheme}://${bucket}.${host}${path}`;
}
