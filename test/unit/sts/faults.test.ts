import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OssSignError } from '../../../src/errors.js';
import {
  asReturned,
  expectNoSecrets,
  type Harness,
  LONG_TERM,
  rejection,
  startHarness,
} from '../../support/sts-harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('STS errors on a cold cache', () => {
  it('retries 5xx a bounded number of times, then rejects with STS_FAILED carrying code and request id', async () => {
    h.sts.fallback = 'server-error';
    const error = await rejection(h.provider().getCredentials(), 'STS_FAILED', h.secrets());
    expect(h.sts.requests).toHaveLength(3); // default maxAttempts
    expect(error.details).toMatchObject({
      stsCode: 'InternalError',
      requestId: h.sts.requests[2]?.requestId,
      httpStatus: 500,
      attempts: 3,
    });
    expect(error.message).toContain('InternalError');
    expect(error.message).toContain(h.sts.requests[2]?.requestId);
  });

  it('recovers when a retry of a 5xx succeeds', async () => {
    h.sts.script('server-error');
    const result = await h.provider().getCredentials();
    expect(h.sts.requests.map((r) => r.behaviour)).toEqual(['server-error', 'issue']);
    expect(result).toEqual(asReturned(h.sts.issued[0]));
  });

  it('retries throttling, up to maxAttempts', async () => {
    h.sts.script('throttle', 'throttle');
    expect(await h.provider().getCredentials()).toEqual(asReturned(h.sts.issued[0]));
    expect(h.sts.requests).toHaveLength(3);

    h.sts.fallback = 'throttle';
    const error = await rejection(h.provider({ maxAttempts: 4 }).getCredentials(), 'STS_FAILED', h.secrets());
    expect(h.sts.requests).toHaveLength(3 + 4);
    expect(error.details).toMatchObject({ stsCode: 'Throttling.User', httpStatus: 400, attempts: 4 });
  });

  it('gives up on an STS that hangs past the read timeout', async () => {
    h.sts.fallback = 'hang';
    const error = await rejection(
      h.provider({ timeoutMs: 200, maxAttempts: 2 }).getCredentials(),
      'STS_FAILED',
      h.secrets(),
    );
    expect(h.sts.requests).toHaveLength(2);
    expect(String(error.details?.reason)).toMatch(/Timeout/);
  });

  it('rejects a body that is not JSON with STS_BAD_RESPONSE, after retrying it', async () => {
    h.sts.fallback = 'malformed';
    const error = await rejection(
      h.provider({ maxAttempts: 2 }).getCredentials(),
      'STS_BAD_RESPONSE',
      h.secrets(),
    );
    expect(error.message).toMatch(/not JSON/);
    expect(h.sts.requests).toHaveLength(2);

    h.sts.fallback = 'issue';
    h.sts.script('malformed');
    expect(await h.provider().getCredentials()).toEqual(asReturned(h.sts.issued[0]));
  });

  it('rejects a 200 without credentials with STS_BAD_RESPONSE naming what is missing, without retrying', async () => {
    h.sts.fallback = 'no-credentials';
    const error = await rejection(h.provider().getCredentials(), 'STS_BAD_RESPONSE', h.secrets());
    expect(h.sts.requests).toHaveLength(1);
    for (const field of ['AccessKeyId', 'AccessKeySecret', 'SecurityToken', 'Expiration']) {
      expect(error.message).toContain(`Credentials.${field}`);
    }
    expect(error.details?.requestId).toBe(h.sts.requests[0]?.requestId);
  });

  it.each([
    ['an AccessKeyId with a line break', { AccessKeyId: 'STS.Key\r\nX-Injected: 1' }],
    ['an AccessKeyId with spaces around it', { AccessKeyId: ' STS.KeyWithSpaces ' }],
    ["an AccessKeyId with '/'", { AccessKeyId: 'STS.Key/WithSlash' }],
    ['an AccessKeyId that is not ASCII', { AccessKeyId: 'STS.K\u00e9y' }],
    ['an AccessKeySecret ending in a line break', { AccessKeySecret: 'returned-secret-value\n' }],
    ['a SecurityToken with a line break', { SecurityToken: 'CAISreturned\ntoken' }],
  ])(
    'rejects credentials that could not sign (%s) with STS_BAD_RESPONSE, without showing them',
    async (_what, bad) => {
      const secrets = [
        'returned-secret-value',
        'CAISreturned',
        'KeyWithSpaces',
        'Key/WithSlash',
        'X-Injected',
      ];
      h.sts.fallback = ({ requestId }) => ({
        status: 200,
        body: {
          RequestId: requestId,
          Credentials: {
            AccessKeyId: 'STS.GoodKeyId',
            AccessKeySecret: 'good-secret',
            SecurityToken: 'CAISgoodtoken',
            Expiration: new Date(h.clock.now + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
            ...bad,
          },
        },
      });
      const error = await rejection(h.provider().getCredentials(), 'STS_BAD_RESPONSE', [
        ...h.secrets(),
        ...secrets,
      ]);
      expect(error.message).toMatch(/Credentials\.(AccessKeyId|AccessKeySecret|SecurityToken)/);
      expect(error.details?.requestId).toBe(h.sts.requests[0]?.requestId);
      expect(h.sts.requests).toHaveLength(1);
    },
  );

  it('rejects a wrong secret with STS_FAILED SignatureDoesNotMatch, without retrying and without the secret', async () => {
    const wrong = { accessKeyId: LONG_TERM.accessKeyId, accessKeySecret: 'not-the-right-secret-4242' };
    const error = await rejection(h.provider({ credentials: wrong }).getCredentials(), 'STS_FAILED', [
      ...h.secrets(),
      wrong.accessKeySecret,
    ]);
    expect(h.sts.requests).toHaveLength(1);
    expect(error.details).toMatchObject({
      stsCode: 'SignatureDoesNotMatch',
      httpStatus: 400,
      requestId: h.sts.requests[0]?.requestId,
    });
  });

  it('scrubs the secrets it sent from messages STS sends back', async () => {
    await h.close();
    const chained = {
      accessKeyId: 'STS.parent',
      accessKeySecret: 'parent-secret-0002',
      securityToken: 'parent-token-0002',
    };
    h = await startHarness({
      [chained.accessKeyId]: { secret: chained.accessKeySecret, securityToken: chained.securityToken },
    });
    h.sts.fallback = 'quote-token';
    const error = await rejection(
      h.provider({ credentials: chained }).getCredentials(),
      'STS_FAILED',
      h.secrets(),
    );
    expect(error.message).toContain('SecurityToken [redacted] is expired');
    expect(error.details?.stsCode).toBe('InvalidSecurityToken.Expired');
  });

  it('rejects an unknown access key id with STS_FAILED', async () => {
    const unknown = { accessKeyId: 'LTAI5tUnknownKey', accessKeySecret: 'some-secret-for-unknown-key' };
    const error = await rejection(h.provider({ credentials: unknown }).getCredentials(), 'STS_FAILED', [
      unknown.accessKeySecret,
    ]);
    expect(error.details?.stsCode).toBe('InvalidAccessKeyId.NotFound');
  });

  it('fails with STS_FAILED when nothing listens at the endpoint', async () => {
    const endpoint = h.sts.url;
    await h.close();
    const error = await rejection(
      h.provider({ endpoint, maxAttempts: 2 }).getCredentials(),
      'STS_FAILED',
      h.secrets(),
    );
    expect(error.details).toMatchObject({ reason: 'ECONNREFUSED', attempts: 2, endpoint });
    // The message names the host it tried.
    expect(error.message).toContain(`AssumeRole request to ${endpoint} failed: ECONNREFUSED`);
    h = await startHarness(); // for afterEach
  });

  it('answers callers during the backoff after a cold failure with that failure, then tries again', async () => {
    h.sts.fallback = 'server-error';
    const onRefreshError = vi.fn<(error: OssSignError) => void>();
    const provider = h.provider({ maxAttempts: 1, onRefreshError });
    const first = await rejection(provider.getCredentials(), 'STS_FAILED', h.secrets());
    h.sts.fallback = 'issue';
    // 50 callers inside the backoff (at most 1 s after the first failure) make no AssumeRole.
    for (let i = 0; i < 50; i++) expect(await provider.getCredentials().catch((e: unknown) => e)).toBe(first);
    expect(h.sts.requests).toHaveLength(1);
    expect(onRefreshError).toHaveBeenCalledTimes(1);
    h.clock.advanceSeconds(1);
    expect(await provider.getCredentials()).toEqual(asReturned(h.sts.issued[0]));
    expect(h.sts.requests).toHaveLength(2);
  });
});

