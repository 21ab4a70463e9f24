import { isHttpToken } from '../../oss/names.js';
import { invalidArgument, ServiceError } from '../errors.js';
import {
  MAX_FORM_FIELD_NAME,
  MAX_FORM_FIELD_VALUE,
  MAX_FORM_FIELDS,
  MAX_FORM_PART_HEADERS,
} from '../limits.js';

/** A PostObject form: its fields by lower-case name, and the file part. */
export interface MultipartForm {
  fields: Map<string, string>;
  file: { filename: string; contentType: string | undefined; data: Buffer };
}

const BLANK_LINE = Buffer.from('\r\n\r\n');
/** RFC 2046 `bchars`: 1 to 70 of these, the last not a space. */
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

function malformed(): ServiceError {
  return new ServiceError(
    400,
    'MalformedPOSTRequest',
    'The body of your POST request is not well-formed multipart/form-data.',
  );
}

/**
 * Reads a multipart/form-data body (RFC 7578, delimiters as RFC 2046 defines them) up to and including
 * the part named `file` (any case); the parts after it are ignored. Field names are lower-cased, since OSS
 * matches them case-insensitively. A delimiter is CRLF, `--` and the boundary, then optional spaces or
 * tabs and CRLF (another part) or `--` (the end): the same bytes followed by anything else are data. A
 * preamble before the first delimiter is skipped. OSS's limits on field names, values and all the values
 * before the file are checked as the parts are read; every search moves forward, so the work is linear
 * in the body.
 */
export function parseMultipartForm(body: Buffer, contentType: string): MultipartForm {
  const type = parseHeaderValue(contentType);
  if (type.value.toLowerCase() !== 'multipart/form-data') {
    throw new ServiceError(
      400,
      'RequestIsNotMultiPartContent',
      'Bucket POST must be of the enclosure-type multipart/form-data.',
    );
  }
  const boundary = type.parameters.get('boundary');
  if (boundary === undefined || !BOUNDARY.test(boundary)) throw malformed();
  const delimiter = Buffer.from(`\r\n--${boundary}`);

  // The first delimiter may open the body without its CRLF; otherwise a preamble comes before it.
  const opensBody =
    body.subarray(0, delimiter.length - 2).equals(delimiter.subarray(2)) &&
    afterDelimiter(body, delimiter, -2) !== undefined;
  let at = opensBody ? -2 : findDelimiter(body, delimiter, 0);
  const fields = new Map<string, string>();
  let fieldBytes = 0;
  for (;;) {
    if (at === -1) throw malformed();
    const partAt = afterDelimiter(body, delimiter, at);
    if (partAt === 'end') break;
    if (partAt === undefined) throw malformed();
    // The blank line ending the headers: the CRLF before them (of the delimiter) counts for an empty block.
    const headersEnd = body.subarray(0, partAt + MAX_FORM_PART_HEADERS + 2).indexOf(BLANK_LINE, partAt - 2);
    if (headersEnd < 0) {
      if (body.length > partAt + MAX_FORM_PART_HEADERS) {
        throw invalidArgument(`A form part has more than ${MAX_FORM_PART_HEADERS} bytes of headers.`);
      }
      throw malformed();
    }
    const part = readPartHeaders(body.toString('utf8', partAt, headersEnd));
    const dataAt = headersEnd + 4;
    const dataEnd = findDelimiter(body, delimiter, dataAt);
    if (dataEnd < 0) throw malformed();
    const name = part.name.toLowerCase();
    if (name === 'file') {
      const data = body.subarray(dataAt, dataEnd);
      return { fields, file: { filename: part.filename ?? '', contentType: part.contentType, data } };
    }
    if (dataEnd - dataAt > MAX_FORM_FIELD_VALUE) {
      throw invalidArgument(`The value of form field ${name} exceeds ${MAX_FORM_FIELD_VALUE} bytes.`);
    }
    fieldBytes += dataEnd - dataAt;
    if (fieldBytes > MAX_FORM_FIELDS) {
      throw invalidArgument(`The form fields before the file exceed ${MAX_FORM_FIELDS} bytes.`, {
        EC: '0006-00000112',
      });
    }
    if (fields.has(name)) throw invalidArgument(`The form has more than one field named ${name}.`);
    fields.set(name, body.toString('utf8', dataAt, dataEnd));
    at = dataEnd;
  }
  throw invalidArgument('The form has no file field: PostObject needs one, as its last field.');
}

