// Loads the official OSS SDK vectors copied into oss-vectors.json and turns their wire-level fields
// (raw query strings, header pairs, URLs) into what the public API takes and returns.
import { readFileSync } from 'node:fs';
import type {
  OssCredentials,
  PresignMethod,
  PresignUrlOptions,
  SignRequestOptions,
} from '../../src/index.js';

interface VectorMeta {
  id: string;
  provenance: string;
  source: string;
  also_in?: string[];
  special_chars: string[];
  notes: string;
}

interface RequestInput {
  access_key_id: string;
  access_key_secret: string;
  security_token: string | null;
  bucket: string;
  method: string;
  /** Raw, percent-encoded query string as it appears on the wire ('+' is a literal plus). */
  url_query: string;
  headers: [name: string, value: string][];
}

export interface V1HeaderVector extends VectorMeta {
  kind: 'v1-header';
  input: RequestInput & {
    key: string | null;
    extra_sub_resources: string[];
    date: string;
    sign_time_unix: number;
  };
  expected: { authorization: string; string_to_sign: string };
}

export interface V1PresignVector extends VectorMeta {
  kind: 'v1-presign';
  input: RequestInput & { key: string; expires_unix: number; expires_iso: string };
  expected: { signature: string; signature_urlencoded: string; string_to_sign: string; signed_url?: string };
}

interface V4Input extends RequestInput {
  key: string;
  region: string;
  product: string;
  additional_headers: string[] | null;
  sign_time_unix: number;
  sign_time_iso: string;
}

interface V4Intermediate {
  canonical_request: string;
  string_to_sign: string;
  note?: string;
}

export interface V4HeaderVector extends VectorMeta {
  kind: 'v4-header';
  input: V4Input;
  expected: { authorization: string; signature: string; x_oss_date: string; date_header?: string };
  intermediate: V4Intermediate;
}

export interface V4PresignVector extends VectorMeta {
  kind: 'v4-presign';
  input: V4Input & { expires_at_unix: number };
  expected: {
    signature: string;
    x_oss_date: string;
    x_oss_expires: string;
    x_oss_credential: string;
    x_oss_additional_headers?: string;
    signed_url?: string;
  };
  intermediate: V4Intermediate;
}

export interface PostObjectV1Vector extends VectorMeta {
  kind: 'postobject-v1';
  input: { access_key_id: string; access_key_secret: string; policy: string };
  expected: { policy_base64: string; signature: string };
}

type Vector = V1HeaderVector | V1PresignVector | V4HeaderVector | V4PresignVector | PostObjectV1Vector;
type VectorOfKind<K extends Vector['kind']> = Extract<Vector, { kind: K }>;

const KINDS: readonly Vector['kind'][] = [
  'v1-header',
  'v1-presign',
  'v4-header',
  'v4-presign',
  'postobject-v1',
];

function loadVectors(): Vector[] {
  const vectors = JSON.parse(
    readFileSync(new URL('./oss-vectors.json', import.meta.url), 'utf8'),
  ) as Vector[];
  const ids = new Set<string>();
  for (const vector of vectors) {
    // A kind without a runner would be skipped without anyone noticing.
    if (!KINDS.includes(vector.kind))
      throw new Error(`vector ${vector.id}: no runner for kind ${vector.kind}`);
    if (ids.has(vector.id)) throw new Error(`duplicate vector id ${vector.id}`);
    ids.add(vector.id);
  }
  return vectors;
}

const allVectors = loadVectors();

export function vectorsOfKind<K extends Vector['kind']>(kind: K): VectorOfKind<K>[] {
  return allVectors.filter((vector): vector is VectorOfKind<K> => vector.kind === kind);
}

export function credentialsOf(input: {
  access_key_id: string;
  access_key_secret: string;
  security_token?: string | null;
}): OssCredentials {
  return {
    accessKeyId: input.access_key_id,
    accessKeySecret: input.access_key_secret,
    ...(input.security_token != null && { securityToken: input.security_token }),
  };
}

