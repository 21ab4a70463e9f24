const ENTITIES: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', apos: "'" };

/** The text of every `<tag>` element, entities decoded. OSS's responses are flat enough for this. */
export function xmlValues(xml: string, tag: string): string[] {
  return Array.from(xml.matchAll(new RegExp(`<${tag}>([^]*?)</${tag}>`, 'g')), (match) =>
    (match[1] as string).replace(/&(#x?)?(\w+);/g, (entity, number: string | undefined, name: string) =>
      number
        ? String.fromCodePoint(Number.parseInt(name, number.length > 1 ? 16 : 10))
        : (ENTITIES[name] ?? entity),
    ),
  );
}

export function xmlValue(xml: string, tag: string): string | undefined {
  return xmlValues(xml, tag)[0];
}
