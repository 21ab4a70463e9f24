import fc from 'fast-check';

/**
 * Query names V1 signs, copied from the official Go SDK v2 (aliyun/alibabacloud-oss-go-sdk-v2,
 * oss/signer/v1.go, `requiredSignedParametersMap`). Any `x-oss-*` name is signed as well.
 */
export const V1_SIGNED_QUERY_NAMES: readonly string[] = [
  'acl',
  'bucketInfo',
  'location',
  'stat',
  'delete',
  'append',
  'tagging',
  'objectMeta',
  'uploads',
  'uploadId',
  'partNumber',
  'security-token',
  'position',
  'response-content-type',
  'response-content-language',
  'response-expires',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'restore',
  'callback',
  'callback-var',
  'versions',
  'versioning',
  'versionId',
  'sequential',
  'continuation-token',
  'regionList',
  'cloudboxes',
  'symlink',
];

/** Query names a presigned V1 URL adds itself (the caller may not set them). */
const V1_URL_NAMES = ['OSSAccessKeyId', 'Expires', 'Signature', 'security-token'];

/** Query names a V4 signature adds itself. */
export const V4_AUTH_QUERY_NAMES: readonly string[] = [
  'x-oss-signature-version',
  'x-oss-credential',
  'x-oss-date',
  'x-oss-expires',
  'x-oss-signature',
  'x-oss-additional-headers',
  'x-oss-security-token',
];

/** Headers the signer owns: the caller's values for these are replaced, so generators leave them out. */
const SIGNER_HEADERS = ['x-oss-date', 'x-oss-security-token', 'x-oss-content-sha256', ...V4_AUTH_QUERY_NAMES];

export interface QueryEntry {
  name: string;
  value: string | null;
}

export interface HeaderEntry {
  name: string;
  value: string;
}

/** Pieces that URL and canonical-string code tends to get wrong. */
const TRICKY = [
  ' ',
  '+',
  '~',
  '!',
  '*',
  "'",
  '(',
  ')',
  ';',
  ',',
  '=',
  '&',
  '@',
  '$',
  '%',
  '#',
  '?',
  '[',
  ']',
  '{',
  '}',
  '|',
  '/',
  '\\',
  ':',
  '"',
  '<',
  '>',
  '^',
  '`',
  '%2F',
  '%20',
  '%',
  '..',
  '//',
  'é',
  '中文',
  '😀',
  '\u00a0',
  '\ufeff',
  '\t',
  '\n',
];

const SECONDS_2015 = Date.UTC(2015, 0, 1) / 1000;
const SECONDS_2040 = Date.UTC(2040, 0, 1) / 1000;

/** A signing time between 2015 and 2040 with a millisecond part in [0, maxMs]. */
export function nowArb(maxMs = 999): fc.Arbitrary<Date> {
  return fc
    .tuple(fc.integer({ min: SECONDS_2015, max: SECONDS_2040 }), fc.integer({ min: 0, max: maxMs }))
    .map(([seconds, ms]) => new Date(seconds * 1000 + ms));
}

export const bucketArb = fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,20}[a-z0-9]$/);

export const regionArb = fc.constantFrom(
  'cn-hangzhou',
  'cn-shanghai',
  'cn-beijing',
  'cn-hongkong',
  'us-west-1',
  'ap-southeast-1',
  'eu-central-1',
);

/** How a URL addresses its bucket: the host, an internal endpoint, a CNAME, or the path. */
export type Addressing = 'virtual-host' | 'internal' | 'cname' | 'path-style';

export const addressingArb = fc.constantFrom<Addressing>('virtual-host', 'internal', 'cname', 'path-style');

export const methodArb = fc.constantFrom('GET', 'PUT', 'HEAD', 'DELETE');

const printable = (minLength: number, maxLength: number) =>
  fc.string({ unit: 'grapheme-ascii', minLength, maxLength });

/** Printable ASCII without surrounding spaces (ali-oss trims access keys; real ones never have them). */
const trimmedPrintable = (minLength: number, maxLength: number) =>
  printable(minLength, maxLength).filter((s) => s.length > 0 && s.trim() === s);

const base64Arb = (minLength: number, maxLength: number) =>
  fc.uint8Array({ minLength, maxLength }).map((bytes) => Buffer.from(bytes).toString('base64'));

export const credentialsArb = fc.record(
  {
    accessKeyId: fc.stringMatching(/^[A-Za-z0-9]{8,30}$/),
    accessKeySecret: trimmedPrintable(1, 40),
    // STS tokens are long base64 text in practice; any printable ASCII is allowed here.
    securityToken: fc.oneof(base64Arb(200, 700), trimmedPrintable(1, 80)),
  },
  { requiredKeys: ['accessKeyId', 'accessKeySecret'] },
);

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Cuts a string to at most `max` UTF-8 bytes on a code point boundary. */
function truncateUtf8(text: string, max: number): string {
  let out = '';
  let bytes = 0;
  for (const char of text) {
    bytes += utf8Bytes(char);
    if (bytes > max) break;
    out += char;
  }
  return out;
}

