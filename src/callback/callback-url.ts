import { quote } from '../errors.js';
import { hasLoneSurrogate } from '../oss/names.js';
import { hasControlCharacter } from './control-characters.js';
import { checkHostAndPort, invalidCallback } from './rules.js';

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const HTTP = /^https?$/i;
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
  if (url === '') throw invalidCallback(`${argument} must not be empty (a ';' too many?)`);
  if (hasLoneSurrogate(url))
    throw invalidCallback(`${argument} must be valid Unicode: it has a lone surrogate`);
  if (hasControlCharacter(url)) throw invalidCallback(`${argument} must not contain control characters`);
  const scheme = SCHEME.exec(url);
  if (scheme && !HTTP.test(scheme[1] ?? '')) {
    throw invalidCallback(`${argument} must be an http or https URL (got ${quote(url)})`);
  }
  const prefix = scheme ? scheme[0] : '';
  const rest = url.slice(prefix.length);
  const end = rest.search(/[/?#]/);
  const authority = end === -1 ? rest : rest.slice(0, end);
  const target = end === -1 ? '' : rest.slice(end);
  if (authority === '') throw invalidCallback(`${argument} must name a host (got ${quote(url)})`);
  if (authority.includes('@')) {
    // The callback parameter travels to the uploader: a password in it would be handed out.
    throw invalidCallback(`${argument} must not contain a user name or password ('@')`);
  }
  checkHostAndPort(authority, argument);
  if (target.includes('#')) {
    throw invalidCallback(`${argument} must not have a fragment: write %23 for a literal '#'`);
  }
  if (BAD_ESCAPE.test(target)) {
    throw invalidCallback(`${argument}: each '%' must start a %XX escape: write %25 for a literal '%'`);
  }
  return prefix + authority + target.replace(NOT_URL_CHARACTER, encodeURIComponent);
}
