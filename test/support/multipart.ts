import { randomBytes } from 'node:crypto';

export interface FormFile {
  /** The part's `filename`: no `"`, CR or LF (they would need an escaping browsers disagree on). */
  name: string;
  /** The part's own Content-Type; none when undefined. */
  type: string | undefined;
  content: Buffer;
}

/**
 * A multipart/form-data body (RFC 7578) written byte by byte: the fields in order, then the file, as a
 * browser sends a PostObject form. Written here rather than by FormData so that the test decides every
 * byte (part headers, file name, a part without Content-Type).
 */
export function multipartForm(
  fields: readonly (readonly [name: string, value: string])[],
  file: FormFile,
): { body: Buffer; contentType: string } {
  const boundary = `----oss-direct-upload-${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of fields) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  const type = file.type === undefined ? '' : `Content-Type: ${file.type}\r\n`;
  chunks.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n${type}\r\n`,
    ),
    file.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
