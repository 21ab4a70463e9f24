/**
 * The CompleteMultipartUpload reader: the documents clients send, the ones OSS refuses, and bodies built
 * to make a backtracking pattern take seconds, which a forward-only reader gets through at once.
 */
import { describe, expect, test } from 'vitest';
import { readCompleteMultipartUpload } from '../../../src/testing/complete-xml.js';
import { ServiceError } from '../../../src/testing/errors.js';

const ETAG = '"3349DC700140D7F86A0784842780ABCD"';

function refusal(body: string): ServiceError {
  try {
    readCompleteMultipartUpload(body);
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
  throw new Error('the body was accepted');
}

describe('accepts', () => {
  test.each([
    {
      client: 'ali-oss (declaration, a newline after each tag)',
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUpload>\n<Part>\n<PartNumber>1</PartNumber>\n<ETag>${ETAG}</ETag>\n</Part>\n<Part>\n<PartNumber>2</PartNumber>\n<ETag>${ETAG}</ETag>\n</Part>\n</CompleteMultipartUpload>`,
    },
    {
      client: 'an S3-style SDK (xmlns, escaped quotes, ETag first, a checksum element)',
      body: `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Part><ETag>&quot;3349DC700140D7F86A0784842780ABCD&quot;</ETag><ChecksumCRC32>AAAA</ChecksumCRC32><PartNumber>1</PartNumber></Part><Part><ETag>&#34;3349DC700140D7F86A0784842780ABCD&#x22;</ETag><PartNumber>2</PartNumber></Part></CompleteMultipartUpload>`,
    },
    {
      client: 'pretty-printed, with a byte-order mark and trailing whitespace',
      body: `\ufeff<?xml version="1.0"?>\r\n<CompleteMultipartUpload >\r\n  <Part >\r\n    <PartNumber> 1 </PartNumber>\r\n    <ETag>  ${ETAG}  </ETag>\r\n  </Part>\r\n  <Part><PartNumber>2</PartNumber><ETag>${ETAG}</ETag></Part>\r\n</CompleteMultipartUpload >\r\n\r\n`,
    },
  ])('$client', ({ body }) => {
    expect(readCompleteMultipartUpload(body)).toEqual([
      { partNumber: 1, etag: ETAG },
      { partNumber: 2, etag: ETAG },
    ]);
  });

  test('no part at all is an empty list (the operation then refuses it)', () => {
    expect(readCompleteMultipartUpload('<CompleteMultipartUpload></CompleteMultipartUpload>')).toEqual([]);
  });

  test('10,000 parts, the most OSS takes', () => {
    const parts = Array.from(
      { length: 10_000 },
      (_, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${ETAG}</ETag></Part>`,
    );
    const listed = readCompleteMultipartUpload(
      `<CompleteMultipartUpload>${parts.join('\n')}</CompleteMultipartUpload>`,
    );
    expect(listed).toHaveLength(10_000);
    expect(listed.at(-1)).toEqual({ partNumber: 10_000, etag: ETAG });
  });
});

describe('refuses with MalformedXML', () => {
  const part = `<Part><PartNumber>1</PartNumber><ETag>${ETAG}</ETag></Part>`;
  test.each([
    { what: 'an empty body', body: '' },
    { what: 'another root', body: `<Complete>${part}</Complete>` },
    {
      what: 'a root whose name only starts the same',
      body: `<CompleteMultipartUploadX>${part}</CompleteMultipartUploadX>`,
    },
    { what: 'no closing root', body: `<CompleteMultipartUpload>${part}` },
    { what: 'text after the root', body: `<CompleteMultipartUpload>${part}</CompleteMultipartUpload>x` },
    {
      what: 'a part without an ETag',
      body: '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>',
    },
    {
      what: 'a part without a number',
      body: `<CompleteMultipartUpload><Part><ETag>${ETAG}</ETag></Part></CompleteMultipartUpload>`,
    },
    {
      what: 'a part number that is no number',
      body: `<CompleteMultipartUpload><Part><PartNumber>1e3</PartNumber><ETag>${ETAG}</ETag></Part></CompleteMultipartUpload>`,
    },
    {
      what: 'an unclosed part',
      body: `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${ETAG}</ETag></CompleteMultipartUpload>`,
    },
    {
      what: 'a stray ampersand',
      body: `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>a&b</ETag></Part></CompleteMultipartUpload>`,
    },
    {
      what: 'a character reference out of Unicode',
      body: `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&#x110000;</ETag></Part></CompleteMultipartUpload>`,
    },
    {
      what: 'a self-closed ETag',
      body: `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag/></Part></CompleteMultipartUpload>`,
    },
    {
      what: 'text between parts',
      body: `<CompleteMultipartUpload>${part}junk${part}</CompleteMultipartUpload>`,
    },
  ])('$what', ({ body }) => {
    expect(refusal(body).code).toBe('MalformedXML');
  });

  test('more than 10,000 parts is InvalidArgument', () => {
    const error = refusal(`<CompleteMultipartUpload>${part.repeat(10_001)}</CompleteMultipartUpload>`);
    expect([error.status, error.code]).toEqual([400, 'InvalidArgument']);
  });
});

describe('bodies built against backtracking are read in one pass', () => {
  const MB2 = 2 * 1024 * 1024;
  // Each shape sent a lazy `[\s\S]*?` pattern scanning to the end of the body once per part.
  test.each([
    {
      shape: 'opening Part tags, never closed',
      body: `<CompleteMultipartUpload>${'<Part>'.repeat(MB2 / 6)}</CompleteMultipartUpload>`,
    },
    {
      shape: 'opening ETag tags, never closed',
      body: `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>${'<ETag>'.repeat(MB2 / 6)}</Part></CompleteMultipartUpload>`,
    },
    {
      shape: 'one long text',
      body: `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${'&amp;'.repeat(MB2 / 5)}`,
    },
    { shape: 'whitespace', body: `<CompleteMultipartUpload>${' '.repeat(MB2)}` },
    { shape: 'an endless tag', body: `<CompleteMultipartUpload ${'a'.repeat(MB2)}` },
  ])('$shape (2 MiB)', ({ body }) => {
    const started = performance.now();
    expect(refusal(body).status).toBe(400);
    // Generous: the pattern it replaces took over a minute on 1.76 MB.
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