function withoutDuplicates(pairs: [string, string][], what: string): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of pairs) {
    if (Object.hasOwn(record, name))
      throw new Error(`${what} ${name} appears twice; a record cannot hold it`);
    record[name] = value;
  }
  return record;
}

/** The vector's header pairs as the `headers` option, names kept in their case. */
export function headersOf(input: RequestInput): Record<string, string> {
  return withoutDuplicates(input.headers, 'header');
}

// CloudBox requires an endpoint (the region is the CloudBox id); this is the host the official Go
// test signs for (alibabacloud-oss-go-sdk-v2 oss/signer/signer_test.go, TestV4Auth*WithCloudBox).
const CLOUDBOX_ENDPOINT = 'http://cb-123.cn-hangzhou.oss-cloudbox.aliyuncs.com';

/** A v1-header vector as signRequest options. */
export function v1HeaderOptions(vector: V1HeaderVector): SignRequestOptions {
  const { input } = vector;
  return {
    bucket: input.bucket,
    ...(input.key !== null && { key: input.key }),
    method: input.method,
    query: queryOf(input),
    headers: headersOf(input),
    subResources: input.extra_sub_resources,
    credentials: credentialsOf(input),
    signatureVersion: 'v1',
    now: new Date(input.sign_time_unix * 1000),
  };
}

/** The vectors give only the Expires instant; a V1 signature depends on nothing else of the clock. */
export const V1_PRESIGN_EXPIRES_IN = 900;

/** A v1-presign vector as presignUrl options, signed at `Expires - 900 s`. */
export function v1PresignOptions(vector: V1PresignVector): PresignUrlOptions {
  const { input } = vector;
  return {
    bucket: input.bucket,
    // The vectors carry no region; their signed URLs are on oss-cn-hangzhou.
    region: 'cn-hangzhou',
    key: input.key,
    method: input.method as PresignMethod,
    query: queryOf(input),
    headers: headersOf(input),
    credentials: credentialsOf(input),
    signatureVersion: 'v1',
    expiresIn: V1_PRESIGN_EXPIRES_IN,
    now: new Date((input.expires_unix - V1_PRESIGN_EXPIRES_IN) * 1000),
  };
}

/** A v4-header vector as signRequest options. */
export function v4HeaderOptions(vector: V4HeaderVector): SignRequestOptions {
  return { ...v4Options(vector), method: vector.input.method };
}

/** A v4-presign vector as presignUrl options. */
export function v4PresignOptions(vector: V4PresignVector): PresignUrlOptions {
  const { input } = vector;
  return {
    ...v4Options(vector),
    method: input.method as PresignMethod,
    expiresIn: input.expires_at_unix - input.sign_time_unix,
  };
}

/** The options every V4 vector maps to, shared by signRequest and presignUrl. */
function v4Options(vector: V4HeaderVector | V4PresignVector) {
  const { input } = vector;
  return {
    bucket: input.bucket,
    region: input.region,
    product: input.product,
    ...(input.product === 'oss-cloudbox' && { endpoint: CLOUDBOX_ENDPOINT }),
    key: input.key,
    query: queryOf(input),
    headers: headersOf(input),
    ...(input.additional_headers !== null && { additionalHeaders: input.additional_headers }),
    credentials: credentialsOf(input),
    signatureVersion: 'v4' as const,
    now: new Date(input.sign_time_unix * 1000),
  };
}

/**
 * Splits a raw query string on '&', each part at its first '=' (a bare name has the value ''), and
 * percent-decodes both halves. '+' is taken literally, as the vectors' SDKs read it.
 */
function parseRawQuery(rawQuery: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const name = equals === -1 ? part : part.slice(0, equals);
    const value = equals === -1 ? '' : part.slice(equals + 1);
    pairs.push([decodeURIComponent(name), decodeURIComponent(value)]);
  }
  return pairs;
}

/** The vector's `url_query` as the `query` option. */
export function queryOf(input: RequestInput): Record<string, string> {
  return withoutDuplicates(parseRawQuery(input.url_query), 'query parameter');
}

