// What OSS checks of an upload callback (API reference "Callback": 400 InvalidArgument otherwise).
// The local endpoint will check callbacks it receives with these same rules.
import { OssSignError, quote } from '../errors.js';

/** `callbackUrl` holds at most five URLs, joined by ';'. */
export const MAX_CALLBACK_URLS = 5;

/** The `callback` and `callback-var` values, as sent (base64), are at most 5 KB each. */
export const MAX_CALLBACK_PARAMETER_LENGTH = 5 * 1024;

const DEFAULT_BODY_TYPE = 'application/x-www-form-urlencoded';
export const BODY_TYPES: ReadonlySet<string> = new Set([DEFAULT_BODY_TYPE, 'application/json']);

/** The `${name}` variables OSS fills in itself. */
export const SYSTEM_VARIABLES: ReadonlySet<string> = new Set([
  'bucket',
  'object',
  'etag',
  'size',
  'mimeType',
  'imageInfo.height',
  'imageInfo.width',
  'imageInfo.format',
  'crc64',
  'contentMd5',
  'vpcId',
  'clientIp',
  'reqId',
  'operation',
]);

/** Custom variable keys are `x:` and a lower-case name; these characters also survive `${x:name}`. */
const CUSTOM_VARIABLE_NAME = /^[a-z0-9_.-]+$/;
const HOST = /^[A-Za-z0-9._-]+$/;
const PORT = /^[0-9]{1,5}$/;

export function invalidCallback(message: string): OssSignError {
  return new OssSignError('INVALID_CALLBACK', message);
}

/** A custom variable's name without its `x:` prefix. */
export function checkCustomVariableName(name: string, argument: string): void {
  if (!CUSTOM_VARIABLE_NAME.test(name)) {
    throw invalidCallback(
      `${argument}: custom variable name ${quote(name)} must be lower-case letters, digits, '_', '-' or '.' (OSS refuses others; 'x:' is added for you)`,
    );
  }
}

/**
 * `host[:port]` of a callback URL or of `callbackHost`: a domain name or IPv4 address. OSS refuses
 * IPv6 (literals and names resolving to one) and a port that is not a number in 1..65535.
 */
export function checkHostAndPort(authority: string, argument: string): void {
  if (authority.startsWith('[') || authority.split(':').length > 2) {
    throw invalidCallback(`${argument}: OSS does not call IPv6 addresses (got ${quote(authority)})`);
  }
  const colon = authority.indexOf(':');
  const host = colon === -1 ? authority : authority.slice(0, colon);
  if (!HOST.test(host)) {
    throw invalidCallback(
      `${argument}: host must be a domain name or IPv4 address of A-Z, a-z, 0-9, '.', '-' and '_' (an internationalised name in its xn-- form) (got ${quote(authority)})`,
    );
  }
  if (colon === -1) return;
  const port = authority.slice(colon + 1);
  if (!PORT.test(port) || Number(port) < 1 || Number(port) > 65_535) {
    throw invalidCallback(`${argument}: port must be a number in 1..65535 (got ${quote(port)})`);
  }
}

/** OSS refuses a `callback` or `callback-var` value over 5 KB. */
export function checkParameterLength(value: string, parameter: string): void {
  if (value.length > MAX_CALLBACK_PARAMETER_LENGTH) {
    throw invalidCallback(
      `the ${parameter} parameter would be ${value.length} characters of base64; OSS accepts at most ${MAX_CALLBACK_PARAMETER_LENGTH} (5 KB)`,
    );
  }
}
