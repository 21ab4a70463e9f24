/**
 * PostObject against the local endpoint, with forms signed right here with node:crypto (following the OSS
 * documentation, not this library) and encoded by Node's own FormData: accepted when every policy
 * condition holds, refused with nothing stored when any one of them fails.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLocalOss, type LocalOss } from '../../../src/testing/index.js';
import {
  assumeRole,
  BUCKET,
  prefixPolicy,
  ROLE_ARN,
  type TemporaryCredentials,
} from '../../support/clients.js';

const REGION = 'cn-hangzhou';
let oss: LocalOss;

beforeAll(async () => {
  oss = await createLocalOss({ roleArn: ROLE_ARN });
});

afterAll(() => oss.close());

type Credentials = { accessKeyId: string; accessKeySecret: string; securityToken?: string };
type Condition = unknown[] | Record<string, string>;
type Version = 'V1' | 'V4';

/** `20231216T162057Z` */
function isoBasic(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/**
 * The signature fields of a form, as the OSS documentation describes them. V4 adds its own fields to the
 * policy's conditions unless `pinV4Fields` is false.
 */
function signForm(
  version: Version,
  policy: { expiration: string; conditions: Condition[] },
  credentials: Credentials,
  options: { date?: Date; pinV4Fields?: boolean } = {},
): Record<string, string> {
  const token: Record<string, string> = credentials.securityToken
    ? { 'x-oss-security-token': credentials.securityToken }
    : {};
  if (version === 'V1') {
    const encoded = Buffer.from(JSON.stringify(policy)).toString('base64');
    const signature = createHmac('sha1', credentials.accessKeySecret).update(encoded).digest('base64');
    return { OSSAccessKeyId: credentials.accessKeyId, policy: encoded, Signature: signature, ...token };
  }
  const datetime = isoBasic(options.date ?? new Date());
  const day = datetime.slice(0, 8);
  const v4Fields = {
    'x-oss-signature-version': 'OSS4-HMAC-SHA256',
    'x-oss-credential': `${credentials.accessKeyId}/${day}/${REGION}/oss/aliyun_v4_request`,
    'x-oss-date': datetime,
    ...token,
  };
  const pinned =
    options.pinV4Fields === false ? [] : Object.entries(v4Fields).map(([name, value]) => ({ [name]: value }));
  const encoded = Buffer.from(
    JSON.stringify({ ...policy, conditions: [...policy.conditions, ...pinned] }),
  ).toString('base64');
  const signingKey = hmac(
    hmac(hmac(hmac(`aliyun_v4${credentials.accessKeySecret}`, day), REGION), 'oss'),
    'aliyun_v4_request',
  );
  return {
    ...v4Fields,
    policy: encoded,
    'x-oss-signature': createHmac('sha256', signingKey).update(encoded).digest('hex'),
  };
}

/** Posts the fields in order, then the file, then any `after` fields, as multipart/form-data. */
async function postForm(
  fields: Record<string, string>,
  file: { content: string; filename?: string; type?: string },
  after: Record<string, string> = {},
): Promise<{ status: number; text: string; code: string | undefined; headers: Headers }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append(
    'file',
    new Blob([file.content], { type: file.type ?? 'text/plain' }),
    file.filename ?? 'photo.txt',
  );
  for (const [name, value] of Object.entries(after)) form.append(name, value);
  const response = await fetch(`${oss.url}/${BUCKET}`, { method: 'POST', body: form });
  const text = await response.text();
  return {
    status: response.status,
    text,
    code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1],
    headers: response.headers,
  };
}

function inOneHour(): string {
  return new Date(Date.now() + 3_600_000).toISOString();
}

function stored(key: string): string | undefined {
  const object = oss.getObject(BUCKET, key);
  return object && Buffer.from(object.body).toString();
}

/** A form every condition kind constrains, and the fields that satisfy them all. */
function validUpload(version: Version, name: string) {
  const key = `forms/${version}/${name}.txt`;
  const conditions: Condition[] = [
    ['content-length-range', 1, 64],
    ['starts-with', '$key', `forms/${version}/`],
    ['eq', '$x-oss-meta-owner', 'alice'],
    ['in', '$content-type', ['text/plain', 'image/png']],
    ['not-in', '$cache-control', ['no-store', 'no-cache']],
    { bucket: BUCKET },
  ];
  const fields: Record<string, string> = {
    key,
    'Content-Type': 'text/plain',
    'x-oss-meta-owner': 'alice',
    'Cache-Control': 'max-age=60',
    success_action_status: '201',
  };
  return { key, conditions, fields, content: 'form upload body' };
}

