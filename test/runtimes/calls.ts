// What each runtime is made to run (through runner.ts): the official vectors, a fixed-seed random sample of
// every signing function, and the calls whose outcome depends on the runtime (callback verification, STS).
import fc from 'fast-check';
import {
  callbackParamCase,
  decodeJson,
  paramVectors,
  verifyVectors,
  withoutDefaults,
} from '../conformance/callback-vectors.js';
import {
  headerValue,
  paramValue,
  parseUrl,
  type V4HeaderVector,
  type V4PresignVector,
  v1HeaderOptions,
  v1PresignOptions,
  v4HeaderOptions,
  v4PresignOptions,
  vectorsOfKind,
} from '../conformance/vectors.js';
import {
  additionalHeadersArb,
  bucketArb,
  contentTypeArb,
  credentialsArb,
  type HeaderEntry,
  keyArb,
  methodArb,
  nowArb,
  ossHeadersArb,
  otherHeadersArb,
  type QueryEntry,
  queryValueArb,
  regionArb,
  targetArb,
  toRecord,
  v1SubResourceQueryArb,
  v4QueryArb,
} from '../support/arbitraries.js';
import type { Call } from './runner.js';

/** A vector's call, and the official values its result must hold: [what, actual, expected]. */
export interface ConformanceCase {
  id: string;
  call: Call;
  official(value: unknown): [what: string, actual: unknown, expected: unknown][];
}

type Signed = { headers: Record<string, string>; stringToSign: string; canonicalRequest?: string };
type Presigned = { url: string };

/** Every official vector of test/conformance, through the functions its conformance test calls. */
export function conformanceCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  for (const vector of vectorsOfKind('v1-header')) {
    const { expected, input } = vector;
    cases.push({
      id: vector.id,
      call: { fn: 'signRequest', args: [v1HeaderOptions(vector)] },
      official: (value) => [
        ['stringToSign', (value as Signed).stringToSign, expected.string_to_sign],
        ['Authorization', headerValue((value as Signed).headers, 'Authorization'), expected.authorization],
      ],
    });
    cases.push(
      primitiveV1(vector.id, expected.string_to_sign, input.access_key_secret, expected.authorization),
    );
  }
  for (const vector of vectorsOfKind('v1-presign')) {
    const { expected, input } = vector;
    cases.push({
      id: vector.id,
      call: { fn: 'presignUrl', args: [v1PresignOptions(vector)] },
      official: (value) => [
        ['Signature', paramValue(parseUrl((value as Presigned).url), 'Signature'), expected.signature],
      ],
    });
    cases.push(primitiveV1(vector.id, expected.string_to_sign, input.access_key_secret, expected.signature));
  }
  for (const vector of vectorsOfKind('v4-header')) {
    const { expected, intermediate } = vector;
    cases.push({
      id: vector.id,
      call: { fn: 'signRequest', args: [v4HeaderOptions(vector)] },
      official: (value) => [
        ['canonicalRequest', (value as Signed).canonicalRequest, intermediate.canonical_request],
        ['stringToSign', (value as Signed).stringToSign, intermediate.string_to_sign],
        ['Authorization', headerValue((value as Signed).headers, 'Authorization'), expected.authorization],
      ],
    });
    cases.push(primitiveV4(vector));
  }
  for (const vector of vectorsOfKind('v4-presign')) {
    cases.push({
      id: vector.id,
      call: { fn: 'presignUrl', args: [v4PresignOptions(vector)] },
      official: (value) => [
        [
          'x-oss-signature',
          paramValue(parseUrl((value as Presigned).url), 'x-oss-signature'),
          vector.expected.signature,
        ],
      ],
    });
    cases.push(primitiveV4(vector));
  }
  for (const vector of vectorsOfKind('postobject-v1')) {
    const { input, expected } = vector;
    const credentials = { accessKeyId: input.access_key_id, accessKeySecret: input.access_key_secret };
    cases.push({
      id: vector.id,
      call: { fn: 'signPostPolicy', args: [input.policy, { credentials, signatureVersion: 'v1' }] },
      official: (value) => {
        const signed = value as { policy: string; fields: Record<string, string> };
        return [
          ['policy', signed.policy, expected.policy_base64],
          ['Signature', signed.fields.Signature, expected.signature],
        ];
      },
    });
  }
  for (const vector of paramVectors) {
    const call = callbackParamCase(vector);
    cases.push({
      id: vector.id,
      call: { fn: 'createCallback', args: [call.options] },
      official: (value) => {
        const { callback, callbackVar } = value as { callback: string; callbackVar?: string };
        if (call.parameter === 'callbackVar') return [['callbackVar', callbackVar, call.base64]];
        return [
          ['callback, decoded', withoutDefaults(decodeJson(callback)), withoutDefaults(call.json)],
          ...(call.base64 === undefined
            ? []
            : [['callback', callback, call.base64] as [string, string, string]]),
        ];
      },
    });
  }
  return cases;
}

