/**
 * Random and hostile requests over real HTTP: methods, hosts, paths, queries, headers and bodies (forms
 * and XML among them), some signed with the endpoint's key so that they reach the operations behind
 * authentication. Whatever comes, the endpoint answers: no reset connection, no 5xx, OSS's XML error
 * (STS's JSON one for STS calls) for every 4xx, and afterwards it still serves a normal client.
 */
import { Agent, request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { presignUrl } from '../../../src/presign-url.js';
import { createLocalOss, type LocalOss } from '../../../src/testing/index.js';
import { aliOss, BUCKET, localTarget, ROLE_ARN } from '../../support/clients.js';

let oss: LocalOss;
let port: number;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

const KEYS = ['fuzz/a.txt', 'fuzz/b.bin', 'fuzz/中文.txt', 'x'];
/** Objects only read, so that every read finds them. */
const READ_KEYS = ['read/a.txt', 'read/中文.txt'];
/** An upload in progress on KEYS[1] (started anew before each request on it), to reach parts, lists and completes. */
let uploadId = '';

beforeAll(async () => {
  oss = await createLocalOss({
    roleArn: ROLE_ARN,
    corsOrigins: ['http://app.localhost:3000'],
    maxObjectSize: 512 * 1024,
  });
  port = Number(new URL(oss.url).port);
  const client = aliOss(oss.credentials, { endpoint: oss.url });
  for (const key of [...KEYS, ...READ_KEYS]) await client.put(key, Buffer.from(`content of ${key}`));
});

async function startUpload(): Promise<void> {
  const initiate = presignUrl({
    ...localTarget(oss),
    key: KEYS[1] as string,
    method: 'POST',
    query: { uploads: null },
  });
  const initiated = await exchangeRaw(initiate.url.slice(oss.url.length), 'POST', initiate.headers);
  uploadId = /<UploadId>(\w+)</.exec(initiated.body)?.[1] ?? '';
}

afterAll(async () => {
  agent.destroy();
  await oss.close();
});

/** What a Node client can put in a header or a path: bytes 0x21..0xFF (plus space and tab in headers). */
const latin1 = (max: number) =>
  fc
    .array(fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff })), {
      maxLength: max,
    })
    .map((codes) => String.fromCharCode(...codes));

const special = fc.constantFrom(
  '',
  '0',
  '-1',
  '1e400',
  'NaN',
  '99999999999999999999',
  '__proto__',
  'constructor',
  '${filename}',
  '中文',
  'a\r\nb',
  '\u0000',
  '%',
  '%ZZ',
  '%E4%B8',
  '../..',
  'bytes=0-',
  'bytes=-0',
  'bytes=5-1',
  'bytes=0-1,2-3',
  'x'.repeat(5000),
  'true',
  'yes',
  '20231216T162057Z',
  'OSS4-HMAC-SHA256',
  'AssumeRole',
);
const text = fc.oneof(special, fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));

const queryName = fc.constantFrom(
  'uploads',
  'uploadId',
  'partNumber',
  'acl',
  'tagging',
  'max-parts',
  'part-number-marker',
  'response-content-type',
  'response-content-disposition',
  'response-expires',
  'x-oss-process',
  'x-oss-signature',
  'x-oss-signature-version',
  'x-oss-credential',
  'x-oss-date',
  'x-oss-expires',
  'x-oss-additional-headers',
  'x-oss-security-token',
  'OSSAccessKeyId',
  'Expires',
  'Signature',
  'security-token',
  '__proto__',
  'constructor',
);

const headerName = fc.constantFrom(
  'authorization',
  'date',
  'x-oss-date',
  'x-oss-content-sha256',
  'x-oss-security-token',
  'x-oss-forbid-overwrite',
  'x-oss-complete-all',
  'x-oss-copy-source',
  'x-oss-meta-name',
  'x-oss-meta-my_key',
  'content-md5',
  'content-type',
  'content-disposition',
  'cache-control',
  'range',
  'origin',
  'access-control-request-method',
  'access-control-request-headers',
  'x-acs-action',
  'x-acs-version',
  'x-acs-date',
  'x-acs-signature-nonce',
);
const authorization = fc.oneof(
  fc.constantFrom(
    'OSS ',
    'OSS :',
    'OSS a:b',
    'OSS4-HMAC-SHA256 ',
    'OSS4-HMAC-SHA256 Credential=a/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=00',
    'OSS4-HMAC-SHA256 Credential=,AdditionalHeaders=;;;,Signature=',
    'ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host,Signature=00',
    'Bearer x',
  ),
  latin1(60),
);
const headerValue = (name: string) =>
  name === 'authorization' ? authorization : fc.oneof(special, latin1(60));

