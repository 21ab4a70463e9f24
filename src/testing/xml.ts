import type { OssResponse } from './state.js';

/** An element: its name and either text or child elements. */
export type XmlElement = readonly [name: string, content: string | number | readonly XmlElement[]];

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
/** Element content needs only these escaped; quotes stay readable (policy conditions in messages). */
const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;' } as const;

/** Characters XML 1.0 cannot carry at all (controls, lone surrogates, U+FFFE/FFFF), even as references. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Element text; what XML cannot carry (a key with a control character, say) shows as U+FFFD. */
function escapeXml(text: string): string {
  return text.replace(/[&<>]/g, (char) => ESCAPES[char as keyof typeof ESCAPES]).replace(NOT_XML, '\uFFFD');
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
