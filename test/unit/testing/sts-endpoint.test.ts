/**
 * The local STS endpoint: AssumeRole through the official SDK (@alicloud/sts20150401), and raw requests
 * signed here with node:crypto following the ACS3-HMAC-SHA256 specification.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLocalOss, type LocalOss } from '../../../src/testing/index.js';
import { assumeRole, prefixPolicy, ROLE_ARN, rejection, send } from '../../support/clients.js';

/** What the openapi client throws for an error answer: STS's Code and the HTTP status. */
interface StsSdkError extends Error {
  code: string;
  statusCode: number;
}

let oss: LocalOss;

beforeAll(async () => {
  oss = await createLocalOss({ roleArn: ROLE_ARN });
});

afterAll(() => oss.close());

describe('AssumeRole through the official STS SDK', () => {
  test('issues temporary credentials for the requested duration', async () => {
    const before = Date.now();
    const credentials = await assumeRole(oss, { durationSeconds: 1200, policy: prefixPolicy('a/') });
    expect(credentials.accessKeyId).toMatch(/^STS\./);
    expect(credentials.accessKeySecret).not.toBe(oss.credentials.accessKeySecret);
    expect(credentials.securityToken.length).toBeGreaterThan(100);
    expect(credentials.expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const expiresAt = Date.parse(credentials.expiration);
    expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 1_200_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 1_200_000);
    expect(oss.stsEndpoint).toBe(oss.url);
  });

  test.each([
    {
      refused: 'a wrong secret',
      call: () => assumeRole(oss, {}, { ...oss.credentials, accessKeySecret: 'wrong' }),
      status: 400,
      code: 'SignatureDoesNotMatch',
    },
    {
      refused: 'an unknown AccessKey ID',
      call: () => assumeRole(oss, {}, { accessKeyId: 'LTAI-nobody', accessKeySecret: 'x' }),
      status: 404,
      code: 'InvalidAccessKeyId.NotFound',
    },
    {
      refused: 'DurationSeconds below 900',
      call: () => assumeRole(oss, { durationSeconds: 899 }),
      status: 400,
      code: 'InvalidParameter.DurationSeconds',
    },
    {
      refused: 'DurationSeconds above 3600',
      call: () => assumeRole(oss, { durationSeconds: 3601 }),
      status: 400,
      code: 'InvalidParameter.DurationSeconds',
    },
    {
      refused: 'another role',
      call: () => assumeRole(oss, { roleArn: 'acs:ram::1234567890123456:role/admin' }),
      status: 404,
      code: 'EntityNotExist.Role',
    },
    {
      refused: 'a policy that is not JSON',
      call: () => assumeRole(oss, { policy: '{"Version": "1",' }),
      status: 400,
      code: 'InvalidParameter.PolicyGrammar',
    },
    {
      refused: 'a policy with a Condition (not evaluated locally, so not granted)',
      call: () =>
        assumeRole(oss, {
          policy: {
            Version: '1',
            Statement: [{ Effect: 'Allow', Action: 'oss:*', Resource: '*', Condition: { IpAddress: {} } }],
          },
        }),
      status: 400,
      code: 'InvalidParameter.PolicyGrammar',
    },
  ])('refuses $refused with $code', async ({ call, status, code }) => {
    const error = await rejection<StsSdkError>(call());
    expect([error.statusCode, error.code]).toEqual([status, code]);
  });
});

function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function sha256(data: string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** An AssumeRole request signed by the ACS3-HMAC-SHA256 rules, independently of any SDK. */
function signedAssumeRole(options: { date?: Date; secret?: string } = {}) {
  const query: Record<string, string> = {
    RoleArn: ROLE_ARN,
    RoleSessionName: 'raw-client',
    DurationSeconds: '900',
  };
  const headers: Record<string, string> = {
    host: new URL(oss.url).host,
    'x-acs-action': 'AssumeRole',
    'x-acs-version': '2015-04-01',
    'x-acs-date': (options.date ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'x-acs-signature-nonce': randomUUID(),
    'x-acs-content-sha256': sha256(''),
  };
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((name) => `${rfc3986(name)}=${rfc3986(query[name] ?? '')}`)
    .join('&');
  const names = Object.keys(headers).sort();
  const canonicalHeaders = names.map((name) => `${name}:${headers[name]}\n`).join('');
  const canonicalRequest = ['POST', '/', canonicalQuery, canonicalHeaders, names.join(';'), sha256('')].join(
    '\n',
  );
  const signature = createHmac('sha256', options.secret ?? oss.credentials.accessKeySecret)
    .update(`ACS3-HMAC-SHA256\n${sha256(canonicalRequest)}`)
    .digest('hex');
  headers.authorization = `ACS3-HMAC-SHA256 Credential=${oss.credentials.accessKeyId},SignedHeaders=${names.join(';')},Signature=${signature}`;
  return { url: `${oss.url}/?${canonicalQuery}`, headers };
}

describe('AssumeRole signed by hand', () => {
  const post = (url: string, headers: Record<string, string>) => send(url, { method: 'POST', headers });
  const stsCode = (body: Buffer) => (JSON.parse(body.toString()) as { Code?: string }).Code;

  test('is accepted once; the same nonce again is SignatureNonceUsed', async () => {
    const { url, headers } = signedAssumeRole();
    const first = await post(url, headers);
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body.toString()).Credentials.AccessKeyId).toMatch(/^STS\./);
    const replay = await post(url, headers);
    expect([replay.status, stsCode(replay.body)]).toEqual([400, 'SignatureNonceUsed']);
  });

  test('a parameter changed after signing is SignatureDoesNotMatch', async () => {
    const { url, headers } = signedAssumeRole();
    const response = await post(url.replace('DurationSeconds=900', 'DurationSeconds=3600'), headers);
    expect([response.status, stsCode(response.body)]).toEqual([400, 'SignatureDoesNotMatch']);
  });

  test('an x-acs-* header left out of SignedHeaders is IncompleteSignature', async () => {
    const { url, headers } = signedAssumeRole();
    const response = await post(url, { ...headers, 'x-acs-security-token': 'extra' });
    expect([response.status, stsCode(response.body)]).toEqual([400, 'IncompleteSignature']);
  });

  test('a request time 20 minutes old is InvalidTimeStamp.Expired', async () => {
    const { url, headers } = signedAssumeRole({ date: new Date(Date.now() - 20 * 60 * 1000) });
    const response = await post(url, headers);
    expect([response.status, stsCode(response.body)]).toEqual([400, 'InvalidTimeStamp.Expired']);
  });
});

test('without roleArn the endpoint serves no STS', async () => {
  const plain = await createLocalOss();
  try {
    expect(plain.stsEndpoint).toBeUndefined();
    const { url, headers } = signedAssumeRole();
    const response = await send(url.replace(oss.url, plain.url), { method: 'POST', headers });
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body.toString()).Code).toBe('InvalidAction.NotFound');
  } finally {
    await plain.close();
  }
});