/**
 * A header of a result looked up case-insensitively; two spellings of one name would leave the
 * client sending both, so that fails here.
 */
export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const matches = Object.keys(headers).filter((candidate) => candidate.toLowerCase() === name.toLowerCase());
  if (matches.length > 1) throw new Error(`header ${name} is present as ${matches.join(', ')}`);
  return matches[0] === undefined ? undefined : headers[matches[0]];
}

// RFC 3986 query characters except '+' (read as a space by form decoders) and '&' / '=' (separators).
const QUERY_COMPONENT = /^(?:[A-Za-z0-9\-._~!$'()*,;:@/?]|%[0-9A-Fa-f]{2})*$/;
// What the official SDKs leave unescaped in a key's path: unreserved characters and '/'.
const PATH = /^(?:[A-Za-z0-9\-._~/]|%[0-9A-Fa-f]{2})*$/;

export interface ParsedUrl {
  scheme: string;
  host: string;
  /** Raw (still percent-encoded) path. */
  path: string;
  /** Decoded query parameters in URL order; a bare name has the value ''. */
  params: [string, string][];
}

/** Splits a URL by hand, without WHATWG `URL`, which would quietly re-encode what a signer left raw. */
export function parseUrl(url: string): ParsedUrl {
  const match = /^(https?):\/\/([^/?#]+)(\/[^?#]*)(?:\?([^#]*))?$/.exec(url);
  if (!match) throw new Error(`not an absolute http(s) URL without fragment: ${url}`);
  const [, scheme = '', host = '', path = '', rawQuery = ''] = match;
  if (!PATH.test(path)) throw new Error(`path ${path} has characters that should be percent-encoded`);
  for (const part of rawQuery.split('&')) {
    for (const component of part.split('=')) {
      if (!QUERY_COMPONENT.test(component))
        throw new Error(`query component ${component} is not strictly encoded`);
    }
  }
  return { scheme, host, path, params: parseRawQuery(rawQuery) };
}

/** The one value of a URL parameter; undefined when absent, an error when repeated. */
export function paramValue(url: ParsedUrl, name: string): string | undefined {
  const values = url.params.filter(([candidate]) => candidate === name).map(([, value]) => value);
  if (values.length > 1) throw new Error(`query parameter ${name} appears ${values.length} times`);
  return values[0];
}

/** Decoded name/value pairs in a canonical order, for comparing parameter multisets. */
export function sortedPairs(pairs: [string, string][]): string[] {
  return pairs.map(([name, value]) => JSON.stringify([name, value])).sort();
}

/** The decoded parameters of a V4 canonical query line (encoded names and values, bare names for ''). */
export function canonicalQueryPairs(canonicalRequest: string): [string, string][] {
  const line = canonicalRequest.split('\n')[2];
  if (line === undefined) throw new Error('canonical request has no query line');
  return parseRawQuery(line);
}

/** The `name:value` header lines of a V4 canonical request: every header the client must send. */
export function canonicalHeaders(canonicalRequest: string): [string, string][] {
  const lines = canonicalRequest.split('\n');
  const end = lines.indexOf('', 3);
  return lines.slice(3, end).map(splitHeaderLine);
}

/**
 * The headers a V1 string to sign covers: Content-MD5 and Content-Type (when not empty) and the
 * `x-oss-*` lines between the date line and the canonical resource.
 */
export function v1SignedHeaders(stringToSign: string): [string, string][] {
  const lines = stringToSign.split('\n');
  const signed: [string, string][] = [];
  if (lines[1]) signed.push(['content-md5', lines[1]]);
  if (lines[2]) signed.push(['content-type', lines[2]]);
  return [...signed, ...lines.slice(4, -1).map(splitHeaderLine)];
}

function splitHeaderLine(line: string): [string, string] {
  const colon = line.indexOf(':');
  if (colon === -1) throw new Error(`not a header line: ${line}`);
  return [line.slice(0, colon), line.slice(colon + 1)];
}