/**
 * Object keys as DESIGN.md allows them: any Unicode (control characters, tricky ASCII, non-BMP),
 * 1..1023 UTF-8 bytes, no leading `/` or `\`, no lone surrogates (fast-check's units never make one).
 */
export const keyArb: fc.Arbitrary<string> = fc
  .oneof(
    {
      weight: 6,
      arbitrary: fc
        .array(
          fc.oneof(
            { weight: 3, arbitrary: fc.constantFrom(...TRICKY) },
            { weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }) },
            { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }) },
            { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }) },
          ),
          { minLength: 1, maxLength: 30 },
        )
        .map((pieces) => pieces.join('')),
    },
    {
      // Keys at the 1023-byte limit with 1-, 2-, 3- and 4-byte characters.
      weight: 1,
      arbitrary: fc
        .tuple(fc.string({ unit: 'binary', maxLength: 4 }), fc.constantFrom('a', 'é', '中', '😀', ' ', '+'))
        .map(([head, char]) => head + char.repeat(1023)),
    },
  )
  .map((key) => truncateUtf8(key, 1023))
  .filter((key) => key.length > 0 && !key.startsWith('/') && !key.startsWith('\\'));

/** What a header-signed request addresses: the service, a bucket or an object. */
export const targetArb: fc.Arbitrary<{ bucket: string | undefined; key: string | undefined }> = fc.oneof(
  fc.constant({ bucket: undefined, key: undefined }),
  fc.record({ bucket: bucketArb, key: fc.constant(undefined) }),
  fc.record({ bucket: bucketArb, key: keyArb }),
);

/** Query values: any Unicode, tricky ASCII, realistic ones. */
export const queryValueArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.constantFrom(...TRICKY),
  fc.constantFrom(
    'image/resize,w_100',
    'attachment; filename="a b.txt"; filename*=UTF-8\'\'%E4%B8%AD.txt',
    'text/html; charset=utf-8',
    'no-cache',
  ),
);

/** A value, an empty string or `null` (a bare name). */
const maybeEmptyValueArb = fc.oneof(
  { weight: 4, arbitrary: queryValueArb },
  { weight: 1, arbitrary: fc.constantFrom<string | null>('', null) },
);

const lowerName = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,15}$/);

const ossQueryNameArb = fc.oneof(
  fc.constantFrom('x-oss-process', 'x-oss-traffic-limit', 'x-oss-ac-source-ip', 'x-oss-request-payer'),
  lowerName.map((name) => `x-oss-${name}`),
);

/** Query entries V1 signs on its own: the v2 SDKs' list and `x-oss-*`. */
export const v1SignedQueryArb: fc.Arbitrary<QueryEntry[]> = fc.uniqueArray(
  fc.record({
    name: fc.oneof(
      fc.constantFrom(...V1_SIGNED_QUERY_NAMES.filter((n) => !V1_URL_NAMES.includes(n))),
      ossQueryNameArb,
    ),
    value: maybeEmptyValueArb,
  }),
  { selector: (entry) => entry.name, maxLength: 5 },
);

/** Names V1 does not sign unless listed in `subResources` (ASCII so JS and byte sort agree). */
const customNameArb = fc
  .stringMatching(/^[A-Za-z][A-Za-z0-9._~-]{0,11}$/)
  .filter(
    (name) =>
      !V1_SIGNED_QUERY_NAMES.includes(name) && !name.startsWith('x-oss-') && !V1_URL_NAMES.includes(name),
  );

/** Extra names for the V1 `subResources` option. */
export const v1SubResourceQueryArb: fc.Arbitrary<QueryEntry[]> = fc.uniqueArray(
  fc.record({ name: customNameArb, value: maybeEmptyValueArb }),
  { selector: (entry) => entry.name, maxLength: 3 },
);

/**
 * Query names V1 does not sign: near misses of listed names (the list is case-sensitive) and others.
 * `u-` keeps the random ones apart from the `subResources` names.
 */
export const v1UnsignedQueryArb: fc.Arbitrary<QueryEntry[]> = fc.uniqueArray(
  fc.record({
    name: fc.oneof(
      fc.constantFrom(
        'versionid',
        'ACL',
        'UploadId',
        'partnumber',
        'Response-Content-Type',
        'list-type',
        'prefix',
      ),
      customNameArb.map((name) => `u-${name}`),
    ),
    value: maybeEmptyValueArb,
  }),
  { selector: (entry) => entry.name, maxLength: 3 },
);

/**
 * V4 query entries: every name is signed, so any name goes (listed, `x-oss-*`, plain, odd ASCII,
 * any Unicode) except those the signature adds; values are never '' (see the V4 restrictions).
 */
export const v4QueryArb: fc.Arbitrary<QueryEntry[]> = fc.uniqueArray(
  fc.record({
    name: fc
      .oneof(
        {
          weight: 4,
          arbitrary: fc.constantFrom(...V1_SIGNED_QUERY_NAMES, 'list-type', 'prefix', 'max-keys'),
        },
        { weight: 4, arbitrary: ossQueryNameArb },
        { weight: 3, arbitrary: lowerName },
        { weight: 1, arbitrary: printable(1, 8) },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 4 }) },
      )
      .filter((name) => !V4_AUTH_QUERY_NAMES.includes(name)),
    value: fc.oneof({ weight: 4, arbitrary: queryValueArb.filter((v) => v !== '') }, fc.constant(null)),
  }),
  { selector: (entry) => entry.name, maxLength: 5 },
);

