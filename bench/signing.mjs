// The signing rows: this library's presigned URLs and POST policies next to ali-oss, the AWS presigner
// (for scale) and the raw node:crypto work that a signature cannot avoid.
//
// Both sides do what a request handler does per upload: build the options, read the clock, sign, and
// return a URL or form fields. Clients (ali-oss OSS, AWS S3Client) are created once, outside the timed
// code, as a server would. Before timing, each ali-oss pairing is checked to produce the same signature
// as this library, so the rows compare the same work.

import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createPostPolicy, presignUrl, signPostPolicy } from 'oss-direct-upload';

const require = createRequire(import.meta.url);
const OSS = require('ali-oss');

export const versions = {
  'ali-oss': require('ali-oss/package.json').version,
  '@aws-sdk/s3-request-presigner': require('@aws-sdk/s3-request-presigner/package.json').version,
};

const BUCKET = 'examplebucket';
const REGION = 'cn-hangzhou';
const KEY = 'uploads/user-42/2024/photo-0001.jpg';
const EXPIRES_IN = 3600;
const CONTENT_TYPE = 'image/jpeg';
// Realistic shapes: a 24-character AccessKey ID, a 30-character secret, and an STS token of the usual
// ~600 base64 characters (its '+', '/' and '=' must be percent-encoded in a URL).
const longTerm = {
  accessKeyId: 'LTAI5tBenchmarkKeyId0001',
  accessKeySecret: 'BenchmarkSecretNotARealOne0001',
};
const temporary = {
  accessKeyId: 'STS.NTBenchmarkTemporaryKey01',
  accessKeySecret: randomBytes(33).toString('base64'),
  securityToken: `CAIS${randomBytes(450).toString('base64')}`,
  expiration: new Date(Date.now() + 12 * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
};
const postConditions = {
  keyPrefix: 'uploads/user-42/',
  contentLengthRange: [1, 10 * 1024 * 1024],
  contentType: { startsWith: 'image/' },
  expiresIn: EXPIRES_IN,
};

function aliOssClient(credentials) {
  return new OSS({
    region: `oss-${REGION}`,
    bucket: BUCKET,
    secure: true,
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.accessKeySecret,
    stsToken: credentials.securityToken,
  });
}

function s3Client(credentials) {
  return new S3Client({
    region: 'us-east-1',
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.accessKeySecret,
      sessionToken: credentials.securityToken,
    },
  });
}

// The physical limit of V1: one HMAC-SHA1 over a string-to-sign of the same shape as the row's.
function rawHmacSha1(stringToSign) {
  return () => createHmac('sha1', longTerm.accessKeySecret).update(stringToSign).digest('base64');
}

// The physical limit of V4 with a cached signing key: hash the canonical request, then one HMAC-SHA256.
function rawSha256HmacSha256(canonicalRequest) {
  const signingKey = randomBytes(32);
  const scope = `20250101T000000Z\n20250101/${REGION}/oss/aliyun_v4_request\n`;
  return () => {
    const hashed = createHash('sha256').update(canonicalRequest).digest('hex');
    return createHmac('sha256', signingKey).update(`OSS4-HMAC-SHA256\n${scope}${hashed}`).digest('hex');
  };
}

function v4CanonicalRequest(method, credentials, extraHeaders) {
  const credential = encodeURIComponent(
    `${credentials.accessKeyId}/20250101/${REGION}/oss/aliyun_v4_request`,
  );
  const token = credentials.securityToken
    ? `&x-oss-security-token=${encodeURIComponent(credentials.securityToken)}`
    : '';
  return [
    method,
    `/${BUCKET}/${KEY}`,
    `x-oss-credential=${credential}&x-oss-date=20250101T000000Z&x-oss-expires=${EXPIRES_IN}${token}` +
      '&x-oss-signature-version=OSS4-HMAC-SHA256',
    extraHeaders,
    '',
    'UNSIGNED-PAYLOAD',
  ].join('\n');
}

const v1Expires = String(Math.floor(Date.now() / 1000) + EXPIRES_IN);

/**
 * One group per table row. `others` are compared as (their time / ours); `limit` as (ours / limit).
 * `target` is the goal for that ratio. `signatureChecked`: checkEquivalence() compares that
 * alternative's signature with ours.
 */
