// What OSS checks of an upload callback (API reference "Callback": 400 InvalidArgument otherwise), and how
// it fills the body template. createCallback, the `callback` option and the local endpoint all use these.
import { OssSignError } from '../errors.js';
import { quote } from '../quote.js';
import { base64FromUtf8, utf8FromBase64 } from './base64.js';

export type CallbackBodyType = 'application/x-www-form-urlencoded' | 'application/json';

/** A callback parameter as OSS reads it. */
export interface CallbackConfig {
  /** Tried in order until one succeeds. */
  urls: readonly string[];
  /** The Host header of the callback request; default the URL's host. */
  host: string | undefined;
  /** The body template. */
  body: string;
  bodyType: CallbackBodyType;
  sni: boolean;
}

/** `callbackUrl` holds at most five URLs, joined by ';'. */
export const MAX_CALLBACK_URLS = 5;

/** The `callback` and `callback-var` values, as sent (base64), are at most 5 KB each. */
const MAX_CALLBACK_PARAMETER_LENGTH = 5 * 1024;

const DEFAULT_BODY_TYPE: CallbackBodyType = 'application/x-www-form-urlencoded';
export const BODY_TYPES: ReadonlySet<string> = new Set([DEFAULT_BODY_TYPE, 'application/json']);

/**
 * The `${name}` variables OSS fills in itself, and how a JSON body gets them: numbers bare, the rest as
 * JSON strings.
 */
export const SYSTEM_VARIABLES: ReadonlyMap<string, 'string' | 'number'> = new Map([
  ['bucket', 'string'],
  ['object', 'string'],
  ['etag', 'string'],
  ['size', 'number'],
  ['mimeType', 'string'],
  ['imageInfo.height', 'number'],
  ['imageInfo.width', 'number'],
  ['imageInfo.format', 'string'],
  ['crc64', 'number'],
  ['contentMd5', 'string'],
  ['vpcId', 'string'],
  ['clientIp', 'string'],
  ['reqId', 'string'],
  ['operation', 'string'],
] as const);

/** Custom variable keys are `x:` and a lower-case name; these characters also survive `${x:name}`. */
const CUSTOM_VARIABLE_NAME = /^[a-z0-9_.-]+$/;
const HOST = /^[A-Za-z0-9._-]+$/;
const PORT = /^[0-9]{1,5}$/;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const HTTP = /^https?$/i;

export function invalidCallback(message: string): OssSignError {
  return new OssSignError('INVALID_CALLBACK', message);
}

/** A custom variable's name without its `x:` prefix. */
export function checkCustomVariableName(name: string, argument: string): void {
  if (!CUSTOM_VARIABLE_NAME.test(name)) {
    throw invalidCallback(
      `${argument}: custom variable name ${quote(name)} must be lower-case letters, digits, '_', '-' or '.' (OSS refuses others; 'x:' is added for you)`,
    );
  }
}

/**
 * `host[:port]` of a callback URL or of `callbackHost`: a domain name or IPv4 address. OSS refuses
 * IPv6 (literals and names resolving to one) and a port that is not a number in 1..65535.
 */
export function checkHostAndPort(authority: string, argument: string): void {
  if (authority.startsWith('[') || authority.split(':').length > 2) {
    throw invalidCallback(`${argument}: OSS does not call IPv6 addresses (got ${quote(authority)})`);
  }
  const colon = authority.indexOf(':');
  const host = colon === -1 ? authority : authority.slice(0, colon);
  if (!HOST.test(host)) {
    throw invalidCallback(
      `${argument}: host must be a domain name or IPv4 address of A-Z, a-z, 0-9, '.', '-' and '_' (an internationalised name in its xn-- form) (got ${quote(authority)})`,
    );
  }
  if (colon === -1) return;
  const port = authority.slice(colon + 1);
  if (!PORT.test(port) || Number(port) < 1 || Number(port) > 65_535) {
    throw invalidCallback(`${argument}: port must be a number in 1..65535 (got ${quote(port)})`);
  }
}

