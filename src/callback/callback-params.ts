import { OssSignError } from '../errors.js';

/**
 * The verified body read per its Content-Type (OSS's `callbackBodyType`): a form gives an object of
 * strings (a name sent twice gives an array), JSON gives its value, any other type `undefined`.
 */
export function callbackParams(contentType: string | undefined, body: string): unknown {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return formParams(body);
  if (type !== 'application/json') return undefined;
  try {
    return JSON.parse(body);
  } catch (cause) {
    throw new OssSignError(
      'CALLBACK_BODY_INVALID',
      'the callback is signed by its key, but its body is not the JSON its Content-Type says: check the callback body template (with application/json, OSS inserts ${...} values JSON-encoded: write {"object":${object}}, not {"object":"${object}"})',
      { cause },
    );
  }
}

function formParams(body: string): Record<string, string | string[]> {
  const params = new Map<string, string | string[]>();
  for (const [name, value] of new URLSearchParams(body)) {
    const previous = params.get(name);
    params.set(
      name,
      previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value],
    );
  }
  // Object.fromEntries defines own properties: a field named __proto__ stays a field.
  return Object.fromEntries(params);
}
