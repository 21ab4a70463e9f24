/**
 * JSON text parsed, if it nests arrays and objects at most `maxDepth` deep; `undefined` when it is not
 * JSON or nests deeper. V8's JSON.parse slows down faster than the text grows on deep nesting (1.5 MB of
 * `[` takes seconds), so the depth is counted first, in one pass.
 */
export function parseShallowJson(text: string, maxDepth: number): { value: unknown } | undefined {
  let depth = 0;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === 0x22) {
      // A string: to its closing quote, stepping over escapes.
      for (at++; at < text.length && text.charCodeAt(at) !== 0x22; at++) {
        if (text.charCodeAt(at) === 0x5c) at++;
      }
    } else if (code === 0x5b || code === 0x7b) {
      if (++depth > maxDepth) return undefined;
    } else if (code === 0x5d || code === 0x7d) {
      depth--;
    }
  }
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}