/**
 * The next delimiter at or after `from`: CRLF--boundary followed by padding and CRLF, or by `--`. The
 * position is that of its CRLF.
 */
function findDelimiter(body: Buffer, delimiter: Buffer, from: number): number {
  for (let at = body.indexOf(delimiter, from); at >= 0; at = body.indexOf(delimiter, at + 1)) {
    if (afterDelimiter(body, delimiter, at) !== undefined) return at;
  }
  return -1;
}

/**
 * What follows the delimiter at `at`: `'end'` for the close delimiter, the start of the next part's
 * headers after padding and CRLF, or `undefined` when it is no delimiter. The padding is short in any
 * real form, and it is skipped once per delimiter found, so this stays linear.
 */
function afterDelimiter(body: Buffer, delimiter: Buffer, at: number): number | 'end' | undefined {
  let next = at + delimiter.length;
  if (body[next] === 0x2d && body[next + 1] === 0x2d) return 'end';
  while (body[next] === 0x20 || body[next] === 0x09) next++;
  return body[next] === 0x0d && body[next + 1] === 0x0a ? next + 2 : undefined;
}

interface PartHeaders {
  name: string;
  filename?: string;
  contentType?: string;
}

function readPartHeaders(text: string): PartHeaders {
  let name: string | undefined;
  let filename: string | undefined;
  let contentType: string | undefined;
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) {
      if (line === '') continue;
      throw malformed();
    }
    const header = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (header === 'content-type') contentType = value;
    if (header === 'content-disposition') {
      const disposition = parseHeaderValue(value);
      if (disposition.value.toLowerCase() !== 'form-data') throw malformed();
      name = disposition.parameters.get('name');
      filename = disposition.parameters.get('filename');
    }
  }
  if (name === undefined) throw malformed();
  if (Buffer.byteLength(name) > MAX_FORM_FIELD_NAME) {
    throw invalidArgument(`A form field name exceeds ${MAX_FORM_FIELD_NAME} bytes.`, { EC: '0006-00000110' });
  }
  return {
    name,
    ...(filename !== undefined && { filename }),
    ...(contentType !== undefined && { contentType }),
  };
}

/**
 * `value; name=token; other="quoted"` as the value and its parameters (names lower-cased, the first of
 * a repeated name kept). A quoted value runs to the next `"`: browsers percent-encode quotes in names
 * and file names rather than escape them, and a backslash is a file name's own (`C:\fakepath\a.txt`).
 */
function parseHeaderValue(text: string): { value: string; parameters: Map<string, string> } {
  const parameters = new Map<string, string>();
  let at = text.indexOf(';');
  const value = (at < 0 ? text : text.slice(0, at)).trim();
  while (at >= 0) {
    const equals = text.indexOf('=', at + 1);
    if (equals < 0) break;
    const name = text
      .slice(at + 1, equals)
      .trim()
      .toLowerCase();
    let start = equals + 1;
    while (text[start] === ' ' || text[start] === '\t') start++;
    let parameter: string;
    if (text[start] === '"') {
      const close = text.indexOf('"', start + 1);
      if (close < 0) throw malformed();
      parameter = text.slice(start + 1, close);
      at = text.indexOf(';', close + 1);
    } else {
      at = text.indexOf(';', start);
      parameter = (at < 0 ? text.slice(start) : text.slice(start, at)).trim();
    }
    if (!isHttpToken(name)) throw malformed();
    if (!parameters.has(name)) parameters.set(name, parameter);
  }
  return { value, parameters };
}
