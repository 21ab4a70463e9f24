import { checkCallbackString } from '../callback/callback-string.js';
import { buildCallback } from '../callback/create-callback.js';
import { encodeCallbackVar, invalidCallback, parseCallbackVar } from '../oss/callback.js';
import { quote } from '../quote.js';
import type { QueryParams, RequestHeaders } from '../signer/request-headers.js';

/** The `callback` option, checked: the parameter and the custom variables under OSS's names (`x:uid`). */
export interface ResolvedCallback {
  /** base64, as sent. */
  callback: string;
  /** `undefined` for a pre-built string, whose variables (if any) the request carries itself. */
  vars: Readonly<Record<string, string>> | undefined;
}

/** Where a request carries the callback: query parameters, or headers. OSS refuses both at once. */
interface Carrier {
  where: 'query' | 'headers';
  callback: string;
  vars: string;
}

const QUERY: Carrier = { where: 'query', callback: 'callback', vars: 'callback-var' };
const HEADERS: Carrier = { where: 'headers', callback: 'x-oss-callback', vars: 'x-oss-callback-var' };
/** OSS reads a callback in PutObject (PUT) and CompleteMultipartUpload (POST); PostObject is a form. */
const UPLOAD_METHODS: ReadonlySet<string> = new Set(['PUT', 'POST']);

/** `callback: CallbackOptions | string`: options go through createCallback, a string is checked as OSS would. */
export function resolveCallback(value: unknown): ResolvedCallback | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return { callback: checkCallbackString(value, 'callback'), vars: undefined };
  const { callback, vars } = buildCallback(value);
  return { callback, vars: vars ?? {} };
}

/** A presigned URL's query with the `callback` (and `callback-var`) parameters added. */
export function withCallbackQuery(
  callback: ResolvedCallback,
  method: string,
  query: QueryParams,
  headers: RequestHeaders,
): QueryParams {
  checkCarriers(
    callback,
    method,
    QUERY,
    (name) => queryValue(query, name),
    (name) => headers.get(name),
  );
  const added: [string, string][] = [[QUERY.callback, callback.callback]];
  if (hasVars(callback)) added.push([QUERY.vars, encodeCallbackVar(callback.vars)]);
  return [...query, ...added];
}

/** Sets the `x-oss-callback` (and `x-oss-callback-var`) headers of a header-signed request. */
export function setCallbackHeaders(
  callback: ResolvedCallback,
  method: string,
  headers: RequestHeaders,
  query: QueryParams,
): void {
  checkCarriers(
    callback,
    method,
    HEADERS,
    (name) => headers.get(name),
    (name) => queryValue(query, name),
  );
  headers.set(HEADERS.callback, callback.callback);
  if (hasVars(callback)) headers.set(HEADERS.vars, encodeCallbackVar(callback.vars));
}

function hasVars(callback: ResolvedCallback): callback is { callback: string; vars: Record<string, string> } {
  return callback.vars !== undefined && Object.keys(callback.vars).length > 0;
}

/** A query parameter's value, `''` for a bare name, `undefined` when absent (names are case-sensitive). */
function queryValue(query: QueryParams, name: string): string | undefined {
  const param = query.find(([given]) => given === name);
  return param && (param[1] ?? '');
}

/**
 * Refuses what would send the callback twice or in two carriers (OSS: InvalidArgument). The one thing a
 * request may carry itself is the `callback-var` of a pre-built `callback` string, in the same carrier.
 */
function checkCarriers(
  callback: ResolvedCallback,
  method: string,
  own: Carrier,
  ownValue: (name: string) => string | undefined,
  otherValue: (name: string) => string | undefined,
): void {
  if (!UPLOAD_METHODS.has(method)) {
    throw invalidCallback(
      `callback applies to uploads: PUT (PutObject) or POST (CompleteMultipartUpload), not ${quote(method)}`,
    );
  }
  const other = own === QUERY ? HEADERS : QUERY;
  for (const name of [other.callback, other.vars]) {
    if (otherValue(name) !== undefined) {
      throw invalidCallback(
        `${other.where} has ${quote(name)} while the callback option puts the callback in the ${own.where}: OSS refuses a callback in both`,
      );
    }
  }
  if (ownValue(own.callback) !== undefined) {
    throw invalidCallback(
      `${own.where} has ${quote(own.callback)} too: give the callback once, as the option`,
    );
  }
  const vars = ownValue(own.vars);
  if (vars === undefined) return;
  if (callback.vars !== undefined) {
    throw invalidCallback(
      `${own.where} has ${quote(own.vars)} while the callback option is CallbackOptions: give the custom variables as callback.vars`,
    );
  }
  parseCallbackVar(vars, `${own.where}[${quote(own.vars)}]`);
}
