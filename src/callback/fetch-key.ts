import { OssSignError } from '../errors.js';
import { quote } from '../quote.js';
import { importRsaPublicKey, type RsaPublicKey } from './rsa-md5.js';

/** A key at a URL does not change; an hour bounds how long a replaced one is still used. */
const KEY_TTL_MS = 60 * 60 * 1000;
/** A failure is remembered briefly, so that a flood of callbacks cannot turn into a flood of fetches. */
const FAILURE_TTL_MS = 5 * 1000;
const MAX_CACHED_URLS = 32;
/** A PEM RSA public key is well under 1 KB; anything much larger is not one. */
const MAX_PEM_BYTES = 16 * 1024;

interface Entry {
  expiresAt: number;
  key: Promise<RsaPublicKey>;
}

/** Keys by URL, least recently used first; one request at a time per URL. */
const cache = new Map<string, Entry>();

/** The RSA public key at an allow-listed URL: fetched once, with a timeout, then cached. */
export function fetchPublicKey(url: string, timeoutMs: number): Promise<RsaPublicKey> {
  const now = Date.now();
  const cached = cache.get(url);
  cache.delete(url);
  if (cached && cached.expiresAt > now) {
    cache.set(url, cached);
    return cached.key;
  }
  const entry: Entry = { expiresAt: now + KEY_TTL_MS, key: download(url, timeoutMs) };
  entry.key.catch(() => {
    entry.expiresAt = Math.min(entry.expiresAt, Date.now() + FAILURE_TTL_MS);
  });
  cache.set(url, entry);
  for (const oldest of cache.keys()) {
    if (cache.size <= MAX_CACHED_URLS) break;
    cache.delete(oldest);
  }
  return entry.key;
}

async function download(url: string, timeoutMs: number): Promise<RsaPublicKey> {
  if (typeof fetch !== 'function') throw failed(url, 'this runtime has no fetch');
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    // No redirects: a redirect could lead off the allow-list.
    const response = await fetch(url, { redirect: 'error', signal: controller.signal });
    if (response.status !== 200) {
      await response.body?.cancel();
      throw failed(url, `it answered HTTP ${response.status}`);
    }
    const key = await importRsaPublicKey(await readText(response, url));
    if (!key) throw failed(url, 'its answer is not a PEM RSA public key');
    return key;
  } catch (cause) {
    if (cause instanceof OssSignError) throw cause;
    const reason = controller.signal.aborted ? `no answer within ${timeoutMs} ms` : 'the request failed';
    throw failed(url, reason, cause);
  } finally {
    clearTimeout(timer);
  }
}

async function readText(response: Response, url: string): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_PEM_BYTES) {
      await reader.cancel();
      throw failed(url, `its answer is over ${MAX_PEM_BYTES} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

function failed(url: string, reason: string, cause?: unknown): OssSignError {
  return new OssSignError(
    'CALLBACK_KEY_FETCH_FAILED',
    `the callback's public key could not be fetched from ${quote(url)}: ${reason}`,
    cause === undefined ? undefined : { cause },
  );
}
