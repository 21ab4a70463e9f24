import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for STS AssumeRole on 127.0.0.1 that checks requests the way STS does: the ACS3-HMAC-SHA256
 * signature, recomputed here from the published V3 signature rules (not from the SDK's code), the
 * payload hash, the nonce and the parameters. Tests script faults per request.
 */

/** How the server answers one (correctly signed) request. */
export type Behaviour =
  | 'issue'
  | 'server-error'
  | 'throttle'
  | 'hang'
  | 'malformed'
  | 'no-credentials'
  /** A 403 whose message quotes the caller's security token (STS does not do this; the provider must cope). */
  | 'quote-token';

export interface FakeStsOptions {
  /** Access key id -> secret (and, for role chaining, the token that must come with it). */
  accessKeys: Record<string, { secret: string; securityToken?: string }>;
  roleArn: string;
  /** The clock that issued credentials' Expiration is computed from. */
  now: () => number;
}

export interface ReceivedRequest {
  params: Record<string, string>;
  /** 'ok' when the signature and parameters held, else the STS error code sent. */
  verdict: string;
  behaviour?: Behaviour;
  /** The request id in the answer. */
  requestId: string;
}

export interface IssuedByFake {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  expiration: string;
}

export interface FakeSts {
  /** `'127.0.0.1:PORT'`, for the provider's `endpoint` with `protocol: 'http'`. */
  endpoint: string;
  requests: ReceivedRequest[];
  issued: IssuedByFake[];
  /** Behaviours for the next requests, in order; once used up, requests get `fallback`. */
  script(...behaviours: Behaviour[]): void;
  fallback: Behaviour;
  close(): Promise<void>;
}

const MAX_SKEW_MS = 15 * 60 * 1000;
const MAX_POLICY_LENGTH = 2048;

export async function startFakeSts(options: FakeStsOptions): Promise<FakeSts> {
  const queue: Behaviour[] = [];
  const seenNonces = new Set<string>();
  const fake: FakeSts = {
    endpoint: '',
    requests: [],
    issued: [],
    script: (...behaviours) => queue.push(...behaviours),
    fallback: 'issue',
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  /** The answer to one request, or undefined to leave it hanging (the client's read timeout ends it). */
  const answer = (req: IncomingMessage, body: Buffer): { status: number; body: string } | undefined => {
    const requestId = randomUUID().toUpperCase();
    const url = new URL(req.url ?? '/', 'http://fake-sts');
    const params = Object.fromEntries(url.searchParams);
    const json = (status: number, value: unknown) => ({ status, body: JSON.stringify(value) });
    const error = (status: number, code: string, message: string) =>
      json(status, { RequestId: requestId, HostId: 'sts.aliyuncs.com', Code: code, Message: message });

    const problem =
      verifyAcs3(req, url, body, options.accessKeys, seenNonces) ??
      checkAssumeRoleParams(req, params, options.roleArn);
    if (problem) {
      fake.requests.push({ params, verdict: problem.code, requestId });
      return error(problem.status, problem.code, problem.message);
    }
    const behaviour = queue.shift() ?? fake.fallback;
    fake.requests.push({ params, verdict: 'ok', behaviour, requestId });
    switch (behaviour) {
      case 'hang':
        return undefined;
      case 'server-error':
        return error(500, 'InternalError', 'The request processing has failed due to some unknown error.');
      case 'quote-token':
        return error(
          403,
          'InvalidSecurityToken.Expired',
          `SecurityToken ${String(req.headers['x-acs-security-token'])} is expired.`,
        );
      case 'throttle':
        return error(400, 'Throttling.User', 'Request was denied due to user flow control.');
      case 'malformed':
        return { status: 200, body: `{"RequestId":"${requestId}","Credentials":{"AccessKeyId":` };
      case 'no-credentials':
        return json(200, {
          RequestId: requestId,
          AssumedRoleUser: { Arn: `${options.roleArn}/${params.RoleSessionName}` },
        });
      case 'issue': {
        const durationMs = Number(params.DurationSeconds ?? 3600) * 1000;
        const credentials: IssuedByFake = {
          accessKeyId: `STS.${randomBytes(12).toString('hex')}`,
          accessKeySecret: randomBytes(24).toString('base64url'),
          securityToken: `CAIS${randomBytes(48).toString('base64url')}`,
          // STS writes whole seconds: 2015-04-09T11:52:19Z
          expiration: new Date(options.now() + durationMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        };
        fake.issued.push(credentials);
        return json(200, {
          RequestId: requestId,
          AssumedRoleUser: {
            Arn: `${options.roleArn}/${params.RoleSessionName}`,
            AssumedRoleId: '3000:session',
          },
          Credentials: {
            AccessKeyId: credentials.accessKeyId,
            AccessKeySecret: credentials.accessKeySecret,
            SecurityToken: credentials.securityToken,
            Expiration: credentials.expiration,
          },
        });
      }
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const reply = answer(req, Buffer.concat(chunks));
      if (!reply) return;
      res.writeHead(reply.status, { 'content-type': 'application/json;charset=utf-8' });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.endpoint = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

interface Problem {
  status: number;
  code: string;
  message: string;
}

/**
 * ACS3-HMAC-SHA256 (Alibaba Cloud's V3 signature):
 *   CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n HashedRequestPayload
 * CanonicalHeaders is one `name:value\n` per signed header (lower-case names, trimmed values, sorted);
 * names and values in the query are RFC 3986 percent-encoded and sorted by name; HashedRequestPayload is
 * hex SHA-256 of the body, also sent as x-acs-content-sha256. StringToSign = "ACS3-HMAC-SHA256\n" +
 * hex(SHA-256(CanonicalRequest)); Signature = hex(HMAC-SHA256(AccessKeySecret, StringToSign)). Host,
 * content-type (when sent) and every x-acs-* header must be signed.
 */
function verifyAcs3(
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  accessKeys: FakeStsOptions['accessKeys'],
  seenNonces: Set<string>,
): Problem | undefined {
  const header = (name: string): string | undefined => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(',') : value;
  };
  const authorization =
    /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(
      header('authorization') ?? '',
    );
  if (!authorization) {
    return {
      status: 400,
      code: 'IncompleteSignature',
      message: 'The request signature does not conform to Aliyun standards.',
    };
  }
  const [, accessKeyId = '', signedHeaderList = '', signature = ''] = authorization;
  const account = accessKeys[accessKeyId];
  if (!account) {
    return {
      status: 404,
      code: 'InvalidAccessKeyId.NotFound',
      message: 'Specified access key is not found.',
    };
  }
  if (account.securityToken !== undefined && header('x-acs-security-token') !== account.securityToken) {
    return {
      status: 400,
      code: 'InvalidSecurityToken.MismatchWithAccessKey',
      message: 'The security token does not match the access key.',
    };
  }

  const signedHeaders = signedHeaderList.split(';');
  const required = Object.keys(req.headers).filter(
    (name) => name === 'host' || name === 'content-type' || name.startsWith('x-acs-'),
  );
  const sorted = [...signedHeaders].sort();
  if (
    signedHeaders.join(';') !== sorted.join(';') ||
    required.some((name) => !signedHeaders.includes(name))
  ) {
    return {
      status: 400,
      code: 'IncompleteSignature',
      message: 'SignedHeaders must be sorted and include host, content-type and all x-acs-* headers.',
    };
  }
  const hashedPayload = createHash('sha256').update(body).digest('hex');
  if (header('x-acs-content-sha256') !== hashedPayload) {
    return {
      status: 400,
      code: 'InvalidParameter.ContentSha256',
      message: 'x-acs-content-sha256 does not match the body.',
    };
  }
  const date = Date.parse(header('x-acs-date') ?? '');
  if (Number.isNaN(date) || Math.abs(date - Date.now()) > MAX_SKEW_MS) {
    return {
      status: 400,
      code: 'InvalidTimeStamp.Expired',
      message: 'Specified time stamp or date value is expired.',
    };
  }
  const nonce = header('x-acs-signature-nonce');
  if (!nonce || seenNonces.has(nonce)) {
    return {
      status: 400,
      code: 'SignatureNonceUsed',
      message: 'Specified signature nonce was used already.',
    };
  }
  seenNonces.add(nonce);

  const canonicalUri = url.pathname
    .split('/')
    .map((segment) => percentEncode(decodeURIComponent(segment)))
    .join('/');
  const canonicalQuery = [...url.searchParams]
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${(header(name) ?? '').trim()}\n`).join('');
  const canonicalRequest = [
    req.method,
    canonicalUri,
    canonicalQuery,
    canonicalHeaders,
    signedHeaderList,
    hashedPayload,
  ].join('\n');
  const stringToSign = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
  const expected = createHmac('sha256', account.secret).update(stringToSign).digest();
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
    return {
      status: 400,
      code: 'SignatureDoesNotMatch',
      message: `The request signature does not conform to Aliyun standards. server string to sign is:${stringToSign}`,
    };
  }
  return undefined;
}

/** RFC 3986 unreserved characters stay; everything else is %XX of its UTF-8 bytes. */
function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function checkAssumeRoleParams(
  req: IncomingMessage,
  params: Record<string, string>,
  roleArn: string,
): Problem | undefined {
  if (req.headers['x-acs-action'] !== 'AssumeRole' || req.headers['x-acs-version'] !== '2015-04-01') {
    return {
      status: 404,
      code: 'InvalidAction.NotFound',
      message: 'Specified api is not found, please check your url and method.',
    };
  }
  if (params.RoleArn !== roleArn) {
    return { status: 404, code: 'EntityNotExist.Role', message: 'The role not exists.' };
  }
  if (!/^[A-Za-z0-9.@_-]{2,64}$/.test(params.RoleSessionName ?? '')) {
    return {
      status: 400,
      code: 'InvalidParameter.RoleSessionName',
      message: 'The parameter RoleSessionName is wrongly formed.',
    };
  }
  const duration = Number(params.DurationSeconds ?? 3600);
  if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
    return {
      status: 400,
      code: 'InvalidParameter.DurationSeconds',
      message: 'The Min/Max value of DurationSeconds is 15min/12hr.',
    };
  }
  if (params.Policy !== undefined) {
    let policy: { Version?: unknown; Statement?: unknown } | undefined;
    try {
      policy = JSON.parse(params.Policy);
    } catch {
      policy = undefined;
    }
    if (
      params.Policy.length > MAX_POLICY_LENGTH ||
      policy?.Version !== '1' ||
      !Array.isArray(policy.Statement)
    ) {
      return {
        status: 400,
        code: 'InvalidParameter.PolicyGrammar',
        message: 'The parameter Policy has not passed grammar check.',
      };
    }
  }
  return undefined;
}
