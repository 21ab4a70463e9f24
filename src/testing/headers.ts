import { ServiceError } from './errors.js';
import { MAX_USER_METADATA } from './limits.js';

/**
 * The headers an object keeps, from the request headers or form fields that create it, by OSS's rules
 * for them. Values are text; the endpoint sends non-ASCII text as its UTF-8 bytes.
 */

/** Headers (or PostObject fields) that an object keeps and GetObject answers with, besides `x-oss-meta-*`. */
const KEPT_HEADERS = new Set([
  'content-type',
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'expires',
]);
const USER_METADATA = 'x-oss-meta-';
/** Letters, digits and `-` (EC 0011-00000004); names arrive lower-cased, as OSS stores them. */
const USER_METADATA_NAME = /^x-oss-meta-[a-z0-9-]+$/;
/** OSS refuses other characters in a metadata value (EC 0011-00000005): printable ASCII only. */
const USER_METADATA_VALUE = /^[\t\x20-\x7e]*$/;
/** C0 controls but tab, and DEL: what no header value can carry. */
const CONTROL = /[^\t\x20-\x7e\u0080-\uffff]/;
const NOT_ASCII = /[\u0080-\uffff]/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function invalid(message: string, ec?: string): ServiceError {
  return new ServiceError(400, 'InvalidArgument', message, ec === undefined ? {} : { EC: ec });
}

/** A header value the endpoint will send back: any text but control characters. */
export function checkHeaderText(name: string, value: string): string {
  if (CONTROL.test(value)) throw invalid(`The value of ${name} contains a control character.`);
  return value;
}

/**
 * A request header's value as text: Node gives each byte received as one Latin-1 character, and clients
 * send UTF-8.
 */
export function headerText(name: string, value: string): string {
  if (!NOT_ASCII.test(value)) return value;
  try {
    return UTF8.decode(Buffer.from(value, 'latin1'));
  } catch {
    throw invalid(`The value of the ${name} header is not UTF-8.`);
  }
}

/** Header values are text; on the wire, non-ASCII text goes as its UTF-8 bytes (one Latin-1 character each). */
export function wireHeaders(headers: Record<string, string>): Record<string, string> {
  const wire: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    wire[name] = NOT_ASCII.test(value) ? Buffer.from(value, 'utf8').toString('latin1') : value;
  }
  return wire;
}

/** The headers an object is stored with, from the request headers that create it. */
export function objectHeadersFrom(headers: Readonly<Record<string, string>>): Record<string, string> {
  const entries: [string, string][] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (KEPT_HEADERS.has(name) || name.startsWith(USER_METADATA))
      entries.push([name, headerText(name, value)]);
  }
  return keptHeaders(entries);
}

/** The headers an object is stored with, from the fields of a PostObject form (lower-case names). */
export function objectHeadersFromForm(
  fields: ReadonlyMap<string, string>,
  contentType: string,
): Record<string, string> {
  const entries: [string, string][] = [];
  for (const [name, value] of fields) {
    if (name !== 'content-type' && (KEPT_HEADERS.has(name) || name.startsWith(USER_METADATA))) {
      entries.push([name, value]);
    }
  }
  entries.push(['content-type', contentType]);
  return keptHeaders(entries);
}

function keptHeaders(entries: readonly (readonly [string, string])[]): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
  let metadataSize = 0;
  for (const [name, value] of entries) {
    if (name.startsWith(USER_METADATA)) {
      if (!USER_METADATA_NAME.test(name)) {
        throw invalid(`${name}: a metadata name has only letters, digits and '-'.`, '0011-00000004');
      }
      if (!USER_METADATA_VALUE.test(value)) {
        throw invalid(
          `${name}: OSS accepts printable ASCII in metadata values; encode other text (percent or base64).`,
          '0011-00000005',
        );
      }
      metadataSize += name.length + value.length;
      if (metadataSize > MAX_USER_METADATA) {
        throw invalid(
          `The x-oss-meta-* names and values exceed ${MAX_USER_METADATA} bytes.`,
          '0011-00000002',
        );
      }
    }
    // An empty Content-Type leaves the default.
    if (value !== '' || name !== 'content-type') headers[name] = checkHeaderText(name, value);
  }
  return headers;
}