describe('STS failing while credentials are cached', () => {
  it('serves still-valid credentials, retries later with backoff, then takes fresh ones', async () => {
    const onRefreshError = vi.fn<(error: OssSignError) => void>();
    const provider = h.provider({ durationSeconds: 3600, onRefreshError });
    const first = await provider.getCredentials();

    h.clock.advanceSeconds(3600 - 250); // inside the 300 s window
    h.sts.fallback = 'server-error';
    expect(await provider.getCredentials()).toEqual(first);
    expect(h.sts.requests).toHaveLength(1 + 3);
    expect(onRefreshError).toHaveBeenCalledTimes(1);
    expect(onRefreshError.mock.calls[0]?.[0]).toMatchObject({
      code: 'STS_FAILED',
      details: { stsCode: 'InternalError' },
    });

    // Backing off: no AssumeRole right after a failure.
    expect(await provider.getCredentials()).toEqual(first);
    expect(h.sts.requests).toHaveLength(4);

    h.clock.advanceSeconds(61); // past the longest backoff
    expect(await provider.getCredentials()).toEqual(first);
    expect(h.sts.requests).toHaveLength(4 + 3);
    expect(onRefreshError).toHaveBeenCalledTimes(2);

    h.sts.fallback = 'issue';
    h.clock.advanceSeconds(61);
    const fresh = await provider.getCredentials();
    expect(fresh).toEqual(asReturned(h.sts.issued[1]));
    expect(h.sts.requests).toHaveLength(8);
    for (const [error] of onRefreshError.mock.calls) expectNoSecrets(error, h.secrets());
  });

  it('keeps serving cached credentials when a refresh answers credentials that could not sign', async () => {
    const onRefreshError = vi.fn<(error: OssSignError) => void>();
    const provider = h.provider({ durationSeconds: 3600, maxAttempts: 1, onRefreshError });
    const first = await provider.getCredentials();
    h.clock.advanceSeconds(3600 - 250); // inside the refresh window
    h.sts.fallback = ({ requestId }) => ({
      status: 200,
      body: {
        RequestId: requestId,
        Credentials: {
          AccessKeyId: 'STS.NewKeyId\n',
          AccessKeySecret: 'new-secret',
          SecurityToken: 'CAISnewtoken',
          Expiration: new Date(h.clock.now + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        },
      },
    });
    expect(await provider.getCredentials()).toEqual(first);
    expect(await provider.getCredentials()).toEqual(first);
    expect(h.sts.requests).toHaveLength(2);
    expect(onRefreshError).toHaveBeenCalledTimes(1);
    expect(onRefreshError.mock.calls[0]?.[0]).toMatchObject({ code: 'STS_BAD_RESPONSE' });
  });

  it('never returns expired credentials: past expiry it rejects with STS_FAILED and STS code and request id', async () => {
    const provider = h.provider({ durationSeconds: 900, maxAttempts: 1 });
    await provider.getCredentials();
    h.sts.fallback = 'throttle';

    h.clock.advanceSeconds(899); // 1 s left: still served
    await provider.getCredentials();
    h.clock.advanceSeconds(1); // expired
    const error = await rejection(provider.getCredentials(), 'STS_FAILED', h.secrets());
    expect(error.details).toMatchObject({
      stsCode: 'Throttling.User',
      requestId: h.sts.requests.at(-1)?.requestId,
    });
  });

  it('does not serve cached credentials shorter-lived than minValiditySeconds while STS fails', async () => {
    const provider = h.provider({ durationSeconds: 3600, maxAttempts: 1 });
    const first = await provider.getCredentials();
    h.clock.advanceSeconds(3600 - 200);
    h.sts.fallback = 'server-error';
    await rejection(provider.getCredentials({ minValiditySeconds: 600 }), 'STS_FAILED', h.secrets());
    expect(await provider.getCredentials({ minValiditySeconds: 100 })).toEqual(first);
  });

  it('does not let a throwing onRefreshError turn served credentials into an error', async () => {
    const provider = h.provider({
      maxAttempts: 1,
      onRefreshError: () => {
        throw new Error('observer failed');
      },
    });
    const first = await provider.getCredentials();
    h.clock.advanceSeconds(3600 - 100);
    h.sts.fallback = 'server-error';
    expect(await provider.getCredentials()).toEqual(first);
  });
});

describe('caller identity failures', () => {
  it('reports a failing credential client without its message, which may quote secrets', async () => {
    const leaky = 'aws_secret=leaked-secret-from-config-file';
    const credentials = {
      getCredential: async () => {
        throw new Error(`parse config failed: ${leaky}`);
      },
    };
    const error = await rejection(h.provider({ credentials }).getCredentials(), 'MISSING_CREDENTIALS', [
      leaky,
    ]);
    expect(error.message).toContain('credentials.getCredential()');
    expect(h.sts.requests).toHaveLength(0);
  });

  it('rejects a credential client that gives no key pair', async () => {
    const credentials = { getCredential: async () => ({ accessKeyId: 'LTAI5tOnlyId', accessKeySecret: '' }) };
    await rejection(h.provider({ credentials }).getCredentials(), 'MISSING_CREDENTIALS', []);
    expect(h.sts.requests).toHaveLength(0);
  });
});
