import { OssSignError } from '../errors.js';
import { checkBucket, checkProduct, normalizeRegion } from '../oss/names.js';
import { quote } from '../quote.js';
import { parseBaseUrl } from './endpoint.js';
import type { RawOptions } from './read.js';

const IP_HOST = /^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:.]+\])(?::\d+)?$/i;

/** Where a bucket's objects are, and how their URLs are written. */
export interface Location {
  bucket: string;
  /** `undefined` when not given: only V4 and the default endpoint need it. */
  region: string | undefined;
  product: string;
  /** `https://examplebucket.oss-cn-hangzhou.aliyuncs.com`, or the endpoint's origin for path style. */
  origin: string;
  /** `''`, or `/bucket` for path style. */
  pathPrefix: string;
}

/**
 * Virtual-host style by default, path style for `pathStyle` and IP or `localhost` endpoints, the bare
 * host for a CNAME.
 */
export function resolveLocation(raw: RawOptions): Location {
  const bucket = checkBucket(raw.bucket);
  const region = raw.region === undefined ? undefined : normalizeRegion(raw.region);
  const product = checkProduct(raw.product);
  const { endpoint } = raw;
  const { cname, pathStyle } = resolveAddressing(raw);
  if (endpoint === undefined) {
    if (product !== 'oss') {
      throw new OssSignError('INVALID_ENDPOINT', `endpoint is required with product ${quote(product)}`);
    }
    if (cname || pathStyle) {
      throw new OssSignError(
        'INVALID_ENDPOINT',
        `endpoint is required with ${cname ? 'cname' : 'pathStyle'}`,
      );
    }
    if (region === undefined) {
      throw new OssSignError(
        'INVALID_REGION',
        'region is required (or an endpoint): it names the OSS endpoint',
      );
    }
    return {
      bucket,
      region,
      product,
      origin: `https://${bucket}.oss-${region}.aliyuncs.com`,
      pathPrefix: '',
    };
  }
  const { scheme, host } = parseBaseUrl(endpoint, 'endpoint', 'https://oss-cn-hangzhou.aliyuncs.com');
  if (cname) return { bucket, region, product, origin: `${scheme}://${host}`, pathPrefix: '' };
  if (pathStyle || IP_HOST.test(host) || host === 'localhost' || host.startsWith('localhost:')) {
    return { bucket, region, product, origin: `${scheme}://${host}`, pathPrefix: `/${bucket}` };
  }
  if (host.startsWith(`${bucket}.`)) {
    throw new OssSignError(
      'INVALID_ENDPOINT',
      `endpoint ${quote(host)} already names the bucket: give the region endpoint (${quote(host.slice(bucket.length + 1))}), or set cname: true`,
    );
  }
  return { bucket, region, product, origin: `${scheme}://${bucket}.${host}`, pathPrefix: '' };
}

/** How object URLs are written: `cname` and `pathStyle`, booleans, not both. */
export function resolveAddressing(raw: RawOptions): { cname: boolean; pathStyle: boolean } {
  const { cname, pathStyle } = raw;
  if (cname !== undefined && typeof cname !== 'boolean') {
    throw new OssSignError('INVALID_ARGUMENT', `cname must be a boolean (got ${quote(cname)})`);
  }
  if (pathStyle !== undefined && typeof pathStyle !== 'boolean') {
    throw new OssSignError('INVALID_ARGUMENT', `pathStyle must be a boolean (got ${quote(pathStyle)})`);
  }
  if (cname && pathStyle)
    throw new OssSignError('INVALID_ENDPOINT', 'cname and pathStyle cannot both be set');
  return { cname: cname === true, pathStyle: pathStyle === true };
}

/** The region a V4 signature is scoped to. */
export function requireRegion(location: { region: string | undefined }, what: string): string {
  if (location.region === undefined)
    throw new OssSignError('INVALID_REGION', `region is required to sign ${what} with V4`);
  return location.region;
}
