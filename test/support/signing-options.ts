/**
 * Random options for the signing functions, valid and not: a bound signer's configuration, and the
 * per-call options of presignUrl, createPostPolicy and signRequest. Built from the oracle's arbitraries
 * (./arbitraries.ts) plus the values those leave out because ali-oss cannot take them.
 */
import fc from 'fast-check';
import type { PolicyCondition, SignerConfig } from '../../src/index.js';
import {
  bucketArb,
  contentMd5Arb,
  contentTypeArb,
  credentialsArb,
  expiresInArb,
  keyArb,
  nowArb,
  ossHeadersArb,
  otherHeadersArb,
  queryValueArb,
  regionArb,
  toRecord,
  v1SignedQueryArb,
  v1SubResourceQueryArb,
  v1UnsignedQueryArb,
  v4QueryArb,
} from './arbitraries.js';

const SECONDS_2015 = Date.UTC(2015, 0, 1) / 1000;
const SECONDS_2040 = Date.UTC(2040, 0, 1) / 1000;

/** STS credentials end after every signing time (2015..2040) mostly, sometimes before one. */
const expirationArb = fc
  .tuple(
    fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: SECONDS_2040, max: SECONDS_2040 * 1.1 }) },
      { weight: 1, arbitrary: fc.integer({ min: SECONDS_2015, max: SECONDS_2040 }) },
    ),
    fc.boolean(),
  )
  .map(([seconds, asDate]) => {
    const date = new Date(seconds * 1000);
    return asDate ? date : date.toISOString().replace('.000Z', 'Z');
  });

/** Long-term keys, or STS credentials with a token and maybe an expiry. */
export const signerCredentialsArb = fc
  .tuple(credentialsArb, fc.option(expirationArb, { nil: undefined }))
  .map(([credentials, expiration]) =>
    credentials.securityToken !== undefined && expiration !== undefined
      ? { ...credentials, expiration }
      : credentials,
  );

/** Where a bucket is: every addressing the library knows, with and without a region. */
const locationArb = fc
  .record({
    bucket: bucketArb,
    region: regionArb,
    regionForm: fc.constantFrom('plain', 'plain', 'oss-prefixed', 'absent'),
    endpoint: fc.constantFrom(
      'default',
      'internal',
      'bare-host',
      'http',
      'cname',
      'ip',
      'ipv6',
      'localhost',
      'path-style',
      'cloudbox',
    ),
    explicitFalse: fc.boolean(),
  })
  .map(({ bucket, region, regionForm, endpoint, explicitFalse }) => {
    const regionOption =
      regionForm === 'absent' && endpoint !== 'default'
        ? {}
        : { region: regionForm === 'oss-prefixed' ? `oss-${region}` : region };
    const noFlags = explicitFalse ? { cname: false, pathStyle: false } : {};
    const at = (endpointOption: object) => ({ bucket, ...regionOption, ...endpointOption });
    const addressings = {
      default: () => at(noFlags),
      internal: () => at({ endpoint: `https://oss-${region}-internal.aliyuncs.com`, ...noFlags }),
      'bare-host': () => at({ endpoint: `oss-${region}.aliyuncs.com`, ...noFlags }),
      http: () => at({ endpoint: `http://oss-${region}.aliyuncs.com/`, ...noFlags }),
      cname: () => at({ endpoint: 'https://files.example.com', cname: true }),
      ip: () => at({ endpoint: 'http://127.0.0.1:9000', ...noFlags }),
      ipv6: () => at({ endpoint: 'http://[::1]:9000', ...noFlags }),
      localhost: () => at({ endpoint: 'http://localhost:9000', ...noFlags }),
      'path-style': () => at({ endpoint: 'https://minio.example.net:9000', pathStyle: true }),
      cloudbox: () => ({
        bucket,
        region: 'cb-0123456789',
        product: 'oss-cloudbox',
        endpoint: 'https://cb-0123456789.cn-hangzhou.oss-cloudbox.aliyuncs.com',
      }),
    };
    return addressings[endpoint]();
  });

