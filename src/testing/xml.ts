import type { OssResponse } from './state.js';

/** An element: its name and either text or child elements. */
export type XmlElement = readonly [name: string, content: string | number | readonly XmlElement[]];

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
/** Element content needs only these escaped; quotes stay readable (policy conditions in messages). */
const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;' } as const;

function escapeXml(text: string): string {
  return text.replace(/[&<>]/g, (char) => ESCAPES[char as keyof typeof ESCAPES]);
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
