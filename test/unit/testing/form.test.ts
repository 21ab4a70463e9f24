/**
 * The PostObject form reader against RFC 7578 (delimiters as RFC 2046 defines them): files that hold
 * fake delimiters keep every byte, and OSS's size limits are checked on what was really sent.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ServiceError } from '../../../src/testing/errors.js';
import { type MultipartForm, parseMultipartForm } from '../../../src/testing/post-object/form.js';

const BOUNDARY = '----WebKitFormBoundaryW0DET1iaBMeAOBg3';
const TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

/** A form as browsers write it: each field, then the file, then the close delimiter. */
function form(fields: Record<string, string>, file: Buffer | string, boundary = BOUNDARY): Buffer {
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return Buffer.concat([
    Buffer.from(
      `${parts.join('')}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    Buffer.from(file),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}

function parse(body: Buffer | string, type = TYPE): MultipartForm {
  return parseMultipartForm(Buffer.from(body), type);
}

function refusal(body: Buffer | string, type = TYPE): ServiceError {
  try {
    parse(body, type);
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
  throw new Error('the form was accepted');
}

describe('a file keeps its bytes', () => {
  test.each([
    { holds: 'a fake delimiter (CRLF--boundary then X)', file: `head\r\n--${BOUNDARY}X tail` },
    { holds: 'a fake close delimiter glued to data', file: `head\r\n--${BOUNDARY}-X` },
    { holds: 'the boundary at its start, without CRLF before it', file: `--${BOUNDARY}\r\nmore` },
    { holds: 'a prefix of the delimiter at its very end', file: `data\r\n--${BOUNDARY.slice(0, 10)}` },
    { holds: 'a lone CR and LF at its end', file: 'data\r' },
    { holds: 'nothing', file: '' },
    { holds: 'every byte value', file: Buffer.from(Array.from({ length: 256 }, (_, i) => i)) },
  ])('when it holds $holds', ({ file }) => {
    const parsed = parse(form({ key: 'k' }, file));
    expect(parsed.file.data.equals(Buffer.from(file))).toBe(true);
    expect(parsed.fields.get('key')).toBe('k');
  });

  test('a 198-byte file with a fake delimiter has 198 bytes (the size a policy limit sees)', () => {
    const file = Buffer.concat([
      Buffer.alloc(40, 'a'),
      Buffer.from(`\r\n--${BOUNDARY}X`),
      Buffer.alloc(198 - 40 - BOUNDARY.length - 5, 'b'),
    ]);
    expect(file.length).toBe(198);
    expect(parse(form({ key: 'k' }, file)).file.data.length).toBe(198);
  });

  test('property: whatever the file holds, it is read whole unless it holds a real delimiter', () => {
    const pieces = fc.constantFrom(
      `\r\n--${BOUNDARY}`,
      `--${BOUNDARY}`,
      `\r\n--${BOUNDARY.slice(0, 7)}`,
      '\r\n',
      '\r',
      '\n',
      '--',
      '-',
      ' ',
      '\t',
      'X',
    );
    const file = fc
      .array(
        fc.oneof({ weight: 4, arbitrary: pieces }, { weight: 1, arbitrary: fc.string({ maxLength: 3 }) }),
        {
          maxLength: 10,
        },
      )
      .map((p) => p.join(''));
    // An independent reading of RFC 2046: where is the first delimiter after the file's start?
    const delimiter = new RegExp(`\\r\\n--${BOUNDARY}(--|[ \\t]*\\r\\n)`);
    fc.assert(
      fc.property(file, (content) => {
        const realEnd = `${content}\r\n--${BOUNDARY}--\r\n`.search(delimiter);
        const parsed = parse(form({ key: 'k' }, content));
        expect(parsed.file.data.toString('latin1')).toBe(content.slice(0, realEnd));
      }),
      { numRuns: 500 },
    );
  });
});

describe('the structure RFC 7578 allows', () => {
  test('a preamble before the first delimiter and an epilogue after the last', () => {
    const body = Buffer.concat([
      Buffer.from('This is the preamble.\r\n'),
      form({ key: 'k' }, 'data'),
      Buffer.from('epilogue'),
    ]);
    expect(parse(body).file.data.toString()).toBe('data');
  });

  test('a quoted boundary, with a space in it', () => {
    const boundary = 'my boundary';
    const parsed = parse(
      form({ key: 'k' }, 'data', boundary),
      `multipart/form-data; charset=utf-8; boundary="${boundary}"`,
    );
    expect(parsed.file.data.toString()).toBe('data');
  });

  test('spaces after a delimiter (transport padding)', () => {
    const body = form({ key: 'k' }, 'data')
      .toString()
      .replaceAll(`--${BOUNDARY}\r\n`, `--${BOUNDARY}  \t\r\n`);
    expect(parse(body).file.data.toString()).toBe('data');
  });

  test('field names in any case, the first file field ending the form', () => {
    const body = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="KEY"\r\n\r\nk\r\n--${BOUNDARY}\r\ncontent-disposition: form-data; name="File"; filename="C:\\fakepath\\a.txt"\r\n\r\ndata\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="after"\r\n\r\nignored\r\n--${BOUNDARY}--`;
    const parsed = parse(body);
    expect([...parsed.fields]).toEqual([['key', 'k']]);
    expect(parsed.file.filename).toBe('C:\\fakepath\\a.txt');
    expect(parsed.file.data.toString()).toBe('data');
  });
});