const boundary = 'fuzzB0undary';
const formBody = fc
  .record({
    fields: fc.array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom(
            'key',
            'policy',
            'OSSAccessKeyId',
            'Signature',
            'x-oss-meta-a',
            'success_action_status',
            'success_action_redirect',
            'Content-Type',
            'x-oss-signature-version',
            'x-oss-credential',
            'x-oss-date',
            'x-oss-signature',
          ),
          fc.string({ maxLength: 8 }),
        ),
        text,
      ),
      { maxLength: 8 },
    ),
    file: fc.oneof(
      fc.string({ maxLength: 50 }),
      fc.constant(`\r\n--${boundary}X`),
      fc.constant(`\r\n--${boundary}`),
    ),
    close: fc.boolean(),
  })
  .map(({ fields, file, close }) => {
    const parts = fields.map(
      ([name, value]) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    );
    return `${parts.join('')}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.slice(0, 5)}"\r\n\r\n${file}${close ? `\r\n--${boundary}--\r\n` : ''}`;
  });
const xmlBody = fc
  .array(
    fc.constantFrom(
      '<CompleteMultipartUpload>',
      '</CompleteMultipartUpload>',
      '<Part>',
      '</Part>',
      '<PartNumber>1</PartNumber>',
      '<ETag>"x"</ETag>',
      '&amp;',
      '&#xD800;',
      '<?xml version="1.0"?>',
      ' ',
      '<',
    ),
    { maxLength: 30 },
  )
  .map((pieces) => pieces.join(''));
const body = fc.oneof(
  fc.constant(undefined),
  fc.uint8Array({ maxLength: 3000 }).map((bytes) => Buffer.from(bytes)),
  formBody,
  xmlBody,
);

/** Anything: the endpoint's routing, signature checks and error paths. */
const unsignedRequest = fc.record({
  method: fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'PROPFIND'),
  host: fc.constantFrom(
    undefined,
    `${BUCKET}.oss-cn-hangzhou.aliyuncs.com`,
    'Bad_Bucket.localhost',
    'localhost',
    '[::1]',
    'a.b.c.d.e',
    '',
  ),
  bucket: fc.constantFrom(BUCKET, '', 'no-such-bucket', 'Bad_Bucket', 'a'),
  key: fc.oneof(
    fc.constantFrom(
      ...KEYS.map((key) => encodeURIComponent(key).replaceAll('%2F', '/')),
      '',
      '/x',
      '%5Cx',
      '%ZZ',
      'k'.repeat(1100),
      '%E4%B8%AD',
    ),
    latin1(30).map((k) => encodeURIComponent(k)),
  ),
  query: fc.array(fc.tuple(queryName, fc.option(text, { nil: null }), fc.boolean()), { maxLength: 5 }),
  headers: fc.array(
    headerName.chain((name) => fc.tuple(fc.constant(name), headerValue(name))),
    { maxLength: 6 },
  ),
  body,
  sign: fc.constant<'none' | 'v1' | 'v4'>('none'),
});

/** Signed with the endpoint's key, so as to reach the operations: hostile queries, headers and bodies. */
const signedRequest = fc.record({
  method: fc.constantFrom('GET', 'GET', 'PUT', 'PUT', 'POST', 'DELETE', 'HEAD'),
  host: fc.constant(undefined),
  bucket: fc.constant(BUCKET),
  // Mostly objects that exist, so that reads reach their headers, overrides and ranges.
  key: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...KEYS) },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 20 }) },
  ),
  query: fc.array(
    fc.tuple(
      queryName.filter(
        (name) =>
          !/signature|credential|x-oss-date|expires|accesskeyid|security-token|additional/i.test(name),
      ),
      fc.option(fc.oneof(text, fc.constant('UPLOAD')), { nil: null }),
      fc.constant(true),
    ),
    { maxLength: 4 },
  ),
  headers: fc.array(
    headerName
      .filter(
        (name) =>
          !/^(authorization|host|x-acs-|x-oss-date|x-oss-content-sha256|x-oss-security-token)/.test(name),
      )
      .chain((name) => fc.tuple(fc.constant(name), headerValue(name))),
    { maxLength: 4 },
  ),
  body,
  sign: fc.constantFrom<'none' | 'v1' | 'v4'>('v1', 'v4'),
});

/** Signed, on the upload in progress: parts, listings and completes with hostile numbers and bodies. */
const uploadRequest = fc.record({
  method: fc.constantFrom('GET', 'PUT', 'POST', 'DELETE'),
  host: fc.constant(undefined),
  bucket: fc.constant(BUCKET),
  key: fc.constant(KEYS[1] as string),
  query: fc
    .tuple(fc.option(text, { nil: undefined }), fc.option(text, { nil: undefined }))
    .map(([partNumber, maxParts]) => [
      ['uploadId', 'UPLOAD', true] as [string, string | null, boolean],
      ...(partNumber === undefined
        ? []
        : [['partNumber', partNumber, true] as [string, string | null, boolean]]),
      ...(maxParts === undefined ? [] : [['max-parts', maxParts, true] as [string, string | null, boolean]]),
    ]),
  headers: fc.array(
    fc.tuple(
      fc.constantFrom('x-oss-complete-all', 'x-oss-forbid-overwrite', 'content-md5'),
      fc.oneof(special, latin1(20)),
    ),
    { maxLength: 2 },
  ),
  body: fc.oneof(xmlBody, body),
  sign: fc.constantFrom<'none' | 'v1' | 'v4'>('v1', 'v4'),
});

const hostileRequest = fc.oneof(unsignedRequest, signedRequest, uploadRequest);

