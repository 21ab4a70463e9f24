import { OssSignError } from '../errors.js';
import { quote } from './validate.js';

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** A header or form field name: an RFC 9110 token. */
export function isHttpToken(name: string): boolean {
  return TOKEN.test(name);
}
/** HTTP clients send header values as Latin-1 bytes while signatures hash UTF-8: only ASCII is safe. */
const NOT_PRINTABLE_ASCII = /[^\t\x20-\x7e]/;

/** Request headers by lower-case name, each keeping the name it is sent with. */
export type HeaderMap = Map<string, { name: string; value: string }>;

/**
 * Collects the caller's headers (any case) and the `contentType` / `contentMd5` shorthands.
 * Values stay as given; the canonical strings trim what they sign, as the official SDKs do.
 */
export function collectHeaders(
  headers: Readonly<Record<string, string>> | undefined,
  shorthands?: { contentType?: string | undefined; contentMd5?: string | undefined },
): HeaderMap {
  const map: HeaderMap = new Map();
  if (headers !== undefined) {
    if (typeof headers !== 'object' || headers === null) {
      throw new OssSignError('INVALID_HEADER', 'headers must be an object of header names to string values');
    }
    for (const name in headers) {
      const lower = name.toLowerCase();
      const value = checkHeader(name, headers[name]);
      const previous = map.get(lower);
      if (previous && previous.value !== value) {
        throw new OssSignError(
          'INVALID_HEADER',
          `headers has ${quote(previous.name)} and ${quote(name)} with different values`,
        );
      }
      map.set(lower, { name, value });
    }
  }
  addShorthand(map, 'Content-Type', 'contentType', shorthands?.contentType);
  addShorthand(map, 'Content-MD5', 'contentMd5', shorthands?.contentMd5);
  return map;
}

function addShorthand(map: HeaderMap, header: string, option: string, value: string | undefined): void {
  if (value === undefined) return;
  const checked = checkHeader(header, value, option);
  const lower = header.toLowerCase();
  const given = map.get(lower);
  if (given && given.value !== checked) {
    throw new OssSignError(
      'INVALID_HEADER',
      `${option} ${quote(checked)} contradicts headers[${quote(given.name)}] ${quote(given.value)}`,
    );
  }
  map.set(lower, given ?? { name: header, value: checked });
}

/** `label` names the value in messages: the header, or the option that set it. */
function checkHeader(name: string, value: unknown, label = `header ${quote(name)}`): string {
  if (!isHttpToken(name))
    throw new OssSignError('INVALID_HEADER', `header name ${quote(name)} is not a valid HTTP token`);
  if (typeof value !== 'string') throw new OssSignError('INVALID_HEADER', `${label} must be a string`);
  if (NOT_PRINTABLE_ASCII.test(value)) {
    throw new OssSignError(
      'INVALID_HEADER',
      `${label} must be printable ASCII (clients send header bytes as Latin-1, so other characters break the signature): percent-encode the value, e.g. with encodeURIComponent`,
    );
  }
  return value;
}

/** Sets a header the signer owns, replacing the caller's under any case. */
export function setHeader(map: HeaderMap, name: string, value: string): void {
  map.set(name.toLowerCase(), { name, value });
}

/** Lower-case name to value: what the canonical strings read. */
export function lowerCaseHeaders(map: HeaderMap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [lower, { value }] of map) out[lower] = value;
  return out;
}

/** The headers as the client sends them. */
export function headerRecord(map: HeaderMap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { name, value } of map.values()) out[name] = value;
  return out;
}