/** A valid configuration for createSigner. */
export const signerConfigArb: fc.Arbitrary<SignerConfig> = fc
  .tuple(locationArb, signerCredentialsArb, fc.constantFrom(undefined, 'v1' as const, 'v4' as const))
  .map(
    ([location, credentials, signatureVersion]) =>
      // Without a region (an endpoint alone) the configuration is still one createSigner takes.
      ({
        ...location,
        credentials,
        ...(signatureVersion !== undefined && { signatureVersion }),
      }) as SignerConfig,
  );

/** Keys as the oracle makes them, and keys naming `${filename}`, which only a POST form gives a meaning. */
export const anyKeyArb = fc.oneof(
  { weight: 4, arbitrary: keyArb },
  { weight: 1, arbitrary: fc.constantFrom('uploads/${filename}', '${filename}', 'a/${filename}/b') },
  { weight: 1, arbitrary: keyArb.map((key) => `${key.slice(0, 900)}\${filename}`) },
);

/** Values outside what an option takes, to see both sides refuse them alike. */
const badValueArb = fc.constantFrom<unknown>(
  '',
  0,
  -1,
  1.5,
  Number.NaN,
  null,
  true,
  [],
  {},
  'image/*',
  '/leading-slash',
  604_801,
  3_600_000,
  'v2',
  'PATCH',
);

/** The option's own values mostly, a bad value now and then (one time in `odds + 1`). */
function mostly<T>(arbitrary: fc.Arbitrary<T>, odds = 12): fc.Arbitrary<T | unknown> {
  return fc.oneof({ weight: odds, arbitrary }, { weight: 1, arbitrary: badValueArb });
}

const versionArb = fc.constantFrom('v1' as const, 'v4' as const);

const queryArb = fc
  .tuple(v1SignedQueryArb, v1SubResourceQueryArb, v1UnsignedQueryArb, v4QueryArb)
  .map((lists) => toRecord(lists.flat(), (entry) => entry.value));

const headersArb = fc
  .tuple(ossHeadersArb, otherHeadersArb)
  .map((lists) => toRecord(lists.flat(), (entry) => entry.value));

/** `additionalHeaders` / `subResources`: absent mostly (a V1 call refuses additionalHeaders). */
const namesArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  {
    weight: 1,
    arbitrary: fc.uniqueArray(
      fc.constantFrom(
        'cache-control',
        'Content-Disposition',
        'x-custom-header',
        'range',
        'acl',
        'uploads',
        'u-x',
      ),
      { maxLength: 3 },
    ),
  },
);

/** Per-call options of presignUrl; `now` is always given, so that both sides sign at the same time. */
export const presignCallArb = fc.record(
  {
    key: mostly(anyKeyArb),
    method: mostly(fc.constantFrom('GET', 'PUT', 'HEAD', 'DELETE', 'POST')),
    headers: mostly(headersArb),
    query: mostly(queryArb),
    contentType: mostly(contentTypeArb),
    contentMd5: mostly(contentMd5Arb),
    expiresIn: mostly(expiresInArb),
    now: nowArb(),
    additionalHeaders: mostly(namesArb),
    subResources: mostly(namesArb),
    signatureVersion: mostly(versionArb),
  },
  { requiredKeys: ['key', 'now'] },
);

/** Per-call options of signRequest. */
export const requestCallArb = fc.record(
  {
    method: mostly(fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'get', 'put', 'PATCH')),
    key: mostly(anyKeyArb),
    headers: mostly(headersArb),
    query: mostly(queryArb),
    now: nowArb(),
    additionalHeaders: mostly(namesArb),
    subResources: mostly(namesArb),
    signatureVersion: mostly(versionArb),
  },
  { requiredKeys: ['method', 'now'] },
);

const fieldNameArb = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
  fc.constantFrom('x-oss-object-acl', 'Cache-Control', 'x-oss-forbid-overwrite', 'constructor', 'toString'),
);