export function signingGroups() {
  const aliLong = aliOssClient(longTerm);
  const aliSts = aliOssClient(temporary);
  const s3Long = s3Client(longTerm);
  const s3Sts = s3Client(temporary);
  const preBuiltV4 = createPostPolicy({
    bucket: BUCKET,
    region: REGION,
    credentials: longTerm,
    ...postConditions,
  });
  const preBuiltV1 = createPostPolicy({
    bucket: BUCKET,
    region: REGION,
    credentials: longTerm,
    ...postConditions,
    signatureVersion: 'v1',
  });
  const preBuiltV4Date = new Date(preBuiltV4.expiresAt.getTime() - EXPIRES_IN * 1000);

  return [
    {
      id: 'v1-get',
      title: 'Presigned URL V1, GET',
      ours: {
        name: 'presignUrl',
        fn: () =>
          presignUrl({
            bucket: BUCKET,
            region: REGION,
            credentials: longTerm,
            key: KEY,
            expiresIn: EXPIRES_IN,
            signatureVersion: 'v1',
          }).url,
      },
      others: [
        {
          signatureChecked: true,
          name: 'ali-oss signatureUrl',
          fn: () => aliLong.signatureUrl(KEY, { expires: EXPIRES_IN }),
          target: { faster: 2 },
        },
      ],
      limit: {
        name: 'raw HMAC-SHA1',
        fn: rawHmacSha1(`GET\n\n\n${v1Expires}\n/${BUCKET}/${KEY}`),
        target: { within: 2.5 },
      },
    },
    {
      id: 'v1-put-sts',
      title: 'Presigned URL V1, PUT + Content-Type + STS token',
      ours: {
        name: 'presignUrl',
        fn: () =>
          presignUrl({
            bucket: BUCKET,
            region: REGION,
            credentials: temporary,
            key: KEY,
            method: 'PUT',
            contentType: CONTENT_TYPE,
            expiresIn: EXPIRES_IN,
            signatureVersion: 'v1',
          }).url,
      },
      others: [
        {
          signatureChecked: true,
          name: 'ali-oss signatureUrl',
          fn: () =>
            aliSts.signatureUrl(KEY, { method: 'PUT', expires: EXPIRES_IN, 'Content-Type': CONTENT_TYPE }),
          target: { faster: 2 },
        },
      ],
      limit: {
        name: 'raw HMAC-SHA1',
        fn: rawHmacSha1(
          `PUT\n\n${CONTENT_TYPE}\n${v1Expires}\n/${BUCKET}/${KEY}?security-token=${temporary.securityToken}`,
        ),
        target: { within: 2.5 },
      },
    },
    {
      id: 'v4-get',
      title: 'Presigned URL V4, GET',
      ours: {
        name: 'presignUrl',
        fn: () =>
          presignUrl({
            bucket: BUCKET,
            region: REGION,
            credentials: longTerm,
            key: KEY,
            expiresIn: EXPIRES_IN,
          }).url,
      },
      others: [
        {
          signatureChecked: true,
          name: 'ali-oss signatureUrlV4',
          async: true,
          fn: () => aliLong.signatureUrlV4('GET', EXPIRES_IN, undefined, KEY),
          target: { faster: 4 },
        },
        {
          name: 'AWS getSignedUrl (S3)',
          async: true,
          fn: () =>
            getSignedUrl(s3Long, new GetObjectCommand({ Bucket: BUCKET, Key: KEY }), {
              expiresIn: EXPIRES_IN,
            }),
        },
      ],
      limit: {
        name: 'raw SHA-256 + HMAC-SHA256',
        fn: rawSha256HmacSha256(v4CanonicalRequest('GET', longTerm, '')),
      },
    },
    {
      id: 'v4-put-sts',
      title: 'Presigned URL V4, PUT + Content-Type + STS token',
      ours: {
        name: 'presignUrl',
        fn: () =>
          presignUrl({
            bucket: BUCKET,
            region: REGION,
            credentials: temporary,
            key: KEY,
            method: 'PUT',
            contentType: CONTENT_TYPE,
            expiresIn: EXPIRES_IN,
          }).url,
      },
      others: [
        {
          signatureChecked: true,
          name: 'ali-oss signatureUrlV4',
          async: true,
          fn: () =>
            aliSts.signatureUrlV4('PUT', EXPIRES_IN, { headers: { 'Content-Type': CONTENT_TYPE } }, KEY),
          target: { faster: 4 },
        },
        {
          name: 'AWS getSignedUrl (S3)',
          async: true,
          fn: () =>
            getSignedUrl(
              s3Sts,
              new PutObjectCommand({ Bucket: BUCKET, Key: KEY, ContentType: CONTENT_TYPE }),
              {
                expiresIn: EXPIRES_IN,
              },
            ),
        },
      ],
      limit: {
        name: 'raw SHA-256 + HMAC-SHA256',
        fn: rawSha256HmacSha256(v4CanonicalRequest('PUT', temporary, `content-type:${CONTENT_TYPE}\n`)),
      },
    },
    {
      id: 'post-v4',
      title: 'POST policy V4, built and signed',
      ours: {
        name: 'createPostPolicy',
        fn: () =>
          createPostPolicy({ bucket: BUCKET, region: REGION, credentials: longTerm, ...postConditions }),
      },
      others: [
        {
          signatureChecked: true,
          name: 'ali-oss signPostObjectPolicyV4 (policy pre-built)',
          fn: () => aliLong.signPostObjectPolicyV4(preBuiltV4.policy, new Date()),
          target: { faster: 1.5 },
        },
      ],
    },
    {
      id: 'post-v4-sign',
      title: 'POST policy V4, sign a pre-built policy',
      ours: {
        name: 'signPostPolicy',
        fn: () =>
          signPostPolicy(preBuiltV4.policy, { credentials: longTerm, region: REGION, now: preBuiltV4Date }),
      },
      others: [
        {
          signatureChecked: true,
          name: 'ali-oss signPostObjectPolicyV4',
          fn: () => aliLong.signPostObjectPolicyV4(preBuiltV4.policy, preBuiltV4Date),
        },
      ],
    },
    {
      id: 'post-v1',
      title: 'POST policy V1, built and signed',
      ours: {
        name: 'createPostPolicy',
        fn: () =>
          createPostPolicy({
            bucket: BUCKET,
            region: REGION,
            credentials: longTerm,
            ...postConditions,
            signatureVersion: 'v1',
          }),
      },
      others: [
        {
          signatureChecked: true,
          name: 'ali-oss calculatePostSignature (policy pre-built)',
          fn: () => aliLong.calculatePostSignature(preBuiltV1.policy),
        },
      ],
    },
  ];
}

