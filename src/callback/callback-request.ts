import { OssSignError } from '../errors.js';
import { ownProperties } from '../options/own-properties.js';
import { quote } from '../quote.js';
import { hasControlCharacter } from './control-characters.js';

/** A Fetch API `Request` (Hono's `c.req.raw`, Next.js route handlers, Workers...), by its shape. */
export interface FetchRequestLike {
  url: string;
  headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
  readonly bodyUsed?: boolean;
}

/** A request as Node servers see it: `req.url`, `req.headers` and the raw body bytes. */
export interface RawCallbackRequest {
  /** The path and query as received (Express: `req.originalUrl`); an absolute URL is accepted too. */
  url: string;
  headers:
    | { get(name: string): string | null }
    | Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The raw body, before any body parser: a Buffer, Uint8Array or string. */
  body: string | Uint8Array;
}

export type OssCallbackRequest = FetchRequestLike | RawCallbackRequest;

/** What the signature covers, and the headers that say how to check it. */
export interface CallbackRequest {
  /** Still percent-encoded. */
  path: string;
  /** With its leading '?', or '' for none. */
  query: string;
  body: Uint8Array;
  header(name: string): string | undefined;
}

const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/;

/** Reads a callback request once; `path` replaces the path (and query, when it has a '?') as received. */
export async function readCallbackRequest(
  request: unknown,
  path: string | undefined,
): Promise<CallbackRequest> {
  const given = requestFields(request);
  const target = splitTarget(path ?? given.url, path === undefined ? 'request.url' : 'options.path');
  if (path !== undefined && !path.includes('?')) target.query = splitTarget(given.url, 'request.url').query;
  return { ...target, body: await given.body(), header: headerReader(given.headers) };
}

interface RequestFields {
  url: string;
  headers: unknown;
  body: () => Promise<Uint8Array>;
}

function requestFields(request: unknown): RequestFields {
  if (typeof request !== 'object' || request === null) {
    throw invalid(
      `verifyOssCallback takes a Fetch Request or { url, headers, body } (got ${quote(request)})`,
    );
  }
  try {
    const { url, headers } = request as { url?: unknown; headers?: unknown };
    if (typeof url !== 'string') throw invalid(`request.url must be a string (got ${quote(url)})`);
    if (typeof (request as FetchRequestLike).arrayBuffer === 'function') {
      const fetchRequest = request as FetchRequestLike;
      return { url, headers, body: () => fetchBody(fetchRequest) };
    }
    const body = rawBody((request as { body?: unknown }).body);
    return { url, headers, body: async () => body };
  } catch (cause) {
    if (cause instanceof OssSignError) throw cause;
    throw new OssSignError('INVALID_ARGUMENT', 'the request could not be read: reading it threw', { cause });
  }
}

async function fetchBody(request: FetchRequestLike): Promise<Uint8Array> {
  if (request.bodyUsed) {
    throw invalid('the request body was already read: verify before parsing it, or pass request.clone()');
  }
  try {
    return new Uint8Array(await request.arrayBuffer());
  } catch (cause) {
    throw new OssSignError('INVALID_ARGUMENT', 'the request body could not be read', { cause });
  }
}

function rawBody(body: unknown): Uint8Array {
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  if (body === undefined || body === null) {
    throw invalid(
      'request.body is missing: pass the raw body bytes (Express: express.raw(); see docs/callbacks.md)',
    );
  }
  throw invalid(
    `request.body must be the raw bytes (a Buffer, Uint8Array or string), not ${quote(body)}: the signature covers the exact bytes, so verify before any body parser runs`,
  );
}

/** `/path?query` of a request target or of an absolute URL; a fragment is dropped. */
function splitTarget(url: string, argument: string): { path: string; query: string } {
  let target = url.replace(ABSOLUTE, '');
  const hash = target.indexOf('#');
  if (hash !== -1) target = target.slice(0, hash);
  if (hasControlCharacter(target) || !(target.startsWith('/') || target.startsWith('?') || target === '')) {
    throw invalid(`${argument} must be a path and query like '/oss-callback?id=1' (got ${quote(url)})`);
  }
  const question = target.indexOf('?');
  const path = question === -1 ? target : target.slice(0, question);
  return { path: path || '/', query: question === -1 ? '' : target.slice(question) };
}

/** Case-insensitive header lookup; repeated values are joined with ', ' as Fetch's Headers.get does. */
function headerReader(headers: unknown): (name: string) => string | undefined {
  if (typeof headers === 'object' && headers !== null && typeof (headers as Headers).get === 'function') {
    const fetchHeaders = headers as { get(name: string): string | null };
    return (name) => {
      try {
        return fetchHeaders.get(name) ?? undefined;
      } catch (cause) {
        throw new OssSignError('INVALID_ARGUMENT', `request.headers.get(${quote(name)}) threw`, { cause });
      }
    };
  }
  const record = ownProperties(headers, 'request.headers', 'INVALID_ARGUMENT');
  const lowerCase = new Map<string, string>();
  for (const name in record) {
    const value = record[name];
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    if (!values.every((item) => typeof item === 'string')) {
      throw invalid(`request.headers[${quote(name)}] must be a string or an array of strings`);
    }
    const key = name.toLowerCase();
    const previous = lowerCase.get(key);
    lowerCase.set(key, [...(previous === undefined ? [] : [previous]), ...values].join(', '));
  }
  return (name) => lowerCase.get(name.toLowerCase());
}

function invalid(message: string): OssSignError {
  return new OssSignError('INVALID_ARGUMENT', message);
}