/** A callback URL in its parts: scheme (`undefined`: OSS uses http), `host[:port]`, and path and query. */
export function splitCallbackUrl(url: string): {
  scheme: string | undefined;
  authority: string;
  target: string;
} {
  const scheme = SCHEME.exec(url);
  const rest = url.slice(scheme ? scheme[0].length : 0);
  const end = rest.search(/[/?#]/);
  return {
    scheme: scheme?.[1],
    authority: end === -1 ? rest : rest.slice(0, end),
    target: end === -1 ? '' : rest.slice(end),
  };
}

/** One URL of `callbackUrl`: http or https (or no scheme, meaning http), and a host OSS can call. */
export function checkCallbackUrl(url: string, argument: string): void {
  if (url === '') throw invalidCallback(`${argument} must not be empty (a ';' too many?)`);
  const { scheme, authority } = splitCallbackUrl(url);
  if (scheme !== undefined && !HTTP.test(scheme)) {
    throw invalidCallback(`${argument} must be an http or https URL (got ${quote(url)})`);
  }
  if (authority === '') throw invalidCallback(`${argument} must name a host (got ${quote(url)})`);
  checkHostAndPort(authority, argument);
}

/** The URLs of `callbackUrl`, split where OSS splits them, each checked. */
function splitCallbackUrls(callbackUrl: string, argument: string): string[] {
  const urls = callbackUrl.split(';');
  if (urls.length > MAX_CALLBACK_URLS) {
    throw invalidCallback(
      `${argument} lists ${urls.length} URLs (OSS splits at ';'); OSS accepts at most ${MAX_CALLBACK_URLS}`,
    );
  }
  for (const url of urls) checkCallbackUrl(url, argument);
  return urls;
}

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
}

function checkVariable(name: string, argument: string): void {
  if (SYSTEM_VARIABLES.has(name)) return;
  if (name.startsWith('x:')) {
    checkCustomVariableName(name.slice(2), argument);
    return;
  }
  throw invalidCallback(
    `${argument}: unknown variable ${quote(`\${${name}}`)}; system variables are ${[...SYSTEM_VARIABLES.keys()].map((v) => `\${${v}}`).join(', ')}, custom ones are written \${x:name}`,
  );
}

/**
 * The body OSS sends, from a checked template: each `${name}` replaced by its value (`undefined`: OSS has
 * none), URL-encoded in a form body; in a JSON body, strings JSON-encoded (a missing one as `null`) and
 * numbers bare (a missing one as nothing, as OSS writes `${imageInfo.width}` of a file that is not an image).
 */
export function fillBodyTemplate(
  body: string,
  bodyType: CallbackBodyType,
  variable: (name: string) => string | undefined,
): string {
  let filled = '';
  let from = 0;
  for (let open = body.indexOf('${'); open !== -1; open = body.indexOf('${', from)) {
    const close = body.indexOf('}', open + 2);
    const name = body.slice(open + 2, close);
    const value = variable(name);
    if (bodyType === DEFAULT_BODY_TYPE) filled += body.slice(from, open) + encodeURIComponent(value ?? '');
    else if (SYSTEM_VARIABLES.get(name) === 'number') filled += body.slice(from, open) + (value ?? '');
    else filled += body.slice(from, open) + (value === undefined ? 'null' : JSON.stringify(value));
    from = close + 1;
  }
  return filled + body.slice(from);
}

/** OSS refuses a `callback` or `callback-var` value over 5 KB. */
export function checkParameterLength(value: string, parameter: string): void {
  if (value.length > MAX_CALLBACK_PARAMETER_LENGTH) {
    throw invalidCallback(
      `the ${parameter} parameter is ${value.length} characters of base64; OSS accepts at most ${MAX_CALLBACK_PARAMETER_LENGTH} (5 KB)`,
    );
  }
}

/** The `callback` parameter (base64 of the callback JSON) as OSS reads it, or INVALID_CALLBACK. */
export function parseCallbackParameter(value: string, argument: string): CallbackConfig {
  const json = decodeJsonObject(value, argument, 'the callback JSON, as createCallback makes it');
  const { callbackUrl, callbackHost, callbackBody, callbackBodyType, callbackSNI } = json;
  if (typeof callbackUrl !== 'string') {
    throw invalidCallback(`${argument}: callbackUrl must be a string of URLs (got ${quote(callbackUrl)})`);
  }
  const urls = splitCallbackUrls(callbackUrl, `${argument}: callbackUrl`);
  if (callbackHost !== undefined) {
    if (typeof callbackHost !== 'string') {
      throw invalidCallback(`${argument}: callbackHost must be a string (got ${quote(callbackHost)})`);
    }
    checkHostAndPort(callbackHost, `${argument}: callbackHost`);
  }
  if (typeof callbackBody !== 'string') {
    throw invalidCallback(`${argument}: callbackBody must be a string (got ${quote(callbackBody)})`);
  }
  checkBodyTemplate(callbackBody, `${argument}: callbackBody`);
  if (callbackBodyType !== undefined && !BODY_TYPES.has(callbackBodyType as string)) {
    throw invalidCallback(
      `${argument}: callbackBodyType must be ${[...BODY_TYPES].map((t) => `'${t}'`).join(' or ')} (got ${quote(callbackBodyType)})`,
    );
  }
  if (callbackSNI !== undefined && typeof callbackSNI !== 'boolean') {
    throw invalidCallback(`${argument}: callbackSNI must be a boolean (got ${quote(callbackSNI)})`);
  }
  return {
    urls,
    host: callbackHost,
    body: callbackBody,
    bodyType: (callbackBodyType as CallbackBodyType | undefined) ?? DEFAULT_BODY_TYPE,
    sni: callbackSNI ?? false,
  };
}

/** The `callback-var` parameter (base64 of `{"x:name":"value",...}`) as OSS reads it, or INVALID_CALLBACK. */
export function parseCallbackVar(value: string, argument: string): Record<string, string> {
  const json = decodeJsonObject(value, argument, '{"x:name":"value",...}');
  const vars: Record<string, string> = {};
  for (const name of Object.keys(json)) {
    const item = json[name];
    if (!name.startsWith('x:')) {
      throw invalidCallback(`${argument}: custom variable ${quote(name)} must be named x:name`);
    }
    checkCustomVariableName(name.slice(2), argument);
    if (typeof item !== 'string') {
      throw invalidCallback(
        `${argument}: custom variable ${quote(name)} must be a string (got ${quote(item)})`,
      );
    }
    vars[name] = item;
  }
  return vars;
}

/** The `callback-var` parameter of custom variables already named `x:name`. */
export function encodeCallbackVar(vars: Readonly<Record<string, string>>): string {
  const value = base64FromUtf8(JSON.stringify(vars));
  checkParameterLength(value, 'callback-var');
  return value;
}

function decodeJsonObject(value: string, argument: string, shape: string): Record<string, unknown> {
  checkParameterLength(value, argument);
  const text = utf8FromBase64(value);
  if (text === undefined) {
    throw invalidCallback(
      `${argument}: the callback configuration is not base64 encoded (base64 of ${shape})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw invalidCallback(`${argument}: the callback configuration is not json format (expected ${shape})`);
  }
  return json as Record<string, unknown>;
}
