// The signing rows and, in each row, the tasks timed side by side: this library called the three ways
// servers call it, ali-oss doing the same work, and the limits (a minimal signer, the node:crypto floor).
//
// The call shapes:
// - literal options: an object literal with every option per call, what the bench measured first;
// - spread options: `presignUrl({ ...ossConfig, key, method: 'PUT', contentType })`, a shared
//   configuration spread into each call, as request handlers do. The long-term rows keep the credentials
//   in the configuration; the STS rows pass the (cached) temporary credentials per call, as a handler
//   does after `await provider.getCredentials()`;
// - bound signer: `createSigner(ossConfig)` once, then `signer.presignUrl({ key, ... })` per call.
// Each call signs a different object key (or, for POST policies, a different user's folder), taken in
// turn from a ring generated before timing. Clients (ali-oss, AWS) and signers are created once per
// task, outside the timed code, as a server creates them once.
//
// Setups are compiled from their source text per task (measure.mjs): they use their `deps` argument
// only, never a variable of this module.

import { createRequire } from 'node:module';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createPostPolicy, createSigner, presignUrl } from 'oss-direct-upload';
import {
  aliOssOptions,
  BUCKET,
  CONTENT_TYPE,
  EXPIRES_IN,
  keyPrefixes,
  keys,
  longTerm,
  MAX_UPLOAD_BYTES,
  REGION,
  temporary,
} from './fixtures.mjs';
import { floorTask } from './floor.mjs';
import { minimalPresignUrl } from './minimal-signer.mjs';

const require = createRequire(import.meta.url);
const OSS = require('ali-oss');
// ali-oss's own helpers, as its README's PostObject V4 example uses them.
const fromAliOss = createRequire(require.resolve('ali-oss'));
const aliOssHelpers = {
  dateFormat: fromAliOss('dateformat'),
  getCredential: require('ali-oss/lib/common/signUtils').getCredential,
  getStandardRegion: require('ali-oss/lib/common/utils/getStandardRegion').getStandardRegion,
  policy2Str: require('ali-oss/lib/common/utils/policy2Str').policy2Str,
};

/** The tasks a row may have, in table order, with their column titles. */
export const COLUMNS = {
  aliOss: 'ali-oss',
  literal: 'literal options',
  spread: 'spread options',
  bound: 'bound signer',
  minimalLiteral: 'minimal signer, literal',
  minimalSpread: 'minimal signer, spread',
  floor: 'node:crypto floor',
  aws: 'AWS getSignedUrl (S3)',
};

const presignGet = {
  literal:
    ({ presign, bucket, region, credentials, expiresIn, signatureVersion }) =>
    (key) =>
      presign({ bucket, region, credentials, key, expiresIn, signatureVersion }),
  spread:
    ({ presign, ossConfig }) =>
    (key) =>
      presign({ ...ossConfig, key }),
  bound: ({ createSigner, ossConfig }) => {
    const signer = createSigner(ossConfig);
    return (key) => signer.presignUrl({ key });
  },
  aliOssV1: ({ OSS, clientOptions, expiresIn }) => {
    const client = new OSS(clientOptions);
    return (key) => client.signatureUrl(key, { expires: expiresIn });
  },
  aliOssV4: ({ OSS, clientOptions, expiresIn }) => {
    const client = new OSS(clientOptions);
    return (key) => client.signatureUrlV4('GET', expiresIn, undefined, key);
  },
  aws: ({ S3Client, GetObjectCommand, getSignedUrl, s3Options, bucket, expiresIn }) => {
    const client = new S3Client(s3Options);
    return (key) => getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn });
  },
};

const presignPutSts = {
  literal:
    ({ presign, bucket, region, credentials, contentType, expiresIn, signatureVersion }) =>
    (key) =>
      presign({ bucket, region, credentials, key, method: 'PUT', contentType, expiresIn, signatureVersion }),
  spread:
    ({ presign, ossConfig, credentials, contentType }) =>
    (key) =>
      presign({ ...ossConfig, credentials, key, method: 'PUT', contentType }),
  bound: ({ createSigner, ossConfig, credentials, contentType }) => {
    const signer = createSigner({ ...ossConfig, credentials });
    return (key) => signer.presignUrl({ key, method: 'PUT', contentType });
  },
  aliOssV1: ({ OSS, clientOptions, contentType, expiresIn }) => {
    const client = new OSS(clientOptions);
    return (key) =>
      client.signatureUrl(key, { method: 'PUT', expires: expiresIn, 'Content-Type': contentType });
  },
  aliOssV4: ({ OSS, clientOptions, contentType, expiresIn }) => {
    const client = new OSS(clientOptions);
    return (key) =>
      client.signatureUrlV4('PUT', expiresIn, { headers: { 'Content-Type': contentType } }, key);
  },
  aws: ({ S3Client, PutObjectCommand, getSignedUrl, s3Options, bucket, contentType, expiresIn }) => {
    const client = new S3Client(s3Options);
    return (key) =>
      getSignedUrl(client, new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: contentType }), {
        expiresIn,
      });
  },
};

