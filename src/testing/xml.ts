import type { OssResponse } from './state.js';

/** An element: its name and either text or child elements. */
export type XmlElement = readonly [name: string, content: string | number | readonly XmlElement[]];

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
/** Element content needs only these escaped; quotes stay readable (policy conditions in messages). */
const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;' } as const;
const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as const;

function escapeXml(text: string): string {
  return text.replace(/[&<>]/g, (char) => ESCAPES[char as keyof typeof ESCAPES]);
}

function unescapeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: keyof typeof ENTITIES) => ENTITIES[name]);
}

/** A response whose body is an XML document, the way OSS writes them; `headers` adds to Content-Type. */
export function xmlResponse(
  status: number,
  root: string,
  children: readonly XmlElement[],
  headers: Record<string, string> = {},
): OssResponse {
  return {
    status,
    headers: { ...headers, 'content-type': 'application/xml' },
    body: `${XML_DECLARATION}${renderElement([root, children])}`,
  };
}

function renderElement([name, content]: XmlElement): string {
  const inner =
    typeof content === 'object' ? content.map(renderElement).join('') : escapeXml(String(content));
  return `<${name}>${inner}</${name}>`;
}

/**
 * The parts listed in a CompleteMultipartUpload body, in the order given, or `undefined` when the
 * body is not that document. Only this one fixed shape is read, so a pattern is enough.
 */
export function readCompleteMultipartUpload(
  body: string,
): { partNumber: number; etag: string }[] | undefined {
  if (!/^\s*(<\?xml[^>]*\?>\s*)?<CompleteMultipartUpload>[\s\S]*<\/CompleteMultipartUpload>\s*$/.test(body)) {
    return undefined;
  }
  const parts: { partNumber: number; etag: string }[] = [];
  for (const [, part = ''] of body.matchAll(/<Part>([\s\S]*?)<\/Part>/g)) {
    const partNumber = /<PartNumber>\s*(\d+)\s*<\/PartNumber>/.exec(part)?.[1];
    const etag = /<ETag>([\s\S]*?)<\/ETag>/.exec(part)?.[1];
    if (partNumber === undefined || etag === undefined) return undefined;
    parts.push({ partNumber: Number(partNumber), etag: unescapeXml(etag.trim()) });
  }
  return parts;
}