const formValueArb = fc.oneof(queryValueArb, fc.constantFrom('alice', 'public-read', 'max-age=60'));

/** Raw conditions, on the key, the type and other fields; some OSS refuses, some the library refuses. */
export const conditionArb: fc.Arbitrary<PolicyCondition> = fc.oneof(
  fc
    .tuple(fc.constantFrom('eq' as const, 'starts-with' as const), fieldNameArb, formValueArb)
    .map(([operator, field, value]) => [operator, `$${field}`, value] as const),
  fc
    .tuple(
      fc.constantFrom('in' as const, 'not-in' as const),
      fieldNameArb,
      fc.array(formValueArb, { maxLength: 3 }),
    )
    .map(([operator, field, values]) => [operator, `$${field}`, values] as const),
  fc
    .tuple(fc.constantFrom('starts-with' as const, 'eq' as const, 'not-in' as const), anyKeyArb)
    .map(([operator, key]) =>
      operator === 'not-in' ? (['not-in', '$key', [key]] as const) : ([operator, '$key', key] as const),
    ),
  fc
    .tuple(fc.nat({ max: 1000 }), fc.nat({ max: 1_000_000 }))
    .map(([min, extra]) => ['content-length-range', min, min + extra] as const),
  fc.tuple(fieldNameArb, formValueArb).map(([field, value]) => ({ [field]: value })),
);

/** Per-call options of createPostPolicy: most limit the key and size, a few not, a few refused. */
export const postPolicyCallArb = fc
  .tuple(
    fc.record(
      {
        contentLengthRange: mostly(
          fc
            .tuple(fc.nat({ max: 1000 }), fc.nat({ max: 10_000_000 }))
            .map(([min, extra]) => [min, min + extra]),
          20,
        ),
        contentType: mostly(
          fc.oneof(
            contentTypeArb,
            fc.array(contentTypeArb, { minLength: 1, maxLength: 3 }),
            fc.constantFrom('image/', 'text/', '').map((startsWith) => ({ startsWith })),
          ),
          40,
        ),
        successActionStatus: mostly(fc.constantFrom(200, 201, 204), 40),
        successActionRedirect: mostly(
          fc.constantFrom('https://example.com/done', 'https://example.com/?a=1'),
          40,
        ),
        metadata: mostly(
          fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), formValueArb, { maxKeys: 3 }),
          40,
        ),
        fields: mostly(fc.dictionary(fieldNameArb, formValueArb, { maxKeys: 3 }), 40),
        conditions: mostly(fc.array(conditionArb, { maxLength: 2 }), 40),
        callback: mostly(
          fc.constantFrom(
            'eyJjYWxsYmFja1VybCI6Imh0dHA6Ly9leGFtcGxlLmNvbS9jYiIsImNhbGxiYWNrQm9keSI6ImJ1Y2tldD0ke2J1Y2tldH0mb2JqZWN0PSR7b2JqZWN0fSJ9',
          ),
          40,
        ),
        expiresIn: mostly(expiresInArb, 40),
        allowAnyKey: mostly(fc.boolean(), 40),
        allowAnySize: mostly(fc.boolean(), 40),
        now: nowArb(),
        signatureVersion: mostly(versionArb, 40),
      },
      { requiredKeys: ['now', 'contentLengthRange'] },
    ),
    fc.oneof(
      { weight: 4, arbitrary: anyKeyArb.map((key) => ({ key })) },
      {
        weight: 4,
        arbitrary: fc
          .oneof(
            fc.constantFrom('', 'uploads/', 'a b/'),
            keyArb.map((k) => k.slice(0, 100)),
          )
          .map((keyPrefix) => ({ keyPrefix })),
      },
      { weight: 1, arbitrary: fc.constant({}) },
      { weight: 1, arbitrary: fc.record({ key: mostly(anyKeyArb), keyPrefix: mostly(fc.constant('a/')) }) },
    ),
  )
  .map(([options, key]) => ({ ...options, ...key }));
