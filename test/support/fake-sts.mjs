// The one stand-in for STS AssumeRole, shared by the tests (TypeScript, types in fake-sts.d.mts) and the
// bench (plain node). It listens on 127.0.0.1 port 0 and checks requests the way STS does: the
// ACS3-HMAC-SHA256 signature, recomputed here from the published V3 signature rules (not from the SDK's
// code), the payload hash, the nonce and the parameters. It answers with credentials of realistic size
// (an STS token is about 600 characters), on its own clock, with a Date header; tests script faults per
// request.

import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const MAX_SKEW_MS = 15 * 60 * 1000;
const MAX_POLICY_LENGTH = 2048;

/** @param {import('./fake-sts.d.mts').FakeStsOptions} options */
export async function startFakeSts(options) {
  const { accessKeys, roleArn, clock = () => new Date() } = options;
  /** @type {import('./fake-sts.d.mts').Behaviour[]} */
  const queue = [];
  const seenNonces = new Set();
  /** @type {import('./fake-sts.d.mts').FakeSts} */
  const fake = {
    url: '',
    requests: [],
    issued: [],
    script: (...behaviours) => {
      queue.push(...behaviours);
    },
    fallback: 'issue',
    clockOffsetSeconds: 0,
    grantSeconds: undefined,
    sendDate: true,
    stsNow: () => new Date(clock().getTime() + fake.clockOffsetSeconds * 1000),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };

  /** The answer to one request (or its promise), or undefined to leave it hanging (the client's read timeout ends it). */
  const answer = (req, body) => {
    const requestId = randomUUID().toUpperCase();
    const url = new URL(req.url ?? '/', 'http://fake-sts');
    const params = Object.fromEntries(url.searchParams);
    const problem =
      verifyAcs3(req, url, body, accessKeys, seenNonces) ?? checkAssumeRoleParams(req, params, roleArn);
    if (problem) {
      fake.requests.push({ params, verdict: problem.code, requestId });
      return error(requestId, problem.status, problem.code, problem.message);
    }
    const behaviour = queue.shift() ?? fake.fallback;
    fake.requests.push({ params, verdict: 'ok', behaviour, requestId });
    return respond(behaviour, req, params, requestId);
  };

  const respond = async (behaviour, req, params, requestId) => {
    if (typeof behaviour === 'object' && behaviour !== null) {
      await behaviour.after;
      return respond(behaviour.reply, req, params, requestId);
    }
    const stsNow = fake.stsNow().getTime();
    if (typeof behaviour === 'function') {
      return behaviour({ params, headers: req.headers, requestId, stsNow: new Date(stsNow) });
    }
    switch (behaviour) {
      case 'hang':
        return undefined;
      case 'server-error':
        return error(
          requestId,
          500,
          'InternalError',
          'The request processing has failed due to some unknown error.',
        );
      case 'quote-token':
        // STS does not do this; the provider must cope anyway.
        return error(
          requestId,
          403,
          'InvalidSecurityToken.Expired',
          `SecurityToken ${String(req.headers['x-acs-security-token'])} is expired.`,
        );
      case 'throttle':
        return error(requestId, 400, 'Throttling.User', 'Request was denied due to user flow control.');
      case 'malformed':
        return { status: 200, body: `{"RequestId":"${requestId}","Credentials":{"AccessKeyId":` };
      case 'no-credentials':
        return {
          status: 200,
          body: { RequestId: requestId, AssumedRoleUser: { Arn: `${roleArn}/${params.RoleSessionName}` } },
        };
      case 'expired':
        return issue(requestId, params, stsNow - 1000);
      case 'issue':
        return issue(
          requestId,
          params,
          stsNow + (fake.grantSeconds ?? Number(params.DurationSeconds ?? 3600)) * 1000,
        );
      default:
        throw new Error(`unknown behaviour ${String(behaviour)}`);
    }
  };

  const issue = (requestId, params, expiresAt) => {
    const credentials = {
      accessKeyId: `STS.${randomBytes(18).toString('base64url')}`,
      accessKeySecret: randomBytes(33).toString('base64'),
      securityToken: `CAIS${randomBytes(450).toString('base64')}`,
      // STS writes whole seconds: 2015-04-09T11:52:19Z
      expiration: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    fake.issued.push(credentials);
    return {
      status: 200,
      body: {
        RequestId: requestId,
        AssumedRoleUser: { Arn: `${roleArn}/${params.RoleSessionName}`, AssumedRoleId: '3000:session' },
        Credentials: {
          AccessKeyId: credentials.accessKeyId,
          AccessKeySecret: credentials.accessKeySecret,
          SecurityToken: credentials.securityToken,
          Expiration: credentials.expiration,
        },
      },
    };
  };

  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', async () => {
      const reply = await answer(req, Buffer.concat(chunks));
      if (!reply) return;
      // Node would write the real time; STS writes its own clock's.
      res.sendDate = false;
      if (fake.sendDate) res.setHeader('date', fake.stsNow().toUTCString());
      res.writeHead(reply.status, { 'content-type': 'application/json;charset=utf-8', ...reply.headers });
      res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  fake.url = `http://127.0.0.1:${server.address().port}`;
  return fake;
}

function error(requestId, status, code, message) {
  return { status, body: { RequestId: requestId, HostId: 'sts.aliyuncs.com', Code: code, Message: message } };
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
function verifyAcs3(req, url, body, accessKeys, seenNonces) {
  const header = (name) => {
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
  const account = Object.hasOwn(accessKeys, accessKeyId) ? accessKeys[accessKeyId] : undefined;
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
  if (
    signedHeaders.join(';') !== [...signedHeaders].sort().join(';') ||
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
  // The SDK dates its requests with the real clock, whatever clock the test gives the provider.
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
    .map(([name, value]) => [percentEncode(name), percentEncode(value)])
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
function percentEncode(value) {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function checkAssumeRoleParams(req, params, roleArn) {
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
    let policy;
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
