/**
 * Every public signing function, each with a call that succeeds and the names of the inputs it takes, so
 * that a rule about an input is tested through every function that takes it. `call` merges overrides into
 * the function's options (an `undefined` override removes the option); the bound signer's methods route the
 * configuration's names to createSigner and the rest to the method.
 */
import {
  checkPostPolicy,
  computeSignatureV1,
  computeSignatureV4,
  createPostPolicy,
  createSigner,
  presignUrl,
  signPostPolicy,
  signRequest,
} from '../../src/index.js';

export const SECRET = 'Secret+Value/With=Signs-0123456789';
export const TOKEN = 'CAIS-Token+Value/For=Tests-9876543210';
export const NOW = new Date('2030-06-01T12:00:00.000Z');

export function longTermCredentials(): { accessKeyId: string; accessKeySecret: string } {
  return { accessKeyId: 'LTAI5tExampleKeyId', accessKeySecret: SECRET };
}

export function stsCredentials() {
  return {
    accessKeyId: 'STS.NTExampleKeyId',
    accessKeySecret: SECRET,
    securityToken: TOKEN,
    expiration: '2030-06-02T00:00:00Z',
  };
}

export type Options = Record<string, unknown>;

export interface EntryPoint {
  name: string;
  /** The options (or the primitive's own options) of a call that succeeds. */
  base(): Options;
  call(options: Options): unknown;
  /** Top-level option names the function reads. */
  takes: readonly string[];
}

/** Options with overrides applied; an override of `undefined` deletes the option. */
export function withOverrides(base: Options, overrides: Options): Options {
  const options: Options = { ...base };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete options[name];
    else options[name] = value;
  }
  return options;
}

const LOCATION = ['bucket', 'region', 'endpoint', 'cname', 'pathStyle', 'product'] as const;
const CONFIG = [...LOCATION, 'credentials'] as const;

const presignBase = (): Options => ({
  bucket: 'examplebucket',
  region: 'cn-hangzhou',
  credentials: stsCredentials(),
  key: 'photos/cat.jpg',
  method: 'PUT',
  contentType: 'image/jpeg',
  headers: { 'x-oss-meta-owner': 'alice', 'Cache-Control': 'no-cache' },
  query: { 'x-oss-process': 'image/resize,w_100' },
  additionalHeaders: ['cache-control'],
  expiresIn: 600,
  now: NOW,
});
const PRESIGN = [
  ...CONFIG,
  'key',
  'method',
  'contentType',
  'contentMd5',
  'headers',
  'query',
  'additionalHeaders',
  'subResources',
  'expiresIn',
  'signatureVersion',
  'now',
] as const;

const requestBase = (): Options => ({
  bucket: 'examplebucket',
  region: 'cn-hangzhou',
  credentials: stsCredentials(),
  method: 'PUT',
  key: 'photos/cat.jpg',
  headers: { 'Content-Type': 'image/jpeg', 'x-oss-meta-owner': 'alice', 'Cache-Control': 'no-cache' },
  query: { uploadId: 'abc', partNumber: '1' },
  additionalHeaders: ['cache-control'],
  now: NOW,
});
const REQUEST = [
  ...CONFIG,
  'method',
  'key',
  'headers',
  'query',
  'additionalHeaders',
  'subResources',
  'signatureVersion',
  'now',
] as const;

const postPolicyBase = (): Options => ({
  bucket: 'examplebucket',
  region: 'cn-hangzhou',
  credentials: stsCredentials(),
  keyPrefix: 'user/7/',
  contentLengthRange: [1, 1_000_000],
  contentType: ['image/png', 'image/jpeg'],
  metadata: { owner: 'alice' },
  fields: { 'x-oss-object-acl': 'private' },
  conditions: [
    ['starts-with', '$cache-control', ''],
    ['in', '$x-oss-meta-owner', ['alice', 'bob']],
  ],
  successActionStatus: 201,
  expiresIn: 600,
  now: NOW,
});
const POST_POLICY = [
  ...CONFIG,
  'key',
  'keyPrefix',
  'contentLengthRange',
  'contentType',
  'successActionStatus',
  'successActionRedirect',
  'metadata',
  'fields',
  'conditions',
  'callback',
  'expiresIn',
  'allowAnyKey',
  'allowAnySize',
  'signatureVersion',
  'now',
] as const;

