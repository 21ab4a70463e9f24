import { invalidArgument, ServiceError } from './errors.js';
import { MAX_PARTS } from './limits.js';

export function malformedXml(): ServiceError {
  return new ServiceError(
    400,
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema.',
  );
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const REFERENCE = /&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g;
const STRAY_AMPERSAND = /&(?!(?:#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);)/;
const WHOLE_NUMBER = /^[0-9]+$/;

/**
 * The parts listed in a CompleteMultipartUpload body, in the order given. A reader of this one document,
 * not of XML at large: an optional declaration, the root (its attributes, `xmlns` say, ignored), `Part`
 * elements each with a `PartNumber` and an `ETag` (other child elements ignored), whitespace between
 * elements, and entity and character references in text. The reader only moves forward, so the work is
 * linear in the body, whatever it holds.
 */
export function readCompleteMultipartUpload(body: string): { partNumber: number; etag: string }[] {
  const reader = new Reader(body);
  reader.skipProlog();
  reader.open('CompleteMultipartUpload', true);
  const parts: { partNumber: number; etag: string }[] = [];
  while (!reader.closes('CompleteMultipartUpload')) {
    reader.open('Part', false);
    let partNumber: string | undefined;
    let etag: string | undefined;
    while (!reader.closes('Part')) {
      const name = reader.openAny();
      const text = reader.text();
      reader.close(name);
      if (name === 'PartNumber') partNumber = text.trim();
      else if (name === 'ETag') etag = text.trim();
    }
    if (partNumber === undefined || !WHOLE_NUMBER.test(partNumber) || etag === undefined)
      throw malformedXml();
    if (parts.length === MAX_PARTS) {
      throw invalidArgument(`A CompleteMultipartUpload lists at most ${MAX_PARTS} parts.`);
    }
    parts.push({ partNumber: Number(partNumber), etag });
  }
  reader.end();
  return parts;
}

/** A cursor over the document; every method moves it forward or throws MalformedXML. */
class Reader {
  readonly #text: string;
  #at = 0;

  constructor(text: string) {
    this.#text = text;
  }

  /** A byte-order mark, an XML declaration and whitespace. */
  skipProlog(): void {
    if (this.#text.charCodeAt(0) === 0xfeff) this.#at = 1;
    this.#skipSpace();
    if (this.#text.startsWith('<?xml', this.#at)) {
      const end = this.#text.indexOf('?>', this.#at);
      if (end < 0) throw malformedXml();
      this.#at = end + 2;
    }
  }

  /** `<name>`, or with `attributes` allowed, `<name ...>`. */
  open(name: string, attributes: boolean): void {
    this.#skipSpace();
    if (!this.#text.startsWith(`<${name}`, this.#at)) throw malformedXml();
    this.#at += name.length + 1;
    this.#endTag(attributes);
  }

  /** `<anyName>`, giving the name. */
  openAny(): string {
    this.#skipSpace();
    if (this.#text[this.#at] !== '<') throw malformedXml();
    const start = ++this.#at;
    while (this.#at < this.#text.length && isNameChar(this.#text.charCodeAt(this.#at))) this.#at++;
    if (this.#at === start) throw malformedXml();
    const name = this.#text.slice(start, this.#at);
    this.#endTag(false);
    return name;
  }

  /** Whether `</name>` comes next (after whitespace), reading it if so. */
  closes(name: string): boolean {
    this.#skipSpace();
    if (!this.#text.startsWith(`</${name}`, this.#at)) return false;
    this.#at += name.length + 2;
    this.#endTag(false);
    return true;
  }

  close(name: string): void {
    if (!this.closes(name)) throw malformedXml();
  }

  /** Character data up to the next tag, references resolved. */
  text(): string {
    const end = this.#text.indexOf('<', this.#at);
    if (end < 0) throw malformedXml();
    const raw = this.#text.slice(this.#at, end);
    this.#at = end;
    if (!raw.includes('&')) return raw;
    if (STRAY_AMPERSAND.test(raw)) throw malformedXml();
    return raw.replace(REFERENCE, (_, name: string) => ENTITIES[name] ?? characterReference(name));
  }

  /** Only whitespace may follow the root. */
  end(): void {
    this.#skipSpace();
    if (this.#at !== this.#text.length) throw malformedXml();
  }

  /** Optional whitespace (and, with `attributes`, anything but `<`) up to the `>` closing a tag. */
  #endTag(attributes: boolean): void {
    const end = this.#text.indexOf('>', this.#at);
    if (end < 0) throw malformedXml();
    const inside = this.#text.slice(this.#at, end);
    if (attributes ? inside !== '' && !isSpace(inside.charCodeAt(0)) : inside.trim() !== '') {
      throw malformedXml();
    }
    if (inside.includes('<')) throw malformedXml();
    this.#at = end + 1;
  }

  #skipSpace(): void {
    while (this.#at < this.#text.length && isSpace(this.#text.charCodeAt(this.#at))) this.#at++;
  }
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** Letters, digits, `_`, `-`, `.` and `:`: enough for the names this document uses. */
function isNameChar(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x5f ||
    code === 0x2d ||
    code === 0x2e ||
    code === 0x3a
  );
}

function characterReference(name: string): string {
  const code = name.startsWith('#x') ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
  if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw malformedXml();
  return String.fromCodePoint(code);
}