describe.each(['V1', 'V4'] as const)('PostObject signed %s', (version) => {
  test('a form that meets every condition is stored, with its fields as headers', async () => {
    const { key, conditions, fields, content } = validUpload(version, 'accepted');
    const signature = signForm(version, { expiration: inOneHour(), conditions }, oss.credentials);
    const response = await postForm({ ...fields, ...signature }, { content });
    expect(response.status).toBe(201);
    expect(response.text).toContain(`<Key>${key}</Key>`);
    // Posted path-style, so the object's URL has the bucket in its path.
    expect(response.text).toContain(`<Location>${oss.url}/${BUCKET}/${key}</Location>`);
    expect(response.headers.get('etag')).toMatch(/^"[0-9A-F]{32}"$/);
    expect(stored(key)).toBe(content);
    const headers = oss.getObject(BUCKET, key)?.headers;
    expect(headers?.['content-type']).toBe('text/plain');
    expect(headers?.['x-oss-meta-owner']).toBe('alice');
    expect(headers?.['cache-control']).toBe('max-age=60');
  });

  const refusals: {
    breaks: string;
    status: number;
    code: string;
    /** Part of the error message, to show the form was refused for this reason and no other. */
    reason: string;
    change: (upload: ReturnType<typeof validUpload>) => {
      fields?: Record<string, string>;
      conditions?: Condition[];
      content?: string;
      expiration?: string;
      secret?: string;
    };
  }[] = [
    {
      breaks: 'eq',
      status: 403,
      code: 'AccessDenied',
      reason: 'Policy Condition failed: ["eq","$x-oss-meta-owner","alice"]',
      change: (u) => ({ fields: { ...u.fields, 'x-oss-meta-owner': 'mallory' } }),
    },
    {
      breaks: '{field: value}',
      status: 403,
      code: 'AccessDenied',
      reason: 'Policy Condition failed: {"success_action_status":"200"}',
      change: (u) => ({ conditions: [...u.conditions, { success_action_status: '200' }] }),
    },
    {
      breaks: 'starts-with',
      status: 403,
      code: 'AccessDenied',
      reason: `Policy Condition failed: ["starts-with","$key","forms/${version}/"]`,
      change: (u) => ({ fields: { ...u.fields, key: `other/${version}/starts-with.txt` } }),
    },
    {
      breaks: 'in',
      status: 403,
      code: 'AccessDenied',
      reason: 'Policy Condition failed: ["in","$content-type",["text/plain","image/png"]]',
      change: (u) => ({ fields: { ...u.fields, 'Content-Type': 'application/zip' } }),
    },
    {
      breaks: 'not-in',
      status: 403,
      code: 'AccessDenied',
      reason: 'Policy Condition failed: ["not-in","$cache-control",["no-store","no-cache"]]',
      change: (u) => ({ fields: { ...u.fields, 'Cache-Control': 'no-store' } }),
    },
    {
      breaks: 'content-length-range (too large)',
      status: 400,
      code: 'EntityTooLarge',
      reason: 'exceeds the maximum allowed size',
      change: () => ({ content: 'x'.repeat(65) }),
    },
    {
      breaks: 'content-length-range (too small)',
      status: 400,
      code: 'EntityTooSmall',
      reason: 'smaller than the minimum allowed size',
      change: () => ({ content: '' }),
    },
    {
      // Operators are case-sensitive, as in the library's own policy checks: 'EQ' is none of them.
      breaks: 'the operator case ("EQ")',
      status: 400,
      code: 'InvalidPolicyDocument',
      reason: 'the operator must be eq, starts-with, in, not-in or content-length-range, in lower case',
      change: (u) => ({ conditions: [...u.conditions, ['EQ', '$x-oss-meta-owner', 'alice']] }),
    },
    {
      breaks: 'expiration',
      status: 403,
      code: 'AccessDenied',
      reason: 'Policy expired',
      change: () => ({ expiration: new Date(Date.now() - 1000).toISOString() }),
    },
    {
      breaks: 'the signature',
      status: 403,
      code: 'SignatureDoesNotMatch',
      reason: '<StringToSign>',
      change: () => ({ secret: 'not-the-secret' }),
    },
  ];

  test.each(refusals)(
    'a form that breaks $breaks is refused ($code) and nothing is stored',
    async ({ breaks, status, code, reason, change }) => {
      const upload = validUpload(version, breaks.replace(/\W+/g, '-'));
      const changed = change(upload);
      const fields = changed.fields ?? upload.fields;
      const signature = signForm(
        version,
        {
          expiration: changed.expiration ?? inOneHour(),
          conditions: changed.conditions ?? upload.conditions,
        },
        { ...oss.credentials, accessKeySecret: changed.secret ?? oss.credentials.accessKeySecret },
      );
      const response = await postForm(
        { ...fields, ...signature },
        { content: changed.content ?? upload.content },
      );
      expect([response.status, response.code]).toEqual([status, code]);
      expect(response.text).toContain(reason);
      expect(stored(upload.key)).toBeUndefined();
      expect(stored(fields.key ?? '')).toBeUndefined();
    },
  );

  test('field names are case-insensitive, and fields after the file are ignored', async () => {
    const { key, conditions, fields, content } = validUpload(version, 'any-case');
    const signature = signForm(version, { expiration: inOneHour(), conditions }, oss.credentials);
    const shouted = Object.fromEntries(
      Object.entries({ ...fields, ...signature }).map(([n, v]) => [n.toUpperCase(), v]),
    );
    const response = await postForm(
      shouted,
      { content },
      { 'x-oss-meta-late': 'ignored', key: 'forms/late.txt' },
    );
    expect(response.status).toBe(201);
    expect(stored(key)).toBe(content);
    expect(oss.getObject(BUCKET, key)?.headers['x-oss-meta-late']).toBeUndefined();
    expect(stored('forms/late.txt')).toBeUndefined();
  });

  test('${filename} in the key is replaced after the conditions are checked', async () => {
    const conditions = [
      ['starts-with', '$key', 'forms/named/'],
      ['content-length-range', 0, 100],
    ];
    const signature = signForm(version, { expiration: inOneHour(), conditions }, oss.credentials);
    const key = `forms/named/${version}-\${filename}`;
    const response = await postForm(
      { key, ...signature },
      { content: 'named', filename: 'report.pdf', type: 'application/pdf' },
    );
    expect(response.status).toBe(204);
    expect(stored(`forms/named/${version}-report.pdf`)).toBe('named');
    // Without a Content-Type field, the file part's own type is stored.
    expect(oss.getObject(BUCKET, `forms/named/${version}-report.pdf`)?.headers['content-type']).toBe(
      'application/pdf',
    );
  });

  test('with STS credentials the session policy applies to the form', async () => {
    const credentials: TemporaryCredentials = await assumeRole(oss, { policy: prefixPolicy('forms/sts/') });
    const conditions = [
      ['starts-with', '$key', 'forms/'],
      ['content-length-range', 0, 100],
    ];
    const signature = signForm(version, { expiration: inOneHour(), conditions }, credentials);
    const inside = await postForm({ key: `forms/sts/${version}.txt`, ...signature }, { content: 'sts form' });
    expect(inside.status).toBe(204);
    expect(stored(`forms/sts/${version}.txt`)).toBe('sts form');
    const outside = await postForm(
      { key: `forms/other/${version}.txt`, ...signature },
      { content: 'sts form' },
    );
    expect([outside.status, outside.code]).toEqual([403, 'AccessDenied']);
    expect(stored(`forms/other/${version}.txt`)).toBeUndefined();
    const forged = await postForm(
      { key: `forms/sts/${version}-forged.txt`, ...signature, 'x-oss-security-token': 'CAISforged' },
      { content: 'x' },
    );
    expect([forged.status, forged.code]).toEqual([403, 'InvalidSecurityToken']);
  });

  test('an unknown AccessKey ID is InvalidAccessKeyId', async () => {
    const conditions = [['content-length-range', 0, 100]];
    const signature = signForm(
      version,
      { expiration: inOneHour(), conditions },
      { accessKeyId: 'LTAI-nobody', accessKeySecret: 'x' },
    );
    const response = await postForm({ key: `forms/${version}/nobody.txt`, ...signature }, { content: 'x' });
    expect([response.status, response.code]).toEqual([403, 'InvalidAccessKeyId']);
  });
});

