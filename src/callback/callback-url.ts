import { checkCallbackUrl, invalidCallback, splitCallbackUrl } from '../oss/callback.js';
import { hasLoneSurrogate } from '../oss/names.js';
import { hasControlCharacter } from './control-characters.js';

/** Characters a request target may carry as they are; '%' is checked separately. */
const NOT_URL_CHARACTER = /[^A-Za-z0-9\-._~!$&'()*+,=:@/?%]/gu;
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;

/**
 * One callback URL as OSS will call it. As OSS accepts, the scheme may be left out (OSS then uses
 * http). Non-ASCII characters, spaces and other characters a request line cannot carry are
 * percent-encoded (UTF-8), as the OSS docs ask; existing `%XX` escapes are kept. `;` never gets here:
 * it separates URLs.
 */
export function normalizeCallbackUrl(url: string, argument: string): string {
  if (hasLoneSurrogate(url))
    throw invalidCallback(`${argument} must be valid Unicode: it has a lone surrogate`);
  if (hasControlCharacter(url)) throw invalidCallback(`${argument} must not contain control characters`);
  const { authority, target } = splitCallbackUrl(url);
  if (authority.includes('@')) {
    // The callback parameter travels to the uploader: a password in it would be handed out.
    throw invalidCallback(`${argument} must not contain a user name or password ('@')`);
  }
  checkCallbackUrl(url, argument);
  if (target.includes('#')) {
    throw invalidCallback(`${argument} must not have a fragment: write %23 for a literal '#'`);
  }
  if (BAD_ESCAPE.test(target)) {
    throw invalidCallback(`${argument}: each '%' must start a %XX escape: write %25 for a literal '%'`);
  }
  return url.slice(0, url.length - target.length) + target.replace(NOT_URL_CHARACTER, encodeURIComponent);
}
