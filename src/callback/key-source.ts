import { OssSignError } from '../errors.js';
import { bytesFromBase64 } from '../oss/base64.js';
import { quote } from '../quote.js';
import { OSS_PUBLIC_KEY_URL } from './oss-public-key.js';

/** Where a callback's public key comes from: OSS's bundled key, or a URL on the allow-list. */
export type KeySource = { bundled: true } | { bundled: false; url: string };

/**
 * Decides from the `x-oss-pub-key-url` header (base64 of a URL), without any request, which key
 * verifies a callback. OSS's own key URL (https, or the http form OSS itself sends) is the bundled key.
 * Another URL is fetched only when an allow-list entry is a prefix of it; an `http:` URL is first
 * tried as `https:` (a key fetched in clear text could be swapped), and fetched over http only when an
 * entry says `http:` itself. A request without the header is OSS's: its signature is checked against
 * OSS's key.
 */
export function keySource(header: string | undefined, allowedKeyUrls: readonly URL[]): KeySource {
  if (header === undefined) return { bundled: true };
  const url = parseKeyUrl(header);
  const candidates = [url];
  if (url.protocol === 'http:' && url.port === '') {
    const secure = new URL(url.href);
    secure.protocol = 'https:';
    candidates.unshift(secure);
  }
  for (const candidate of candidates) {
    if (candidate.href === OSS_PUBLIC_KEY_URL) return { bundled: true };
    // The href starts with the scheme: an https entry never lets an http URL through.
    if (allowedKeyUrls.some((entry) => candidate.href.startsWith(entry.href))) {
      return { bundled: false, url: candidate.href };
    }
  }
  throw notTrusted(
    `the callback names its public key at ${quote(url.href)}, which is not on allowedKeyUrls (${allowedKeyUrls.map((entry) => entry.href).join(', ') || 'empty'}): it was not fetched`,
  );
}

/**
 * An allow-list entry: an http(s) URL prefix without credentials, query or fragment. `undefined` for
 * anything else.
 */
export function parseAllowedKeyUrl(entry: string): URL | undefined {
  const url = parseUrl(entry);
  const plain = url?.username === '' && url.password === '' && url.search === '' && url.hash === '';
  return plain ? url : undefined;
}

function parseKeyUrl(header: string): URL {
  const bytes = bytesFromBase64(header.trim());
  let text: string | undefined;
  try {
    text = bytes && new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = undefined;
  }
  if (text === undefined) throw notTrusted('the x-oss-pub-key-url header is not base64 of a URL');
  const url = parseUrl(text);
  if (url === undefined || url.username !== '' || url.password !== '') {
    throw notTrusted(
      `the x-oss-pub-key-url header is not an http(s) URL without credentials (got ${quote(text)})`,
    );
  }
  return url;
}

function parseUrl(text: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
}

function notTrusted(message: string): OssSignError {
  return new OssSignError('CALLBACK_KEY_NOT_TRUSTED', message);
}
