import { quote } from '../errors.js';
import { checkCustomVariableName, invalidCallback, SYSTEM_VARIABLES } from './rules.js';

/** `$(object)`: how an old version of the OSS docs wrote variables; OSS sends it as literal text. */
const PARENTHESISED = /\$\(([^)]*)\)/g;

/**
 * The rules of `callbackBody`: not empty, and every variable written `${name}`, where name is a
 * system variable (`${bucket}`, `${imageInfo.width}`, ...) or a custom one (`${x:name}`, lower case).
 * OSS refuses a variable it cannot read; a misspelt name (`${Bucket}`) would reach the application as
 * empty or literal text, so it is refused here too.
 */
export function checkBodyTemplate(body: string, argument: string): void {
  if (body === '') throw invalidCallback(`${argument} must not be empty (OSS refuses an empty callbackBody)`);
  for (let open = body.indexOf('${'); open !== -1; ) {
    const close = body.indexOf('}', open + 2);
    if (close === -1) {
      throw invalidCallback(`${argument}: the variable at offset ${open} has no closing '}'`);
    }
    checkVariable(body.slice(open + 2, close), argument);
    open = body.indexOf('${', close + 1);
  }
  for (const [text, name = ''] of body.matchAll(PARENTHESISED)) {
    if (SYSTEM_VARIABLES.has(name) || name.startsWith('x:')) {
      throw invalidCallback(
        `${argument}: write ${quote(`\${${name}}`)}, not ${quote(text)}, which OSS sends as plain text`,
      );
    }
  }
}

function checkVariable(name: string, argument: string): void {
  if (SYSTEM_VARIABLES.has(name)) return;
  if (name.startsWith('x:')) {
    checkCustomVariableName(name.slice(2), argument);
    return;
  }
  throw invalidCallback(
    `${argument}: unknown variable ${quote(`\${${name}}`)}; system variables are ${[...SYSTEM_VARIABLES].map((v) => `\${${v}}`).join(', ')}, custom ones are written \${x:name}`,
  );
}
