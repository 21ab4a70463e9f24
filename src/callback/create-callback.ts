import { arrayItems, ownProperties } from '../options/own-properties.js';
import { base64FromUtf8 } from '../oss/base64.js';
import {
  BODY_TYPES,
  type CallbackBodyType,
  checkCustomVariableName,
  checkHostAndPort,
  checkParameterLength,
  encodeCallbackVar,
  invalidCallback,
  MAX_CALLBACK_URLS,
} from '../oss/callback.js';
import { hasLoneSurrogate } from '../oss/names.js';
import { quote } from '../quote.js';
import { checkCallbackBody } from './body-template.js';
import { normalizeCallbackUrl } from './callback-url.js';

export type { CallbackBodyType };

export interface CallbackOptions {
  /** Where OSS POSTs after storing the object; up to 5 URLs, tried in order until one succeeds. */
  url: string | string[];
  /** The body template: `'bucket=${bucket}&object=${object}&uid=${x:uid}'`. */
  body: string;
  /** Default `'application/x-www-form-urlencoded'`. With JSON, OSS inserts values JSON-encoded. */
  bodyType?: CallbackBodyType | undefined;
  /** The `Host` header of the callback request (default: the URL's host). */
  host?: string | undefined;
  /** Whether OSS sends SNI when calling an https URL (OSS's default: no). */
  sni?: boolean | undefined;
  /** Custom variables: `{ uid: '42' }` is sent as `x:uid` and read in the body as `${x:uid}`. */
  vars?: Record<string, string> | undefined;
}

/** The two callback parameters, base64 as OSS takes them. */
export interface CallbackParameters {
  /** The `callback` query parameter, `x-oss-callback` header or `callback` form field. */
  callback: string;
  /** The `callback-var` parameter or `x-oss-callback-var` header, when there are custom variables. */
  callbackVar?: string;
}

const OPTIONS: ReadonlySet<string> = new Set(['url', 'body', 'bodyType', 'host', 'sni', 'vars']);
/** Other SDKs' names for the same options (ali-oss, the v2 SDKs' JSON field names). */
const OTHER_NAMES: Readonly<Record<string, string>> = {
  callbackUrl: 'url',
  callbackBody: 'body',
  contentType: 'bodyType',
  callbackBodyType: 'bodyType',
  callbackHost: 'host',
  callbackSNI: 'sni',
  customValue: 'vars',
  callbackVar: 'vars',
};

/**
 * The `callback` (and `callback-var`) parameter of an upload, refusing with `INVALID_CALLBACK` what
 * OSS would refuse with 400 InvalidArgument.
 */
export function createCallback(options: CallbackOptions): CallbackParameters {
  const { callback, vars } = buildCallback(options);
  return vars === undefined ? { callback } : { callback, callbackVar: encodeCallbackVar(vars) };
}

/**
 * The `callback` parameter and the custom variables under OSS's names (`{ 'x:uid': '42' }`), for each
 * carrier to send its way: as `callback-var`, or as form fields of a POST policy.
 */
export function buildCallback(options: unknown): {
  callback: string;
  vars: Record<string, string> | undefined;
} {
  const given = ownProperties(options, 'callback', 'INVALID_CALLBACK', OPTIONS, OTHER_NAMES);
  const json: Record<string, string | boolean> = { callbackUrl: callbackUrl(given.url) };
  if (given.host !== undefined) json.callbackHost = callbackHost(given.host);
  json.callbackBody = callbackBody(given.body);
  if (given.bodyType !== undefined) json.callbackBodyType = bodyType(given.bodyType);
  if (given.sni !== undefined) json.callbackSNI = sni(given.sni);
  const callback = base64FromUtf8(JSON.stringify(json));
  checkParameterLength(callback, 'callback');
  return { callback, vars: customVariables(given.vars) };
}

/** OSS's `callbackUrl`: the URLs joined by ';', which is also how OSS splits them. */
function callbackUrl(url: unknown): string {
  if (url === undefined) throw invalidCallback('callback.url is required: the URL OSS calls');
  const items = arrayItems(url, 'callback.url', 'INVALID_CALLBACK');
  const urls: string[] = [];
  for (const [index, item] of (items ?? [url]).entries()) {
    const argument = items ? `callback.url[${index}]` : 'callback.url';
    if (typeof item !== 'string') throw invalidCallback(`${argument} must be a string (got ${quote(item)})`);
    // A ';' inside a URL would make OSS call two URLs: each part is checked as the URL OSS sees.
    for (const part of item.split(';')) urls.push(normalizeCallbackUrl(part, argument));
  }
  if (urls.length === 0) throw invalidCallback('callback.url must list at least one URL');
  if (urls.length > MAX_CALLBACK_URLS) {
    throw invalidCallback(
      `callback.url lists ${urls.length} URLs (OSS splits at ';'); OSS accepts at most ${MAX_CALLBACK_URLS}`,
    );
  }
  return urls.join(';');
}

function callbackHost(host: unknown): string {
  if (typeof host !== 'string') throw invalidCallback(`callback.host must be a string (got ${quote(host)})`);
  checkHostAndPort(host, 'callback.host');
  return host;
}

function callbackBody(body: unknown): string {
  if (body === undefined) throw invalidCallback('callback.body is required: the template OSS fills in');
  if (typeof body !== 'string') throw invalidCallback(`callback.body must be a string (got ${quote(body)})`);
  checkCallbackBody(body, 'callback.body');
  return body;
}

function bodyType(type: unknown): string {
  if (typeof type !== 'string' || !BODY_TYPES.has(type)) {
    throw invalidCallback(
      `callback.bodyType must be ${[...BODY_TYPES].map((t) => `'${t}'`).join(' or ')} (got ${quote(type)})`,
    );
  }
  return type;
}

function sni(value: unknown): boolean {
  if (typeof value !== 'boolean')
    throw invalidCallback(`callback.sni must be a boolean (got ${quote(value)})`);
  return value;
}

/** `{ uid: '42' }` as OSS's callback-var JSON, `{ "x:uid": "42" }`; none for no variables. */
function customVariables(vars: unknown): Record<string, string> | undefined {
  if (vars === undefined) return undefined;
  const given = ownProperties(vars, 'callback.vars', 'INVALID_CALLBACK');
  const prefixed: Record<string, string> = {};
  for (const name in given) {
    const value = given[name];
    const argument = `callback.vars.${name}`;
    checkCustomVariableName(name, argument);
    if (typeof value !== 'string')
      throw invalidCallback(`${argument} must be a string (got ${quote(value)})`);
    if (hasLoneSurrogate(value))
      throw invalidCallback(`${argument} must be valid Unicode: it has a lone surrogate`);
    prefixed[`x:${name}`] = value;
  }
  return Object.keys(prefixed).length === 0 ? undefined : prefixed;
}