// A POST policy for one user's folder: any name under it, 1 byte to 10 MiB, images only.
const postPolicy = {
  literal:
    ({ createPostPolicy, bucket, region, credentials, expiresIn, signatureVersion, maxBytes }) =>
    (keyPrefix) =>
      createPostPolicy({
        bucket,
        region,
        credentials,
        keyPrefix,
        contentLengthRange: [1, maxBytes],
        contentType: { startsWith: 'image/' },
        expiresIn,
        signatureVersion,
      }),
  spread:
    ({ createPostPolicy, ossConfig, maxBytes }) =>
    (keyPrefix) =>
      createPostPolicy({
        ...ossConfig,
        keyPrefix,
        contentLengthRange: [1, maxBytes],
        contentType: { startsWith: 'image/' },
      }),
  bound: ({ createSigner, ossConfig, maxBytes }) => {
    const signer = createSigner(ossConfig);
    return (keyPrefix) =>
      signer.createPostPolicy({
        keyPrefix,
        contentLengthRange: [1, maxBytes],
        contentType: { startsWith: 'image/' },
      });
  },
  // ali-oss builds and signs the policy per call as its README's example does; the signing time is cut
  // to whole seconds so that both sides sign the same policy text.
  aliOssV4: ({ OSS, clientOptions, aliOss, url, expiresIn, maxBytes }) => {
    const client = new OSS(clientOptions);
    const { dateFormat, getCredential, getStandardRegion, policy2Str } = aliOss;
    return (keyPrefix) => {
      const date = new Date();
      date.setMilliseconds(0);
      const expiration = new Date(date.getTime() + expiresIn * 1000);
      const formattedDate = dateFormat(date, "UTC:yyyymmdd'T'HHMMss'Z'");
      const credential = getCredential(
        formattedDate.split('T')[0],
        getStandardRegion(client.options.region),
        client.options.accessKeyId,
      );
      const policy = {
        expiration: expiration.toISOString(),
        conditions: [
          { bucket: client.options.bucket },
          { 'x-oss-signature-version': 'OSS4-HMAC-SHA256' },
          { 'x-oss-credential': credential },
          { 'x-oss-date': formattedDate },
          ['starts-with', '$key', keyPrefix],
          ['content-length-range', 1, maxBytes],
          ['starts-with', '$content-type', 'image/'],
        ],
      };
      const signature = client.signPostObjectPolicyV4(policy, date);
      return {
        url,
        fields: {
          key: `${keyPrefix}\${filename}`,
          'x-oss-signature-version': 'OSS4-HMAC-SHA256',
          'x-oss-credential': credential,
          'x-oss-date': formattedDate,
          policy: Buffer.from(policy2Str(policy), 'utf8').toString('base64'),
          'x-oss-signature': signature,
        },
      };
    };
  },
  aliOssV1: ({ OSS, clientOptions, url, expiresIn, maxBytes }) => {
    const client = new OSS(clientOptions);
    return (keyPrefix) => {
      const expiration = new Date();
      expiration.setMilliseconds(0);
      expiration.setTime(expiration.getTime() + expiresIn * 1000);
      const policy = {
        expiration: expiration.toISOString(),
        conditions: [
          { bucket: client.options.bucket },
          ['starts-with', '$key', keyPrefix],
          ['content-length-range', 1, maxBytes],
          ['starts-with', '$content-type', 'image/'],
        ],
      };
      const signed = client.calculatePostSignature(policy);
      return {
        url,
        fields: {
          key: `${keyPrefix}\${filename}`,
          OSSAccessKeyId: signed.OSSAccessKeyId,
          policy: signed.policy,
          Signature: signed.Signature,
        },
      };
    };
  },
};

