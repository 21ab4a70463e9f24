// Loads the official callback vectors copied into callback-vectors.json and maps the callback-param ones to
// createCallback options and what it must write (conformance tests here and in test/runtimes use both).
import { readFileSync } from 'node:fs';
import type { CallbackOptions } from '../../src/index.js';

interface VectorMeta {
  id: string;
  source: string;
}
export interface CallbackParamVector extends VectorMeta {
  kind: 'callback-param';
  input: { json: string };
  expected: { base64: string };
}
export interface CallbackVerifyVector extends VectorMeta {
  kind: 'callback-verify';
  input: {
    public_key_pem: string;
    request_path_raw: string;
    query_string: string;
    body: string;
    authorization: string;
    x_oss_pub_key_url: string;
  };
  expected: {
    valid: true;
    string_to_verify: string;
    pub_key_url_decoded: string;
    negative_case: { valid: false; authorization?: string; string_to_verify?: string };
  };
}
type Vector = CallbackParamVector | CallbackVerifyVector;

const vectors = JSON.parse(
  readFileSync(new URL('./callback-vectors.json', import.meta.url), 'utf8'),
) as Vector[];
export const paramVectors = vectors.filter((v): v is CallbackParamVector => v.kind === 'callback-param');
export const verifyVectors = vectors.filter((v): v is CallbackVerifyVector => v.kind === 'callback-verify');

export const decodeJson = (base64: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));

/** Key order and values OSS assumes when absent are free: compare without the written defaults. */
export function withoutDefaults(json: Record<string, unknown>): Record<string, unknown> {
  const { callbackBodyType, callbackSNI, ...rest } = json;
  return {
    ...rest,
    ...(callbackBodyType !== 'application/x-www-form-urlencoded' &&
      callbackBodyType !== undefined && {
        callbackBodyType,
      }),
    ...(callbackSNI === true && { callbackSNI }),
  };
}

/** The vector's JSON fields as createCallback options. */
function optionsOf(json: Record<string, unknown>): Partial<CallbackOptions> {
  const names: Record<string, keyof CallbackOptions> = {
    callbackUrl: 'url',
    callbackHost: 'host',
    callbackBody: 'body',
    callbackBodyType: 'bodyType',
    callbackSNI: 'sni',
  };
  return Object.fromEntries(
    Object.entries(json).map(([field, value]) => {
      const name = names[field];
      if (!name) throw new Error(`no option for the vector field ${field}`);
      return [name, value];
    }),
  );
}

// What a test adds to a vector that lacks it (OSS refuses a callback without a URL or a body).
const FILL = { url: 'https://app.example.com/oss-callback', body: 'object=${object}&size=${size}' };
const JSON_ORDER = ['callbackUrl', 'callbackHost', 'callbackBody', 'callbackBodyType', 'callbackSNI'];

/** A callback-param vector as createCallback options, and what createCallback must write for them. */
export type CallbackParamCase =
  | {
      /** callback-var: the vars option, each name without its 'x:'; `callbackVar` must be the vector's base64. */
      parameter: 'callbackVar';
      options: CallbackOptions;
      base64: string;
    }
  | {
      parameter: 'callback';
      /** The vector's fields alone: createCallback refuses them when `missing` is not empty. */
      given: Partial<CallbackOptions>;
      missing: ('url' | 'body')[];
      /** With what is missing filled in. */
      options: CallbackOptions;
      /** The JSON `callback` must decode to, compared through `withoutDefaults`. */
      json: Record<string, unknown>;
      /** The exact base64, where the vector's key order is createCallback's and nothing was filled in. */
      base64: string | undefined;
    };

export function callbackParamCase(vector: CallbackParamVector): CallbackParamCase {
  const json = JSON.parse(vector.input.json) as Record<string, unknown>;
  const names = Object.keys(json);
  if (names.length > 0 && names.every((name) => name.startsWith('x:'))) {
    const vars = Object.fromEntries(names.map((name) => [name.slice(2), json[name] as string]));
    return { parameter: 'callbackVar', options: { ...FILL, vars }, base64: vector.expected.base64 };
  }
  const given = optionsOf(json);
  const missing = (['url', 'body'] as const).filter((name) => given[name] === undefined);
  const filled = {
    ...(given.url === undefined && { callbackUrl: FILL.url }),
    ...(given.body === undefined && { callbackBody: FILL.body }),
  };
  const inOrder = names.join() === JSON_ORDER.filter((name) => names.includes(name)).join();
  return {
    parameter: 'callback',
    given,
    missing,
    options: { ...FILL, ...given } as CallbackOptions,
    json: { ...json, ...filled },
    base64: missing.length === 0 && inOrder ? vector.expected.base64 : undefined,
  };
}
