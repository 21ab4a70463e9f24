/**
 * Independent clients for the local endpoint: ali-oss, the official STS SDK, and raw HTTP. Nothing here
 * signs with this library.
 */
import { createHmac } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createRequire } from 'node:module';
import { connect, type LookupFunction } from 'node:net';
import type { LocalOss } from '../../src/testing/index.js';

const require = createRequire(import.meta.url);

export const BUCKET = 'local-bucket';
export const ROLE_ARN = 'acs:ram::1234567890123456:role/uploader';

export interface AliOssClient {
  /** `data`: the application's reply, when the upload had a callback. */
  put(
    name: string,
    content: Buffer,
    options?: Record<string, unknown>,
  ): Promise<{ res: { status: number }; data?: unknown }>;
  get(
    name: string,
    options?: { headers?: Record<string, string> },
  ): Promise<{ content: Buffer; res: { status: number } }>;
  head(name: string): Promise<{ res: { status: number; headers: Record<string, string> } }>;
  delete(name: string): Promise<{ res: { status: number } }>;
  multipartUpload(
    name: string,
    file: string | Buffer,
    options: { partSize: number; callback?: object },
  ): Promise<{ res: { status: number }; data?: unknown }>;
  initMultipartUpload(
    name: string,
    options?: { headers?: Record<string, string> },
  ): Promise<{ uploadId: string }>;
  uploadPart(
    name: string,
    uploadId: string,
    partNo: number,
    file: string,
    start: number,
    end: number,
  ): Promise<{ etag: string }>;
  completeMultipartUpload(
    name: string,
    uploadId: string,
    parts: { number: number; etag: string }[],
    options?: { headers?: Record<string, string> },
  ): Promise<{ res: { status: number } }>;
  abortMultipartUpload(name: string, uploadId: string): Promise<unknown>;
  /** `parts` is one object when one part is listed (ali-oss's XML reading). */
  listParts(name: string, uploadId: string): Promise<{ parts: ListedPart | ListedPart[] }>;
  signatureUrl(name: string, options?: Record<string, unknown>): string;
  signatureUrlV4(
    method: string,
    expires: number,
    request: { headers?: Record<string, string>; queries?: Record<string, string> } | undefined,
    objectName: string,
    additionalHeaders?: string[],
  ): Promise<string>;
}

/** A part as ali-oss's listParts gives it (XML text). */
export interface ListedPart {
  PartNumber: string;
  Size: string;
  ETag: string;
}

/** What ali-oss throws for an OSS error response: the XML's Code, and the HTTP status. */
export interface AliOssError extends Error {
  code: string;
  status: number;
  requestId?: string;
}

export interface TemporaryCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  expiration: string;
}

/** Where the tests sign for the local endpoint: its bucket, path-style, with its long-term keys. */
export function localTarget(oss: LocalOss) {
  return {
    credentials: oss.credentials,
    bucket: BUCKET,
    region: oss.region,
    endpoint: oss.url,
    pathStyle: true,
  };
}

const AliOss = require('ali-oss') as new (options: Record<string, unknown>) => AliOssClient;

/** An ali-oss client for the local endpoint; `options` are ali-oss's own (endpoint, cname, sldEnable…). */
export function aliOss(
  credentials: { accessKeyId: string; accessKeySecret: string; securityToken?: string },
  options: Record<string, unknown>,
): AliOssClient {
  const { accessKeyId, accessKeySecret, securityToken } = credentials;
  return new AliOss({
    region: 'oss-cn-hangzhou',
    bucket: BUCKET,
    accessKeyId,
    accessKeySecret,
    ...(securityToken && {
      stsToken: securityToken,
      // ali-oss wants a way to refresh temporary credentials; these tests never outlive them.
      refreshSTSToken: async () => ({ accessKeyId, accessKeySecret, stsToken: securityToken }),
      refreshSTSTokenInterval: 3_600_000,
    }),
    ...options,
  });
}