/**
 * `additionalHeaders` for a request carrying `otherHeaders`: names of those headers (any case, maybe
 * twice) and names signed anyway, which signers drop from the list. Only headers with a non-empty value
 * are named (see the V4 restrictions).
 */
export function additionalHeadersArb(otherHeaders: readonly HeaderEntry[]): fc.Arbitrary<string[]> {
  const names = [
    ...otherHeaders.filter((h) => h.value !== '').flatMap((h) => [h.name, h.name]),
    'content-type',
    'Content-MD5',
    'x-oss-meta-author',
  ];
  return fc
    .tuple(...names.map((name) => fc.mixedCase(fc.constant(name))))
    .chain((cased) => fc.shuffledSubarray(cased));
}

export const contentTypeArb = fc.oneof(
  fc.constantFrom(
    'image/png',
    'application/octet-stream',
    'text/plain; charset=utf-8',
    'multipart/form-data; boundary=----x',
    'application/x-www-form-urlencoded',
  ),
  // A MIME wildcard (`image/*`) is refused by the library: no client sends one.
  trimmedPrintable(1, 40).filter((type) => !/^\s*(?:\*|[^\s/;]+\/\*|\*\/[^\s;]*)\s*(?:;|$)/.test(type)),
);

export const contentMd5Arb = base64Arb(16, 16);

/** Header values: printable ASCII, sometimes empty, sometimes padded with spaces or tabs (signers trim). */
const headerValueArb = fc
  .tuple(fc.constantFrom('', '', ' ', '\t', '  '), printable(0, 40), fc.constantFrom('', '', ' ', '\t '))
  .map(([before, inner, after]) => before + inner + after);

/** `x-oss-*` request headers, names in any case, unique ignoring case. */
export const ossHeadersArb: fc.Arbitrary<HeaderEntry[]> = fc.uniqueArray(
  fc
    .record({
      name: fc.mixedCase(
        fc.oneof(
          fc.constantFrom(
            'x-oss-object-acl',
            'x-oss-storage-class',
            'x-oss-forbid-overwrite',
            'x-oss-server-side-encryption',
            'x-oss-tagging',
            'x-oss-meta-author',
          ),
          lowerName.map((name) => `x-oss-meta-${name}`),
          lowerName.map((name) => `x-oss-${name}`),
        ),
      ),
      value: headerValueArb,
    })
    .filter((entry) => !SIGNER_HEADERS.includes(entry.name.toLowerCase())),
  { selector: (entry) => entry.name.toLowerCase(), maxLength: 4 },
);

/** Headers neither version signs by default (V4 signs them when listed in `additionalHeaders`). */
export const otherHeadersArb: fc.Arbitrary<HeaderEntry[]> = fc.uniqueArray(
  fc.record({
    name: fc.mixedCase(
      fc.constantFrom(
        'cache-control',
        'content-disposition',
        'content-encoding',
        'content-language',
        'expires',
        'if-match',
        'range',
        'x-custom-header',
      ),
    ),
    value: headerValueArb,
  }),
  { selector: (entry) => entry.name.toLowerCase(), maxLength: 3 },
);

/** An object operation for the ali-oss client to build (see `sendObjectRequest`). */
export const objectCallArb = fc
  .record({
    key: keyArb,
    operation: fc.constantFrom('put', 'get', 'head', 'delete'),
    ossHeaders: ossHeadersArb,
    otherHeaders: otherHeadersArb,
    contentType: fc.option(contentTypeArb, { nil: undefined }),
    meta: fc.uniqueArray(fc.record({ name: lowerName, value: printable(0, 20) }), {
      selector: (entry) => entry.name,
      maxLength: 3,
    }),
    versionId: fc.option(fc.stringMatching(/^[A-Za-z0-9+/=]{1,40}$/), { nil: undefined }),
    process: fc.option(fc.constantFrom('image/resize,w_100', 'image/info', 'style/thumb'), {
      nil: undefined,
    }),
    responseContentType: fc.option(queryValueArb, { nil: undefined }),
  })
  // ali-oss turns meta into x-oss-meta-* headers: two values for one header would be a different test.
  .filter(({ meta, ossHeaders }) =>
    meta.every((m) => ossHeaders.every((h) => h.name.toLowerCase() !== `x-oss-meta-${m.name}`)),
  );

export type ObjectCall = typeof objectCallArb extends fc.Arbitrary<infer T> ? T : never;

export const expiresInArb = fc.integer({ min: 1, max: 604800 });

export function toRecord<T extends { name: string }, V>(
  entries: readonly T[],
  value: (entry: T) => V,
): Record<string, V> {
  return Object.fromEntries(entries.map((entry) => [entry.name, value(entry)]));
}