/** A V4 policy document that pins the fields of stsCredentials() at NOW in cn-hangzhou. */
export function pinnedPolicy(): { expiration: string; conditions: unknown[] } {
  return {
    expiration: '2030-06-01T13:00:00.000Z',
    conditions: [
      { bucket: 'examplebucket' },
      ['starts-with', '$key', 'user/7/'],
      ['content-length-range', 0, 100],
      ['in', '$content-type', ['image/png']],
      { 'x-oss-signature-version': 'OSS4-HMAC-SHA256' },
      { 'x-oss-credential': 'STS.NTExampleKeyId/20300601/cn-hangzhou/oss/aliyun_v4_request' },
      { 'x-oss-date': '20300601T120000Z' },
      { 'x-oss-security-token': TOKEN },
    ],
  };
}

function boundMethod(
  method: 'presignUrl' | 'createPostPolicy' | 'signRequest',
  base: () => Options,
  takes: readonly string[],
) {
  return {
    name: `createSigner().${method}`,
    base,
    takes,
    call(options: Options) {
      const config: Options = {};
      const call: Options = {};
      for (const [name, value] of Object.entries(options)) {
        if ((CONFIG as readonly string[]).includes(name)) config[name] = value;
        else call[name] = value;
      }
      return createSigner(config as never)[method](call as never);
    },
  } satisfies EntryPoint;
}

/** The functions that take an options object of the signing kind. */
export const SIGNING_ENTRY_POINTS: readonly EntryPoint[] = [
  { name: 'presignUrl', base: presignBase, takes: PRESIGN, call: (o) => presignUrl(o as never) },
  { name: 'signRequest', base: requestBase, takes: REQUEST, call: (o) => signRequest(o as never) },
  {
    name: 'createPostPolicy',
    base: postPolicyBase,
    takes: POST_POLICY,
    call: (o) => createPostPolicy(o as never),
  },
  {
    name: 'signPostPolicy',
    base: () => ({ policy: pinnedPolicy(), credentials: stsCredentials(), region: 'cn-hangzhou', now: NOW }),
    takes: ['policy', 'credentials', 'signatureVersion', 'region', 'product', 'now'],
    call: ({ policy, ...options }) => signPostPolicy(policy as never, options as never),
  },
  boundMethod('presignUrl', presignBase, PRESIGN),
  boundMethod('createPostPolicy', postPolicyBase, POST_POLICY),
  boundMethod('signRequest', requestBase, REQUEST),
];

/** The primitives and checkPostPolicy: their arguments as one options object. */
export const OTHER_ENTRY_POINTS: readonly EntryPoint[] = [
  {
    name: 'computeSignatureV1',
    base: () => ({ stringToSign: 'PUT\n\n\n1700000000\n/examplebucket/a', accessKeySecret: SECRET }),
    takes: ['stringToSign', 'accessKeySecret'],
    call: ({ stringToSign, ...options }) => computeSignatureV1(stringToSign as never, options as never),
  },
  {
    name: 'computeSignatureV4',
    base: () => ({
      stringToSign: 'OSS4-HMAC-SHA256\n...',
      accessKeySecret: SECRET,
      date: '20300601',
      region: 'cn-hangzhou',
    }),
    takes: ['stringToSign', 'accessKeySecret', 'date', 'region', 'product'],
    call: ({ stringToSign, ...options }) => computeSignatureV4(stringToSign as never, options as never),
  },
  {
    name: 'checkPostPolicy',
    base: () => ({
      policy: pinnedPolicy(),
      form: {
        key: 'user/7/a.png',
        'Content-Type': 'image/png',
        'x-oss-signature-version': 'OSS4-HMAC-SHA256',
        'x-oss-credential': 'STS.NTExampleKeyId/20300601/cn-hangzhou/oss/aliyun_v4_request',
        'x-oss-date': '20300601T120000Z',
        'x-oss-security-token': TOKEN,
      },
      bucket: 'examplebucket',
      fileSize: 10,
      fileName: 'a.png',
      fileType: 'image/png',
      now: NOW,
    }),
    takes: ['policy', 'form', 'bucket', 'fileSize', 'fileName', 'fileType', 'now'],
    call: ({ policy, form, ...options }) => checkPostPolicy(policy as never, form as never, options as never),
  },
];

export const ENTRY_POINTS: readonly EntryPoint[] = [...SIGNING_ENTRY_POINTS, ...OTHER_ENTRY_POINTS];

/** The entry points that take `name`. */
export function taking(name: string): EntryPoint[] {
  return ENTRY_POINTS.filter((entry) => entry.takes.includes(name));
}