describe('refused', () => {
  test.each([
    { what: 'LF-only line ends', body: form({ key: 'k' }, 'data').toString().replaceAll('\r\n', '\n') },
    { what: 'no delimiter at all', body: 'just text' },
    {
      what: 'a file part never closed',
      body: form({ key: 'k' }, 'data').subarray(0, -(BOUNDARY.length + 8)),
    },
    {
      what: 'a part without a name',
      body: `--${BOUNDARY}\r\nContent-Disposition: form-data\r\n\r\nx\r\n--${BOUNDARY}--`,
    },
    { what: 'a part with no headers', body: `--${BOUNDARY}\r\n\r\nx\r\n--${BOUNDARY}--` },
    { what: 'a header line without a colon', body: `--${BOUNDARY}\r\nnonsense\r\n\r\nx\r\n--${BOUNDARY}--` },
  ])('$what: MalformedPOSTRequest', ({ body }) => {
    expect(refusal(body).code).toBe('MalformedPOSTRequest');
  });

  test.each([
    { what: 'no boundary', type: 'multipart/form-data' },
    { what: 'a boundary of 71 characters', type: `multipart/form-data; boundary=${'b'.repeat(71)}` },
    { what: 'a boundary ending with a space', type: 'multipart/form-data; boundary="b "' },
  ])('$what: MalformedPOSTRequest', ({ type }) => {
    expect(refusal(form({ key: 'k' }, 'x'), type).code).toBe('MalformedPOSTRequest');
  });

  test('another content type: RequestIsNotMultiPartContent', () => {
    expect(refusal('key=k', 'application/x-www-form-urlencoded').code).toBe('RequestIsNotMultiPartContent');
  });

  test('no file field, or a field sent twice: InvalidArgument', () => {
    expect(
      refusal(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="key"\r\n\r\nk\r\n--${BOUNDARY}--`).code,
    ).toBe('InvalidArgument');
    expect(refusal(form({ key: 'k', Key: 'other' }, 'x')).code).toBe('InvalidArgument');
  });
});

describe("OSS's limits", () => {
  test('a field name over 8 KB (EC 0006-00000110)', () => {
    const error = refusal(form({ ['n'.repeat(8 * 1024 + 1)]: 'v' }, 'x'));
    expect([error.code, error.extra.EC]).toEqual(['InvalidArgument', '0006-00000110']);
    expect(parse(form({ ['n'.repeat(8 * 1024)]: 'v' }, 'x')).fields.size).toBe(1);
  });

  test('a field value over 2 MB', () => {
    expect(refusal(form({ big: 'v'.repeat(2 * 1024 * 1024 + 1) }, 'x')).code).toBe('InvalidArgument');
    expect(parse(form({ big: 'v'.repeat(2 * 1024 * 1024) }, 'x')).fields.get('big')).toHaveLength(
      2 * 1024 * 1024,
    );
  });

  test('values before the file over 8 MB together (EC 0006-00000112)', () => {
    const fields = Object.fromEntries(
      Array.from({ length: 5 }, (_, i) => [`f${i}`, 'v'.repeat(2 * 1024 * 1024)]),
    );
    const error = refusal(form(fields, 'x'));
    expect([error.code, error.extra.EC]).toEqual(['InvalidArgument', '0006-00000112']);
  });

  test('part headers over 17 KiB', () => {
    const body = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="k"\r\nX-Pad: ${'p'.repeat(20_000)}\r\n\r\nv\r\n--${BOUNDARY}--`;
    expect(refusal(body).code).toBe('InvalidArgument');
  });
});

describe('bodies built to make a parser rescan are read in one pass', () => {
  const MB2 = 2 * 1024 * 1024;
  test.each([
    {
      shape: 'a file of fake delimiters',
      body: form({ key: 'k' }, `\r\n--${BOUNDARY}X`.repeat(MB2 / (BOUNDARY.length + 5))),
      ok: true,
    },
    {
      shape: 'fake delimiters with long padding',
      body: form({ key: 'k' }, `\r\n--${BOUNDARY}${' '.repeat(200)}X`.repeat(MB2 / 250)),
      ok: true,
    },
    {
      shape: 'parts with no blank line after their headers',
      body: `--${BOUNDARY}\r\n${'Content-Disposition: form-data; name="a"\r\n'.repeat(MB2 / 42)}`,
      ok: false,
    },
    {
      shape: 'many tiny fields',
      body: `${`--${BOUNDARY}\r\nContent-Disposition: form-data; name="a"\r\n\r\n\r\n`.repeat(MB2 / 90)}--${BOUNDARY}--`,
      ok: false,
    },
  ])('$shape (2 MiB)', ({ body, ok }) => {
    const started = performance.now();
    if (ok) expect(parse(body).file.data.length).toBeGreaterThan(0);
    else expect(refusal(body).status).toBe(400);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