/** computeSignatureV1 alone on the official string to sign. */
function primitiveV1(id: string, stringToSign: string, secret: string, expected: string): ConformanceCase {
  return {
    id: `${id} (computeSignatureV1)`,
    call: { fn: 'computeSignatureV1', args: [stringToSign, { accessKeySecret: secret }] },
    // A header vector gives the whole Authorization header: `OSS <id>:<signature>`.
    official: (value) => [['signature', value, expected.slice(expected.lastIndexOf(':') + 1)]],
  };
}

/** computeSignatureV4 alone on the official string to sign. */
function primitiveV4(vector: V4HeaderVector | V4PresignVector): ConformanceCase {
  const { input, expected, intermediate } = vector;
  return {
    id: `${vector.id} (computeSignatureV4)`,
    call: {
      fn: 'computeSignatureV4',
      args: [
        intermediate.string_to_sign,
        {
          accessKeySecret: input.access_key_secret,
          date: expected.x_oss_date.slice(0, 8),
          region: input.region,
          product: input.product,
        },
      ],
    },
    official: (value) => [['signature', value, expected.signature]],
  };
}

// The random sample: always the same (the seed is fixed), wide enough to reach every code path that
// hashes, encodes or formats: any Unicode in keys, queries, policies, secrets and callback variables.

const SEED = 13_2026;
const versionArb = fc.constantFrom('v1' as const, 'v4' as const);
const addressingArb = fc.constantFrom(
  {},
  { endpoint: 'https://oss-cn-hangzhou-internal.aliyuncs.com' },
  { endpoint: 'https://files.example.com', cname: true },
  { endpoint: 'http://127.0.0.1:9000', pathStyle: true },
);
const locationArb = fc
  .tuple(bucketArb, regionArb, addressingArb)
  .map(([bucket, region, addressing]) => ({ bucket, region, ...addressing }));
const unicodeArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  queryValueArb,
);
const lowerNameArb = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,11}$/);

const queryOf = (entries: QueryEntry[]) => toRecord(entries, (entry) => entry.value);
const headersOf = (entries: HeaderEntry[]) => toRecord(entries, (entry) => entry.value);

/** Headers and the V4 `additionalHeaders` that may name some of them. */
const headersArb = fc
  .tuple(ossHeadersArb, otherHeadersArb, fc.option(contentTypeArb, { nil: undefined }))
  .chain(([oss, other, contentType]) =>
    additionalHeadersArb(other).map((additionalHeaders) => ({
      headers: headersOf([...oss, ...other]),
      ...(contentType !== undefined && { contentType }),
      additionalHeaders,
    })),
  );

const presignUrlArb = fc
  .tuple(locationArb, credentialsArb, keyArb, nowArb(), methodArb, versionArb, v4QueryArb, headersArb)
  .chain(([location, credentials, key, now, method, signatureVersion, query, headers]) =>
    fc.integer({ min: 1, max: 86_400 }).map((expiresIn) => ({
      ...location,
      credentials,
      key,
      now,
      method,
      signatureVersion,
      expiresIn,
      query: queryOf(query),
      ...headers,
      ...(signatureVersion === 'v1' && { additionalHeaders: undefined }),
    })),
  );

const signRequestArb = fc
  .tuple(regionArb, credentialsArb, targetArb, nowArb(), methodArb, versionArb, v4QueryArb)
  .chain(([region, credentials, target, now, method, signatureVersion, query]) =>
    fc.tuple(headersArb, v1SubResourceQueryArb).map(([{ contentType, ...headers }, subResources]) => ({
      region,
      credentials,
      ...(target.bucket !== undefined && { bucket: target.bucket }),
      ...(target.key !== undefined && { key: target.key }),
      now,
      method,
      signatureVersion,
      query: queryOf([...query, ...(signatureVersion === 'v1' ? subResources : [])]),
      ...headers,
      // signRequest takes the Content-Type among the headers.
      headers: { ...headers.headers, ...(contentType !== undefined && { 'Content-Type': contentType }) },
      ...(signatureVersion === 'v1'
        ? { additionalHeaders: undefined, subResources: subResources.map((e) => e.name) }
        : {}),
    })),
  );