type HostileRequest = typeof hostileRequest extends fc.Arbitrary<infer T> ? T : never;

/** What a Node client sends in a header: tab and bytes 0x20..0xFF but DEL (CR, LF, NUL would be refused). */
function clientSendable(value: string): boolean {
  return !/[^\t\u0020-\u007e\u0080-\u00ff]/.test(value);
}

/** The request line and headers: presigned with the endpoint's key when the library agrees to sign it. */
function build(r: HostileRequest): { path: string; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  for (const [name, value] of r.headers) if (clientSendable(value)) headers[name] = value;
  if (r.host !== undefined) headers.host = r.host;
  if (r.sign !== 'none') {
    try {
      const presigned = presignUrl({
        ...localTarget(oss),
        key: r.key,
        method: r.method as 'GET',
        query: Object.fromEntries(
          r.query.map(([name, value]) => [name, value === 'UPLOAD' ? uploadId : value]),
        ),
        signatureVersion: r.sign,
        headers,
      });
      return { path: presigned.url.slice(oss.url.length), headers: { ...headers, ...presigned.headers } };
    } catch {
      // The library refuses what it cannot sign: sent unsigned instead.
    }
  }
  const query = r.query
    .map(([name, value, encodeAll]) => {
      if (value === 'UPLOAD') value = uploadId;
      const show = (part: string) => percentEncoded(part, encodeAll);
      return value === null ? show(name) : `${show(name)}=${show(value)}`;
    })
    .join('&');
  // A signed request's key is text; an unsigned one's is already as the path carries it.
  const key = r.sign === 'none' ? r.key : percentEncoded(r.key, true).replaceAll('%2F', '/');
  return { path: `/${r.bucket}${r.bucket ? '/' : ''}${key}${query ? `?${query}` : ''}`, headers };
}

/** The UTF-8 bytes of `text`, each percent-encoded, or (not `all`) only those a request line cannot carry. */
function percentEncoded(text: string, all: boolean): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const raw = all ? /[A-Za-z0-9._~-]/.test(String.fromCharCode(byte)) : byte > 0x20 && byte !== 0x7f;
    out += raw ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, '0').toUpperCase()}`;
  }
  return out;
}

interface Answer {
  status: number;
  contentType: string | undefined;
  body: string;
}

function exchange(r: HostileRequest): Promise<Answer> {
  const { path, headers } = build(r);
  const payload = r.body === undefined ? undefined : Buffer.from(r.body);
  if (payload !== undefined && ['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(r.method)) {
    headers['content-length'] = String(payload.length);
  }
  if (typeof r.body === 'string' && r.body.startsWith(`--${boundary}`)) {
    headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
  }
  return exchangeRaw(path, r.method, headers, payload);
}

function exchangeRaw(
  path: string,
  method: string,
  headers: Record<string, string>,
  payload?: Buffer,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: res.headers['content-type'],
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.end(payload);
  });
}

test('hostile requests get an answer: no reset, no 5xx, an XML (or STS JSON) error for each 4xx', async () => {
  await fc.assert(
    fc.asyncProperty(hostileRequest, async (r) => {
      // Each request on the upload finds it in progress, whatever the one before did to it.
      if (r.query.some(([, value]) => value === 'UPLOAD')) await startUpload();
      const answer = await exchange(r);
      expect(answer.status).toBeGreaterThanOrEqual(200);
      expect(answer.status).toBeLessThan(500);
      if (answer.status >= 400 && r.method !== 'HEAD') {
        if (answer.contentType?.startsWith('application/json')) {
          expect(JSON.parse(answer.body)).toMatchObject({
            Code: expect.any(String),
            RequestId: expect.any(String),
          });
        } else {
          expect(answer.contentType).toBe('application/xml');
          expect(answer.body).toMatch(
            /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>[A-Za-z.]+<\/Code><Message>/,
          );
        }
      }
    }),
    { numRuns: 300 },
  );
  // And a normal client is still served.
  const client = aliOss(oss.credentials, { endpoint: oss.url });
  await client.put('fuzz/after.txt', Buffer.from('still here'));
  expect((await client.get('fuzz/after.txt')).content.toString()).toBe('still here');
});

test('signed reads with any response-* override and Range: the value is sent (as UTF-8) or refused, never cut', async () => {
  const overrides = fc.dictionary(
    fc.constantFrom(
      'response-content-type',
      'response-content-language',
      'response-expires',
      'response-cache-control',
      'response-content-disposition',
      'response-content-encoding',
    ),
    fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }), special),
    { minKeys: 1, maxKeys: 3 },
  );
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...READ_KEYS),
      fc.constantFrom('GET', 'HEAD'),
      overrides,
      fc.option(special.filter(clientSendable)),
      async (key, method, query, range) => {
        const presigned = presignUrl({ ...localTarget(oss), key, method: method as 'GET', query });
        const headers = range === null ? presigned.headers : { ...presigned.headers, range };
        const answer = await exchangeRaw(presigned.url.slice(oss.url.length), method, headers);
        expect([200, 206, 400, 416]).toContain(answer.status);
      },
    ),
    { numRuns: 150 },
  );
});
