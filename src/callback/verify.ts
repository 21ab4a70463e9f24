import { OssSignError } from '../errors.js';
import { arrayItems, ownProperties } from '../options/own-properties.js';
import { bytesFromBase64 } from '../oss/base64.js';
import { quote } from '../quote.js';
import { callbackParams } from './callback-params.js';
import { type OssCallbackRequest, readCallbackRequest } from './callback-request.js';
import { fetchPublicKey } from './fetch-key.js';
import { keySource, parseAllowedKeyUrl } from './key-source.js';
import { DEFAULT_ALLOWED_KEY_URLS, OSS_PUBLIC_KEY } from './oss-public-key.js';
import { importRsaPublicKey, type RsaPublicKey, verifyRsaMd5 } from './rsa-md5.js';
import { callbackStringToVerify } from './string-to-verify.js';
import type { VerifiedOssCallback, VerifyOssCallbackOptions } from './types.js';

interface ResolvedOptions {
  publicKey: RsaPublicKey | undefined;
  allowedKeyUrls: readonly URL[];
  path: string | undefined;
  fetchTimeoutMs: number;
}

const OPTIONS: ReadonlySet<string> = new Set(['publicKey', 'allowedKeyUrls', 'path', 'fetchTimeoutMs']);
const DEFAULT_FETCH_TIMEOUT_MS = 3000;
const MAX_FETCH_TIMEOUT_MS = 60_000;
const MAX_PARSED_KEYS = 16;
/** Parsed PEM keys (the bundled one, pinned ones), so that a callback costs one RSA verify. */
const parsedKeys = new Map<string, RsaPublicKey>();

/**
 * verifyOssCallback's work, loaded on its first call. Checks that a callback request was signed by OSS (`authorization`: base64 RSA/MD5 signature over
 * the URL-decoded path, the query, '\n' and the body) and returns its body. OSS's published key is
 * bundled: no network for OSS's callbacks, and no request at all for a key URL off the allow-list.
 */
export async function verify(
  request: OssCallbackRequest,
  options?: VerifyOssCallbackOptions,
): Promise<VerifiedOssCallback> {
  const resolved = await resolveOptions(options);
  const received = await readCallbackRequest(request, resolved.path);
  const signature = bytesFromBase64(received.header('authorization')?.trim() ?? '');
  if (!signature) {
    throw invalidSignature('the callback has no authorization header of base64 signature');
  }
  const key = resolved.publicKey ?? (await keyFor(received.header('x-oss-pub-key-url'), resolved));
  const signed = callbackStringToVerify(received.path, received.query, received.body);
  if (!(await verifyRsaMd5(key, signed, signature))) {
    throw invalidSignature(
      `the signature does not match the path ${quote(received.path)}, query and body with this key: the request was not signed by OSS, or was changed (behind a proxy that rewrites the path, pass options.path)`,
    );
  }
  const body = new TextDecoder().decode(received.body);
  return { body, params: callbackParams(received.header('content-type'), body) };
}

async function keyFor(keyUrlHeader: string | undefined, options: ResolvedOptions): Promise<RsaPublicKey> {
  const source = keySource(keyUrlHeader, options.allowedKeyUrls);
  if (!source.bundled) return fetchPublicKey(source.url, options.fetchTimeoutMs);
  // The bundled PEM is a key by construction (the conformance tests verify OSS's signatures with it).
  return (await parsedKey(OSS_PUBLIC_KEY)) as RsaPublicKey;
}

async function parsedKey(pem: string): Promise<RsaPublicKey | undefined> {
  const cached = parsedKeys.get(pem);
  if (cached) return cached;
  const key = await importRsaPublicKey(pem);
  if (!key) return undefined;
  if (parsedKeys.size >= MAX_PARSED_KEYS) parsedKeys.clear();
  parsedKeys.set(pem, key);
  return key;
}

async function resolveOptions(options: unknown): Promise<ResolvedOptions> {
  const given = ownProperties(options ?? {}, 'verifyOssCallback options', 'INVALID_ARGUMENT', OPTIONS);
  return {
    publicKey: given.publicKey === undefined ? undefined : await pinnedKey(given.publicKey),
    allowedKeyUrls: allowedKeyUrls(given.allowedKeyUrls),
    path: proxiedPath(given.path),
    fetchTimeoutMs: fetchTimeout(given.fetchTimeoutMs),
  };
}

async function pinnedKey(pem: unknown): Promise<RsaPublicKey> {
  const key = typeof pem === 'string' ? await parsedKey(pem) : undefined;
  if (!key) {
    throw invalidOption(
      `options.publicKey must be a PEM RSA public key ('-----BEGIN PUBLIC KEY-----...') (got ${typeof pem === 'string' ? 'a string that is not one' : quote(pem)})`,
    );
  }
  return key;
}

function allowedKeyUrls(list: unknown): readonly URL[] {
  if (list === undefined) return DEFAULT_ALLOWED_KEY_URLS.map((entry) => new URL(entry));
  const items = arrayItems(list, 'options.allowedKeyUrls', 'INVALID_ARGUMENT');
  if (!items)
    throw invalidOption(`options.allowedKeyUrls must be an array of URL prefixes (got ${quote(list)})`);
  return items.map((entry, index) => {
    const url = typeof entry === 'string' ? parseAllowedKeyUrl(entry) : undefined;
    if (!url) {
      throw invalidOption(
        `options.allowedKeyUrls[${index}] must be an http(s) URL prefix without credentials, query or fragment, like 'https://keys.example.com/oss/' (got ${quote(entry)})`,
      );
    }
    return url;
  });
}

function proxiedPath(path: unknown): string | undefined {
  if (path === undefined) return undefined;
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw invalidOption(`options.path must be the path OSS called, starting with '/' (got ${quote(path)})`);
  }
  return path;
}

function fetchTimeout(ms: unknown): number {
  if (ms === undefined) return DEFAULT_FETCH_TIMEOUT_MS;
  if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 1 || ms > MAX_FETCH_TIMEOUT_MS) {
    throw invalidOption(
      `options.fetchTimeoutMs must be a whole number of ms in 1..${MAX_FETCH_TIMEOUT_MS} (got ${quote(ms)})`,
    );
  }
  return ms;
}

function invalidOption(message: string): OssSignError {
  return new OssSignError('INVALID_ARGUMENT', message);
}

function invalidSignature(message: string): OssSignError {
  return new OssSignError('CALLBACK_SIGNATURE_INVALID', message);
}