describe('PostObject signed V4: its own rules', () => {
  const conditions = [['content-length-range', 0, 100]];

  test('an x-oss-date more than 15 minutes ahead is refused', async () => {
    const ahead = new Date(Date.now() + 16 * 60 * 1000);
    const signature = signForm('V4', { expiration: inOneHour(), conditions }, oss.credentials, {
      date: ahead,
    });
    const response = await postForm({ key: 'forms/v4/ahead.txt', ...signature }, { content: 'x' });
    expect([response.status, response.code]).toEqual([403, 'AccessDenied']);
    expect(stored('forms/v4/ahead.txt')).toBeUndefined();
  });

  test('a policy that does not pin the V4 signature fields is refused', async () => {
    const signature = signForm('V4', { expiration: inOneHour(), conditions }, oss.credentials, {
      pinV4Fields: false,
    });
    const response = await postForm({ key: 'forms/v4/unpinned.txt', ...signature }, { content: 'x' });
    expect([response.status, response.code]).toEqual([403, 'AccessDenied']);
    expect(response.text).toContain('x-oss-signature-version');
    expect(stored('forms/v4/unpinned.txt')).toBeUndefined();
  });
});

test('an unsigned form is AccessDenied: buckets are private', async () => {
  const response = await postForm({ key: 'forms/anonymous.txt' }, { content: 'x' });
  expect([response.status, response.code]).toEqual([403, 'AccessDenied']);
  expect(stored('forms/anonymous.txt')).toBeUndefined();
});

test('a POST that is not multipart/form-data is refused', async () => {
  const response = await fetch(`${oss.url}/${BUCKET}`, {
    method: 'POST',
    body: new URLSearchParams({ key: 'x' }),
  });
  expect(response.status).toBe(400);
  expect(await response.text()).toContain('<Code>RequestIsNotMultiPartContent</Code>');
});
