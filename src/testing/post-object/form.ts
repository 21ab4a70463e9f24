import { invalidArgument, ServiceError } from '../errors.js';

/** A PostObject form: its fields by lower-case name, and the file part. */
export interface PostForm {
  fields: Map<string, string>;
  file: { filename: string; contentType: string | undefined; data: Buffer };
}

function malformed(): ServiceError {
  return new ServiceError(
    400,
    'MalformedPOSTRequest',
    'The body of your POST request is not well-formed multipart/form-data.',
  );
}

/**
 * Reads a multipart/form-data body (RFC 7578) up to and including the part named `file` (any case); parts
 * after it are ignored, as OSS does. Field names are lower-cased, since OSS matches them case-insensitively.
 * A delimiter is CRLF, `--`, the boundary, then CRLF or `--`: the same bytes followed by anything else are
 * data. Every search moves forward, so the work is linear in the body.
 */
export function parseMultipartForm(body: Buffer, contentType: string): PostForm {
  if (!/^multipart\/form-data\s*(;|$)/i.test(contentType)) {
    throw new ServiceError(
      400,
      'RequestIsNotMultiPartContent',
      'Bucket POST must be of the enclosure-type multipart/form-data.',
    );
  }
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (boundary === undefined) throw malformed();
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // The first delimiter may open the body without the CRLF.
  const opening = body.subarray(0, delimiter.length - 2).equals(delimiter.subarray(2))
    ? 0
    : findDelimiter(body, delimiter, 0);
  if (opening < 0) throw malformed();

  const fields = new Map<string, string>();
  let position = opening + (opening === 0 ? delimiter.length - 2 : delimiter.length);
  while (body[position] === 0x0d && body[position + 1] === 0x0a) {
    const headersEnd = body.indexOf('\r\n\r\n', position);
    if (headersEnd < 0) throw malformed();
    const part = readPartHeaders(body.toString('utf8', position + 2, headersEnd));
    const dataEnd = findDelimiter(body, delimiter, headersEnd + 4);
    if (dataEnd < 0 || part.name === undefined) throw malformed();
    const data = body.subarray(headersEnd + 4, dataEnd);
    position = dataEnd + delimiter.length;
    const name = part.name.toLowerCase();
    if (name === 'file')
      return { fields, file: { filename: part.filename ?? '', contentType: part.contentType, data } };
    if (fields.has(name)) throw invalidArgument(`The form has more than one field named ${name}.`);
    fields.set(name, data.toString('utf8'));
  }
  throw invalidArgument('The form has no file field: PostObject needs one, as its last field.');
}

/** The next CRLF--boundary that is a delimiter: followed by CRLF (another part) or `--` (the end). */
function findDelimiter(body: Buffer, delimiter: Buffer, from: number): number {
  for (let at = body.indexOf(delimiter, from); at >= 0; at = body.indexOf(delimiter, at + 1)) {
    const next = at + delimiter.length;
    if ((body[next] === 0x0d && body[next + 1] === 0x0a) || (body[next] === 0x2d && body[next + 1] === 0x2d))
      return at;
  }
  return -1;
}

function readPartHeaders(text: string): { name?: string; filename?: string; contentType?: string } {
  const part: { name?: string; filename?: string; contentType?: string } = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    const header = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (header === 'content-type') part.contentType = value;
    if (header === 'content-disposition') {
      const name = dispositionParameter(value, 'name');
      const filename = dispositionParameter(value, 'filename');
      if (name !== undefined) part.name = name;
      if (filename !== undefined) part.filename = filename;
    }
  }
  return part;
}

const DISPOSITION_PARAMETER = /;\s*([A-Za-z*]+)=(?:"([^"]*)"|([^;\s]*))/g;

function dispositionParameter(disposition: string, parameter: string): string | undefined {
  for (const [, name, quoted, bare] of disposition.matchAll(DISPOSITION_PARAMETER)) {
    if (name?.toLowerCase() === parameter) return quoted ?? bare;
  }
  return undefined;
}