// Calls `pair` until both sides signed for the same second, then compares the signatures. ali-oss
// rounds V1 times to the nearest second where this library truncates, so a retry waits for the start
// of the next second, where both agree.
async function sameSecond(pair) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const { oursTime, theirsTime, ours, theirs } = await pair();
    if (oursTime === theirsTime) return ours === theirs;
    await new Promise((resolve) => setTimeout(resolve, 1010 - (Date.now() % 1000)));
  }
  return false;
}

function policyText(result) {
  return Buffer.from(result.fields.policy, 'base64').toString('utf8');
}

function query(url) {
  return new URL(url).searchParams;
}

/** Same inputs, same signature? Proves each ali-oss pairing does the same work as ours. */
export async function checkEquivalence() {
  const aliLong = aliOssClient(longTerm);
  const aliSts = aliOssClient(temporary);
  const base = { bucket: BUCKET, region: REGION, key: KEY, expiresIn: EXPIRES_IN };

  const v1 = (ourOptions, theirOptions, client) => async () => {
    const ours = query(presignUrl({ ...base, ...ourOptions, signatureVersion: 'v1' }).url);
    const theirs = query(client.signatureUrl(KEY, { expires: EXPIRES_IN, ...theirOptions }));
    return {
      oursTime: ours.get('Expires'),
      theirsTime: theirs.get('Expires'),
      ours: ours.get('Signature'),
      theirs: theirs.get('Signature'),
    };
  };
  const v4 = (ourOptions, method, request, client) => async () => {
    const ours = query(presignUrl({ ...base, ...ourOptions }).url);
    const theirs = query(await client.signatureUrlV4(method, EXPIRES_IN, request, KEY));
    return {
      oursTime: ours.get('x-oss-date'),
      theirsTime: theirs.get('x-oss-date'),
      ours: ours.get('x-oss-signature'),
      theirs: theirs.get('x-oss-signature'),
    };
  };
  const now = new Date();
  const postV4 = createPostPolicy({
    bucket: BUCKET,
    region: REGION,
    credentials: longTerm,
    ...postConditions,
    now,
  });
  const postV1 = createPostPolicy({
    bucket: BUCKET,
    region: REGION,
    credentials: longTerm,
    ...postConditions,
    signatureVersion: 'v1',
  });

  return {
    'v1-get': await sameSecond(v1({ credentials: longTerm }, {}, aliLong)),
    'v1-put-sts': await sameSecond(
      v1(
        { credentials: temporary, method: 'PUT', contentType: CONTENT_TYPE },
        { method: 'PUT', 'Content-Type': CONTENT_TYPE },
        aliSts,
      ),
    ),
    'v4-get': await sameSecond(v4({ credentials: longTerm }, 'GET', undefined, aliLong)),
    'v4-put-sts': await sameSecond(
      v4(
        { credentials: temporary, method: 'PUT', contentType: CONTENT_TYPE },
        'PUT',
        { headers: { 'Content-Type': CONTENT_TYPE } },
        aliSts,
      ),
    ),
    // ali-oss re-serialises a policy with JSON.stringify, so it is given the exact JSON text we signed.
    'post-v4': aliLong.signPostObjectPolicyV4(policyText(postV4), now) === postV4.fields['x-oss-signature'],
    'post-v4-sign':
      aliLong.signPostObjectPolicyV4(policyText(postV4), now) ===
      signPostPolicy(postV4.policy, { credentials: longTerm, region: REGION, now }).fields['x-oss-signature'],
    'post-v1': aliLong.calculatePostSignature(policyText(postV1)).Signature === postV1.fields.Signature,
  };
}