function commonDeps(credentials, signatureVersion) {
  return {
    bucket: BUCKET,
    region: REGION,
    credentials,
    expiresIn: EXPIRES_IN,
    signatureVersion,
    contentType: CONTENT_TYPE,
    maxBytes: MAX_UPLOAD_BYTES,
    url: `https://${BUCKET}.oss-${REGION}.aliyuncs.com/`,
    createSigner,
    createPostPolicy,
    OSS,
    clientOptions: aliOssOptions(credentials),
    aliOss: aliOssHelpers,
    S3Client,
    GetObjectCommand,
    PutObjectCommand,
    getSignedUrl,
    s3Options: {
      region: 'us-east-1',
      credentials: {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.accessKeySecret,
        sessionToken: credentials.securityToken,
      },
    },
  };
}

/**
 * A presigned-URL row. `ossConfig` is what a server keeps for the spread and bound calls; `signed` is
 * what every task of the row signs, for the checks and the floor.
 */
function presignRow({ id, title, calls, signed, ossConfig, floorAt }) {
  const v4 = signed.signatureVersion === 'v4';
  const deps = { ...commonDeps(signed.credentials, signed.signatureVersion), ossConfig };
  const ours = { ...deps, presign: presignUrl };
  const minimal = { ...deps, presign: minimalPresignUrl };
  const tasks = {
    aliOss: { setup: v4 ? calls.aliOssV4 : calls.aliOssV1, deps, async: v4 },
    literal: { setup: calls.literal, deps: ours },
    spread: { setup: calls.spread, deps: ours },
    bound: { setup: calls.bound, deps: ours },
    minimalLiteral: { setup: calls.literal, deps: minimal },
    minimalSpread: { setup: calls.spread, deps: minimal },
    floor: floorTask({ bucket: BUCKET, region: REGION, expiresIn: EXPIRES_IN, ...signed }, keys, floorAt),
  };
  if (v4) tasks.aws = { setup: calls.aws, deps, async: true };
  for (const task of Object.values(tasks)) task.inputs ??= keys;
  return { id, title, kind: `presign-${signed.signatureVersion}`, signed, floorAt, tasks };
}

function postRow({ id, title, signatureVersion }) {
  const deps = {
    ...commonDeps(longTerm, signatureVersion),
    ossConfig: {
      bucket: BUCKET,
      region: REGION,
      credentials: longTerm,
      ...(signatureVersion === 'v1' ? { signatureVersion } : {}),
    },
  };
  const calls = postPolicy;
  const tasks = {
    aliOss: { setup: signatureVersion === 'v4' ? calls.aliOssV4 : calls.aliOssV1, deps },
    literal: { setup: calls.literal, deps },
    spread: { setup: calls.spread, deps },
    bound: { setup: calls.bound, deps },
  };
  for (const task of Object.values(tasks)) task.inputs = keyPrefixes;
  return { id, title, kind: `post-${signatureVersion}`, tasks };
}

/** Every signing row. `floorAt` is the time the floor's strings are signed at. */
export function signingRows(floorAt = new Date()) {
  const v1 = { signatureVersion: 'v1' };
  const get = { method: 'GET', credentials: longTerm };
  const putSts = { method: 'PUT', contentType: CONTENT_TYPE, credentials: temporary };
  return [
    presignRow({
      id: 'v1-get',
      title: 'Presigned URL V1, GET',
      calls: presignGet,
      signed: { ...get, signatureVersion: 'v1' },
      ossConfig: { bucket: BUCKET, region: REGION, credentials: longTerm, ...v1 },
      floorAt,
    }),
    presignRow({
      id: 'v1-put-sts',
      title: 'Presigned URL V1, PUT + Content-Type + STS token',
      calls: presignPutSts,
      signed: { ...putSts, signatureVersion: 'v1' },
      ossConfig: { bucket: BUCKET, region: REGION, ...v1 },
      floorAt,
    }),
    presignRow({
      id: 'v4-get',
      title: 'Presigned URL V4, GET',
      calls: presignGet,
      signed: { ...get, signatureVersion: 'v4' },
      ossConfig: { bucket: BUCKET, region: REGION, credentials: longTerm },
      floorAt,
    }),
    presignRow({
      id: 'v4-put-sts',
      title: 'Presigned URL V4, PUT + Content-Type + STS token',
      calls: presignPutSts,
      signed: { ...putSts, signatureVersion: 'v4' },
      ossConfig: { bucket: BUCKET, region: REGION },
      floorAt,
    }),
    postRow({ id: 'post-v4', title: 'POST policy V4, built and signed', signatureVersion: 'v4' }),
    postRow({ id: 'post-v1', title: 'POST policy V1, built and signed', signatureVersion: 'v1' }),
  ];
}