const contentTypeRuleArb = fc.oneof(
  contentTypeArb,
  fc.array(contentTypeArb, { minLength: 1, maxLength: 3 }),
  fc.constantFrom('image/', 'video/', 'text/').map((startsWith) => ({ startsWith })),
);

const createPostPolicyArb = fc
  .tuple(locationArb, credentialsArb, keyArb, fc.boolean(), nowArb(), versionArb)
  .chain(([location, credentials, key, isPrefix, now, signatureVersion]) =>
    fc
      .record({
        contentLengthRange: fc
          .tuple(fc.nat({ max: 1_000_000 }), fc.nat({ max: 5_000_000_000 }))
          .map(([min, extra]) => [min, min + extra]),
        contentType: fc.option(contentTypeRuleArb, { nil: undefined }),
        metadata: fc.dictionary(lowerNameArb, unicodeArb, { maxKeys: 3 }),
        expiresIn: fc.integer({ min: 1, max: 86_400 }),
        successActionStatus: fc.constantFrom(200, 201, 204),
      })
      .map((rest) => ({
        ...location,
        credentials,
        ...(isPrefix ? { keyPrefix: key } : { key }),
        now,
        signatureVersion,
        ...rest,
      })),
  );

/** A policy's exact text, in the library's spacing or another (a string is signed as given). */
const policyTextArb = fc.tuple(nowArb(), unicodeArb, unicodeArb, fc.constantFrom(undefined, 1, '\t')).map(
  ([expiration, bucket, prefix, space]) =>
    (pins: object[] = []) =>
      JSON.stringify(
        {
          expiration,
          conditions: [{ bucket }, ['starts-with', '$key', prefix], ['content-length-range', 0, 10], ...pins],
        },
        null,
        space,
      ),
);

/** The fields a V4 policy must pin to its credentials and signing time. */
function v4Pins(credentials: { accessKeyId: string; securityToken?: string }, region: string, now: Date) {
  const datetime = now.toISOString().replace(/[-:]|\.\d{3}/g, '');
  return [
    { 'x-oss-signature-version': 'OSS4-HMAC-SHA256' },
    {
      'x-oss-credential': `${credentials.accessKeyId}/${datetime.slice(0, 8)}/${region}/oss/aliyun_v4_request`,
    },
    { 'x-oss-date': datetime },
    ...(credentials.securityToken === undefined
      ? []
      : [{ 'x-oss-security-token': credentials.securityToken }]),
  ];
}

const signPostPolicyArb = fc
  .tuple(policyTextArb, credentialsArb, regionArb, nowArb(), versionArb)
  .map(([text, credentials, region, now, signatureVersion]) => [
    text(signatureVersion === 'v4' ? v4Pins(credentials, region, now) : []),
    { credentials, region, now, signatureVersion },
  ]);

const computeSignatureArb = fc.tuple(
  fc.oneof(unicodeArb, fc.string({ unit: 'grapheme', minLength: 100, maxLength: 400 })),
  fc.oneof(
    credentialsArb.map((c) => c.accessKeySecret),
    unicodeArb,
  ),
  nowArb(),
  regionArb,
  fc.constantFrom('oss', 'oss-cloudbox'),
);

const createCallbackArb = fc.record({
  url: fc.constantFrom('https://app.example.com/oss-callback', 'app.example.com:8080/cb?a=1&b=é'),
  body: fc.constantFrom('object=${object}&size=${size}&uid=${x:uid}', '{"object":${object},"uid":${x:uid}}'),
  bodyType: fc.constantFrom('application/x-www-form-urlencoded', 'application/json'),
  vars: fc.dictionary(lowerNameArb, unicodeArb, { maxKeys: 3 }).map((vars) => ({ uid: '42', ...vars })),
});

const uploadIdArb = fc.stringMatching(/^[0-9A-F]{32}$/);
const presignMultipartArb = fc
  .tuple(locationArb, credentialsArb, keyArb, nowArb(), versionArb, uploadIdArb)
  .chain(([location, credentials, key, now, signatureVersion, uploadId]) =>
    fc
      .oneof(
        fc.record({ step: fc.constant('initiate'), contentType: contentTypeArb }),
        fc.record({ step: fc.constant('part'), partNumber: fc.integer({ min: 1, max: 10_000 }) }),
        fc.record({ step: fc.constant('complete'), completeAll: fc.boolean() }),
        fc.record({ step: fc.constant('abort') }),
        fc.record({ step: fc.constant('list'), partNumberMarker: fc.integer({ min: 0, max: 9_999 }) }),
      )
      .map((step) => ({
        ...location,
        credentials,
        key,
        now,
        signatureVersion,
        ...step,
        ...(step.step !== 'initiate' && { uploadId }),
      })),
  );