/** AssumeRole through the official STS SDK, signed with the given long-term key (default: the endpoint's). */
export async function assumeRole(
  oss: LocalOss,
  request: { policy?: object | string; durationSeconds?: number; roleArn?: string },
  signer: { accessKeyId: string; accessKeySecret: string } = oss.credentials,
): Promise<TemporaryCredentials> {
  const { default: StsClient, AssumeRoleRequest } = require('@alicloud/sts20150401');
  const { Config } = require('@alicloud/openapi-client');
  const client = new StsClient(
    new Config({
      ...signer,
      endpoint: new URL(oss.stsEndpoint as string).host,
      protocol: 'http',
      readTimeout: 5000,
    }),
  );
  const { policy } = request;
  const response = await client.assumeRole(
    new AssumeRoleRequest({
      roleArn: request.roleArn ?? ROLE_ARN,
      roleSessionName: 'local-test',
      durationSeconds: request.durationSeconds ?? 900,
      ...(policy !== undefined && { policy: typeof policy === 'string' ? policy : JSON.stringify(policy) }),
    }),
  );
  return response.body.credentials as TemporaryCredentials;
}

/** A session policy allowing what a browser upload (and reading it back) needs under one prefix. */
export function prefixPolicy(prefix: string, actions = ['oss:PutObject', 'oss:GetObject', 'oss:ListParts']) {
  return {
    Version: '1',
    Statement: [{ Effect: 'Allow', Action: actions, Resource: [`acs:oss:*:*:${BUCKET}/${prefix}*`] }],
  };
}

/** Resolves every host name to 127.0.0.1, so virtual-host URLs (`bucket.localhost:PORT`) reach the endpoint. */
const loopback = ((_hostname, options, callback) => {
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
}) as LookupFunction;

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The `<Code>` of an OSS error body. */
  code: string | undefined;
}

/** A plain HTTP request, sent as given (the Host header is the URL's). */
export function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      method: init.method ?? 'GET',
      headers: init.headers,
      lookup: loopback,
      agent: false,
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const code = /<Code>([^<]*)<\/Code>/.exec(body.toString('utf8'))?.[1];
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, code });
      });
    });
    req.end(init.body);
  });
}

/** The error an async call rejected with (failing the test if it resolved). */
export async function rejection<T = AliOssError>(promise: Promise<unknown>): Promise<T> {
  try {
    await promise;
  } catch (error) {
    return error as T;
  }
  throw new Error('expected the call to be refused, but it succeeded');
}

/**
 * Bytes written as they are onto a fresh TCP connection, then half-closed; what came back before the
 * server closed, and whether the connection was reset rather than closed.
 */
export function rawExchange(
  url: string,
  chunks: (string | Buffer)[],
): Promise<{ text: string; status: number | undefined; reset: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const received: Buffer[] = [];
    let reset = false;
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      reset ||= error.code === 'ECONNRESET' || error.code === 'EPIPE';
    });
    socket.on('close', () => {
      const text = Buffer.concat(received).toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      resolve({ text, status: status === undefined ? undefined : Number(status), reset });
    });
    socket.on('connect', async () => {
      for (const chunk of chunks) {
        if (socket.destroyed) break;
        socket.write(chunk);
        await new Promise((next) => setImmediate(next));
      }
      socket.end();
    });
  });
}

export const FORM_BOUNDARY = '----formBoundary7MA4YWxkTrZu0gW';

/**
 * A PostObject form written byte by byte (fields in order, then the file), signed V1 as the OSS
 * documentation describes: HMAC-SHA1 of the base64 policy. `fields` go before the signature fields.
 */
export function postV1Form(
  oss: LocalOss,
  form: {
    conditions: unknown[];
    fields: Record<string, string>;
    filename?: string;
    file?: string | Buffer;
  },
): Promise<RawResponse> {
  const policy = Buffer.from(
    JSON.stringify({
      expiration: new Date(Date.now() + 3_600_000).toISOString(),
      conditions: form.conditions,
    }),
  ).toString('base64');
  const fields = {
    ...form.fields,
    OSSAccessKeyId: oss.credentials.accessKeyId,
    policy,
    Signature: createHmac('sha1', oss.credentials.accessKeySecret).update(policy).digest('base64'),
  };
  const body = Buffer.concat([
    ...Object.entries(fields).map(([name, value]) =>
      Buffer.from(`--${FORM_BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    ),
    Buffer.from(
      `--${FORM_BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${form.filename ?? 'file.bin'}"\r\n\r\n`,
    ),
    Buffer.from(form.file ?? 'uploaded'),
    Buffer.from(`\r\n--${FORM_BOUNDARY}--\r\n`),
  ]);
  return send(`${oss.url}/${BUCKET}`, {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${FORM_BOUNDARY}` },
    body,
  });
}
