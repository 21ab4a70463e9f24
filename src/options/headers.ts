import { OssSignError } from '../errors.js';
import { isHttpToken, isPrintableAscii } from '../oss/names.js';
import { quote } from '../quote.js';
import { RequestHeaders } from '../signer/request-headers.js';

/**
 * The caller's headers (any case) and the `contentType` / `contentMd5` shorthands. Values stay as
 * given; the canonical strings trim what they sign, as the official SDKs do.
 */
export function collectHeaders(
  headers: unknown,
  contentType?: unknown,
  contentMd5?: unknown,
): RequestHeaders {
  const list = new RequestHeaders();
  if (headers !== undefined) {
    if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
      throw new OssSignError('INVALID_HEADER', 'headers must be an object of header names to string values');
    }
    for (const [name, value] of Object.entries(headers)) {
      const lower = name.toLowerCase();
      let checked = checkHeader(name, value, `header ${quote(name)}`);
      if (lower === 'content-type') checked = checkContentType(checked, `header ${quote(name)}`);
      const index = list.lowerNames.indexOf(lower);
      if (index >= 0 && list.values[index] !== checked) {
        throw new OssSignError(
          'INVALID_HEADER',
          `headers has ${quote(list.names[index])} and ${quote(name)} with different values`,
        );
      }
      list.set(name, checked, lower);
    }
  }
  if (contentType !== undefined)
    addShorthand(list, 'Content-Type', 'contentType', checkContentType(contentType, 'contentType'));
  if (contentMd5 !== undefined) addShorthand(list, 'Content-MD5', 'contentMd5', contentMd5);
  return list;
}

function addShorthand(list: RequestHeaders, header: string, option: string, value: unknown): void {
  const checked = checkHeader(header, value, option);
  const lower = header.toLowerCase();
  const given = list.get(lower);
  if (given === undefined) list.set(header, checked, lower);
  else if (given !== checked) {
    throw new OssSignError(
      'INVALID_HEADER',
      `${option} ${quote(checked)} contradicts the ${header} header ${quote(given)}`,
    );
  }
}

/** `label` names the value in messages: the header, or the option that set it. */
function checkHeader(name: string, value: unknown, label: string): string {
  if (!isHttpToken(name) || name === '__proto__') {
    throw new OssSignError('INVALID_HEADER', `header name ${quote(name)} is not a valid HTTP token`);
  }
  if (typeof value !== 'string')
    throw new OssSignError('INVALID_HEADER', `${label} must be a string (got ${quote(value)})`);
  if (!isPrintableAscii(value)) {
    throw new OssSignError(
      'INVALID_HEADER',
      `${label} must be printable ASCII (clients send header bytes as Latin-1, so other characters break the signature): percent-encode the value, e.g. with encodeURIComponent`,
    );
  }
  return value;
}

/** A MIME wildcard (any type, or any subtype of one), with or without parameters. */
const MIME_WILDCARD = /^\s*(?:\*|[^\s/;]+\/\*|\*\/[^\s;]*)\s*(?:;|$)/;

/** A MIME type as a header value: OSS compares it as text, so `image/*` would only match itself. */
export function checkContentType(value: unknown, name: string): string {
  if (typeof value === 'string' && MIME_WILDCARD.test(value)) {
    throw new OssSignError(
      'INVALID_HEADER',
      `${name} ${quote(value)} has a wildcard, but OSS compares content types as text: use an exact type, or in a POST policy { startsWith: ${quote(value.slice(0, value.indexOf('*')))} }`,
    );
  }
  return value as string;
}