const checkPostPolicyArb = fc.tuple(policyTextArb, unicodeArb, fc.nat({ max: 20 }), nowArb());

function sample<T>(arbitrary: fc.Arbitrary<T>, numRuns: number, offset: number): T[] {
  return fc.sample(arbitrary, { seed: SEED + offset, numRuns });
}

/** The random sample, `perFunction` calls of each signing function (the bound signer's two methods count as one). */
export function randomCalls(perFunction: number): Call[] {
  const n = perFunction;
  return [
    ...sample(presignUrlArb, n, 1).map((options) => ({ fn: 'presignUrl', args: [options] })),
    ...sample(signRequestArb, n, 2).map((options) => ({ fn: 'signRequest', args: [options] })),
    ...sample(createPostPolicyArb, n, 3).map((options) => ({ fn: 'createPostPolicy', args: [options] })),
    ...sample(signPostPolicyArb, n, 4).map((args) => ({ fn: 'signPostPolicy', args })),
    ...sample(computeSignatureArb, n, 5).flatMap(([text, secret, now, region, product]) => [
      { fn: 'computeSignatureV1', args: [text, { accessKeySecret: secret }] },
      {
        fn: 'computeSignatureV4',
        args: [
          text,
          {
            accessKeySecret: secret,
            date: now.toISOString().slice(0, 10).replaceAll('-', ''),
            region,
            product,
          },
        ],
      },
    ]),
    ...sample(createCallbackArb, n, 6).map((options) => ({ fn: 'createCallback', args: [options] })),
    ...sample(presignMultipartArb, n, 7).map((options) => ({ fn: 'presignMultipart', args: [options] })),
    ...sample(fc.tuple(presignUrlArb, createPostPolicyArb), n, 8).flatMap(([url, post]) => {
      const { bucket, region, endpoint, cname, pathStyle, credentials, signatureVersion, ...perCall } =
        url as typeof url & { endpoint?: string; cname?: boolean; pathStyle?: boolean };
      const config = { bucket, region, endpoint, cname, pathStyle, credentials, signatureVersion };
      const { key, keyPrefix, contentLengthRange, now, expiresIn } = post as typeof post & {
        key?: string;
        keyPrefix?: string;
      };
      return [
        { fn: 'createSigner', args: [config], method: 'presignUrl', methodArgs: [perCall] },
        {
          fn: 'createSigner',
          args: [config],
          method: 'createPostPolicy',
          methodArgs: [{ key, keyPrefix, contentLengthRange, now, expiresIn }],
        },
      ];
    }),
    ...sample(checkPostPolicyArb, n, 9).map(([text, key, fileSize, now]) => ({
      fn: 'checkPostPolicy',
      args: [text(), { key, bucket: 'b' }, { fileSize, now }],
    })),
    ...sample(fc.tuple(bucketArb, keyArb), n, 10).map(([bucket, prefix]) => ({
      fn: 'createUploadPolicy',
      args: [{ bucket, prefix }],
    })),
  ];
}

/** verifyOssCallback on OSS's own signed callbacks: as a raw request, as a Fetch Request, and changed. */
export function callbackVerifyCalls(): Call[] {
  return verifyVectors.flatMap(({ input }) => {
    const url = `${input.request_path_raw}${input.query_string === '' ? '' : `?${input.query_string}`}`;
    const headers = { authorization: input.authorization, 'x-oss-pub-key-url': input.x_oss_pub_key_url };
    return [
      { fn: 'verifyOssCallback', args: [{ url, headers, body: input.body }] },
      {
        fn: 'verifyOssCallback',
        args: [
          { $request: { url: `https://app.example.com${url}`, method: 'POST', headers, body: input.body } },
        ],
      },
      { fn: 'verifyOssCallback', args: [{ url, headers, body: `${input.body} ` }] },
    ];
  });
}

/** The STS provider: it runs on the Node build only. */
export const stsCall: Call = {
  fn: 'createStsCredentialProvider',
  args: [
    {
      roleArn: 'acs:ram::123456789012:role/uploader',
      credentials: { accessKeyId: 'LTAI-example', accessKeySecret: 'example-secret' },
      endpoint: 'http://127.0.0.1:9',
    },
  ],
};
