import { checkBodyTemplate, invalidCallback, SYSTEM_VARIABLES } from '../oss/callback.js';
import { hasLoneSurrogate } from '../oss/names.js';
import { quote } from '../quote.js';

/** `$(object)`: how an old version of the OSS docs wrote variables; OSS sends it as literal text. */
const PARENTHESISED = /\$\(([^)]*)\)/g;

/**
 * A callback body template as this library writes it: what OSS accepts, and no `$(name)` variable, which
 * OSS would send to the application as it is.
 */
export function checkCallbackBody(body: string, argument: string): void {
  if (hasLoneSurrogate(body))
    throw invalidCallback(`${argument} must be valid Unicode: it has a lone surrogate`);
  checkBodyTemplate(body, argument);
  for (const [text, name = ''] of body.matchAll(PARENTHESISED)) {
    if (SYSTEM_VARIABLES.has(name) || name.startsWith('x:')) {
      throw invalidCallback(
        `${argument}: write ${quote(`\${${name}}`)}, not ${quote(text)}, which OSS sends as plain text`,
      );
    }
  }
}
