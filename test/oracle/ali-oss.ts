/**
 * ali-oss as an oracle: typed access to the parts of it the property tests call. Nothing here opens a
 * connection: signing calls are pure, and clients that build requests get a transport that records the
 * request and refuses to send it.
 */
import { createRequire } from 'node:module';
import type { OssCredentials } from '../../src/types.js';
import { type Addressing, type ObjectCall, toRecord } from '../support/arbitraries.js';

const require = createRequire(import.meta.url);

type Headers = Record<string, string>;
type Query = Record<string, string | number | null>;

interface AliOssTransport {
  request(url: string, params: { method: string; headers: Record<string, unknown> }): Promise<never>;
}

interface AliOssOptions {
  region: string;
  accessKeyId: string;
  accessKeySecret: string;
  stsToken?: string;
  bucket: string;
  secure: boolean;
  authorizationV4?: boolean;
  cloudBoxId?: string;
  endpoint?: string;
  cname?: boolean;
  sldEnable?: boolean;
  urllib: AliOssTransport;
  refreshSTSTokenInterval?: number;
}

export interface AliOssClient {
  signatureUrl(name: string, options: Record<string, unknown>, strictObjectNameValidation?: boolean): string;
  signatureUrlV4(
    method: string,
    expires: number,
    request: { headers?: Headers; queries?: Query },
    objectName: string,
    additionalHeaders?: string[],
  ): Promise<string>;
  calculatePostSignature(policy: object | string): {
    OSSAccessKeyId: string;
    Signature: string;
    policy: string;
  };
  signPostObjectPolicyV4(policy: object | string, date: Date): string;
  put(name: string, content: Buffer, options?: Record<string, unknown>): Promise<unknown>;
  get(name: string, options?: Record<string, unknown>): Promise<unknown>;
  head(name: string, options?: Record<string, unknown>): Promise<unknown>;
  delete(name: string, options?: Record<string, unknown>): Promise<unknown>;
}

/** ali-oss/lib/common/signUtils.js */
export interface AliSignUtils {
  buildCanonicalString(
    method: string,
    resourcePath: string,
    request: { headers: Headers; parameters?: Query },
    date: string,
  ): string;
  authorization(accessKeyId: string, accessKeySecret: string, canonicalString: string): string;
  /** Lower-cases, de-duplicates and sorts the names, dropping those signed anyway. */
  fixAdditionalHeaders(additionalHeaders?: string[]): string[];
  getCanonicalRequest(
    method: string,
    request: { headers: Headers; queries?: Query },
    bucketName?: string,
    objectName?: string,
    additionalHeaders?: string[],
  ): string;
  authorizationV4(
    accessKeyId: string,
    accessKeySecret: string,
    region: string,
    method: string,
    request: { headers: Headers; queries?: Query },
    bucketName?: string,
    objectName?: string,
    additionalHeaders?: string[],
  ): string;
}

const OSS = require('ali-oss') as new (options: AliOssOptions) => AliOssClient;
export const aliSignUtils = require('ali-oss/lib/common/signUtils.js') as AliSignUtils;

export interface AliOssClientOptions {
  credentials: OssCredentials;
  bucket: string;
  /** 'cn-hangzhou' or 'oss-cn-hangzhou'. */
  region: string;
  authorizationV4?: boolean;
  /** Base URL. */
  endpoint?: string;
  cname?: boolean;
  /** ali-oss's name for path-style addressing. */
  sldEnable?: boolean;
  cloudBoxId?: string;
}

export interface CapturedRequest {
  url: string;
  method: string;
  headers: Headers;
}

const refusingTransport: AliOssTransport = {
  request: () => Promise.reject(new Error('the oracle tests never send a request')),
};

export function aliOssClient(options: AliOssClientOptions, transport = refusingTransport): AliOssClient {
  const { credentials } = options;
  return new OSS({
    region: options.region,
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.accessKeySecret,
    bucket: options.bucket,
    secure: true,
    urllib: transport,
    ...(credentials.securityToken !== undefined && {
      stsToken: credentials.securityToken,
      // Only silences ali-oss's "set refreshSTSToken" warning; nothing is refreshed without a callback.
      refreshSTSTokenInterval: 3_600_000,
    }),
    ...(options.authorizationV4 && { authorizationV4: true }),
    ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
    ...(options.cname && { cname: true }),
    ...(options.sldEnable && { sldEnable: true }),
    ...(options.cloudBoxId !== undefined && { cloudBoxId: options.cloudBoxId }),
  });
}

/** One way of addressing a bucket, in this library's options and in ali-oss's. */
export function addressing(
  kind: Addressing,
  region: string,
): {
  ours: { endpoint?: string; cname?: boolean; pathStyle?: boolean };
  aliOss: { endpoint?: string; cname?: boolean; sldEnable?: boolean };
} {
  switch (kind) {
    case 'internal': {
      const endpoint = `https://oss-${region}-internal.aliyuncs.com`;
      return { ours: { endpoint }, aliOss: { endpoint } };
    }
    case 'cname': {
      const endpoint = 'https://files.example.com';
      return { ours: { endpoint, cname: true }, aliOss: { endpoint, cname: true } };
    }
    case 'path-style': {
      const endpoint = 'https://oss.example.test:8443';
      return { ours: { endpoint, pathStyle: true }, aliOss: { endpoint, sldEnable: true } };
    }
    default:
      return { ours: {}, aliOss: {} };
  }
}

/** The request an ali-oss client call would send (URL, method, headers incl. Authorization), unsent. */
export async function captureAliOssRequest(
  options: AliOssClientOptions,
  send: (client: AliOssClient) => Promise<unknown>,
): Promise<CapturedRequest> {
  let captured: CapturedRequest | undefined;
  const client = aliOssClient(options, {
    request: (url, params) => {
      const headers: Headers = {};
      for (const [name, value] of Object.entries(params.headers)) headers[name] = String(value);
      captured = { url, method: params.method, headers };
      return Promise.reject(new Error('captured, not sent'));
    },
  });
  await send(client).catch(() => undefined);
  if (!captured) throw new Error('ali-oss built no request');
  return captured;
}

/**
 * Makes the ali-oss client build the request for `call` (put a small body, get with its sub-resources,
 * head or delete), listing `additionalHeaders` for V4.
 */
export function sendObjectRequest(
  client: AliOssClient,
  call: ObjectCall,
  additionalHeaders?: string[],
): Promise<unknown> {
  const options: Record<string, unknown> = {
    headers: {
      ...toRecord(call.ossHeaders, (h) => h.value),
      ...toRecord(call.otherHeaders, (h) => h.value),
      ...(call.contentType !== undefined && { 'Content-Type': call.contentType }),
    },
    meta: toRecord(call.meta, (m) => m.value),
    versionId: call.versionId,
    additionalHeaders,
  };
  switch (call.operation) {
    case 'put':
      return client.put(call.key, Buffer.from('hello'), options);
    case 'get':
      return client.get(call.key, {
        ...options,
        process: call.process,
        ...(call.responseContentType !== undefined && {
          subres: { 'response-content-type': call.responseContentType },
        }),
      });
    case 'head':
      return client.head(call.key, options);
    default:
      return client.delete(call.key, options);
  }
}
