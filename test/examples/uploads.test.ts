// What the shared upload routes promise beyond the smoke test: the lifetime of the credentials they hand
// out, the upload callback in what they sign (or none), and the error answers every framework gives.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { errorResponse, HttpError } from '../../examples/shared/errors.js';
import { LOCAL_BUCKET, LOCAL_ROLE_ARN } from '../../examples/shared/target.mjs';
import { createUploads, MIN_VALIDITY_SECONDS } from '../../examples/shared/uploads.js';
import { OssSignError } from '../../src/index.js';
import { type FakeSts, startFakeSts } from '../support/fake-sts.mjs';

describe('the STS route', () => {
  const credentials = { accessKeyId: 'LTAI-examples-test', accessKeySecret: 'examples-test-secret' };
  let now = Date.now();
  const clock = () => new Date(now);
  let sts: FakeSts;

  beforeAll(async () => {
    sts = await startFakeSts({
      accessKeys: { [credentials.accessKeyId]: { secret: credentials.accessKeySecret } },
      roleArn: LOCAL_ROLE_ARN,
      clock,
    });
  });

  afterAll(() => sts.close());

  it(`never hands out credentials with less than ${MIN_VALIDITY_SECONDS} s left (the page refreshes every 600 s)`, async () => {
    const target = { bucket: LOCAL_BUCKET, region: 'cn-hangzhou', credentials };
    const uploads = createUploads(
      { ...target, sts: { roleArn: LOCAL_ROLE_ARN, endpoint: sts.url } },
      { sts: { clock } },
    );
    const user = { id: 'user-42' };
    const first = await uploads.stsCredentials(user);
    // Cached credentials (3600 s) are served while they have more than the refresh window (300 s) left...
    now += 2000_000;
    expect((await uploads.stsCredentials(user)).accessKeyId).toBe(first.accessKeyId);
    // ...and than MIN_VALIDITY_SECONDS: 800 s left is not enough.
    now += 800_000;
    const second = await uploads.stsCredentials(user);
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    expect(Date.parse(second.expiration) - now).toBeGreaterThanOrEqual(MIN_VALIDITY_SECONDS * 1000);
    expect(sts.issued).toHaveLength(2);
  });
});

describe('the upload callback in what the routes sign', () => {
  const target = {
    bucket: LOCAL_BUCKET,
    region: 'cn-hangzhou',
    credentials: { accessKeyId: 'LTAI-examples-test', accessKeySecret: 'examples-test-secret' },
    sts: { roleArn: LOCAL_ROLE_ARN },
  };
  const user = { id: 'user-42' };
  const query = (signed: { url: string }) => new URL(signed.url).searchParams;
  const decoded = (base64: string | null | undefined) =>
    JSON.parse(Buffer.from(base64 ?? '', 'base64').toString('utf8')) as unknown;
  const steps = (uploads: ReturnType<typeof createUploads>) => ({
    put: query(uploads.presignedUrl(user, { name: 'a.txt' })),
    initiate: query(uploads.multipart(user, { name: 'a.txt', step: 'initiate' })),
    complete: query(uploads.multipart(user, { name: 'a.txt', step: 'complete', uploadId: 'U1' })),
    fields: uploads.postPolicy(user).fields,
  });

  it('is in none of them without a callback URL (real OSS without CALLBACK_URL): uploads work as before', () => {
    const { put, initiate, complete, fields } = steps(createUploads(target));
    for (const signed of [put, initiate, complete]) expect([...signed.keys()]).not.toContain('callback');
    expect(Object.keys(fields)).not.toContain('callback');
    expect(fields.success_action_status).toBe('201');
  });

  it("is in the PUT, the form and multipart's complete step, to the URL given, the user pinned", () => {
    const url = 'https://api.example.com/api/oss-callback';
    const { put, initiate, complete, fields } = steps(createUploads({ ...target, callback: { url } }));
    const callback = {
      callbackUrl: url,
      callbackBody:
        'bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}&user=${x:user}',
    };
    for (const signed of [put, complete]) {
      expect(decoded(signed.get('callback'))).toEqual(callback);
      expect(decoded(signed.get('callback-var'))).toEqual({ 'x:user': 'user-42' });
    }
    expect([...initiate.keys()]).not.toContain('callback');
    expect(decoded(fields.callback)).toEqual(callback);
    expect(fields['x:user']).toBe('user-42');
    // The form's policy pins both, so the page can change neither.
    expect(decoded(fields.policy)).toMatchObject({
      conditions: expect.arrayContaining([
        ['eq', '$callback', fields.callback],
        ['eq', '$x:user', 'user-42'],
      ]),
    });
  });

  it('refuses, when created, a callback URL that OSS would refuse', () => {
    expect(() =>
      createUploads({ ...target, callback: { url: 'http://[::1]:3000/api/oss-callback' } }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_CALLBACK' }));
  });
});

describe('errorResponse', () => {
  const log = vi.fn();

  it.each([
    [new HttpError(413, 'BodyTooLarge', 'too big'), 413, 'BodyTooLarge', false],
    [Object.assign(new Error('bad json'), { status: 400 }), 400, 'InvalidBody', false],
    [Object.assign(new Error('too large'), { statusCode: 413 }), 413, 'BodyTooLarge', false],
    [new OssSignError('INVALID_KEY', 'key must ...'), 400, 'INVALID_KEY', false],
    [new OssSignError('CALLBACK_KEY_NOT_TRUSTED', 'key url ...'), 401, 'CALLBACK_KEY_NOT_TRUSTED', false],
    [new OssSignError('STS_FAILED', 'STS at sts.aliyuncs.com ...'), 503, 'STS_FAILED', true],
    [new OssSignError('CALLBACK_KEY_FETCH_FAILED', 'fetching ...'), 503, 'CALLBACK_KEY_FETCH_FAILED', true],
    [new OssSignError('INVALID_BUCKET', 'bucket must ...'), 500, 'INVALID_BUCKET', true],
    [new OssSignError('MISSING_PEER_DEPENDENCY', 'npm install ...'), 500, 'MISSING_PEER_DEPENDENCY', true],
    [Object.assign(new Error('upstream'), { status: 502 }), 500, 'InternalError', true],
    [new TypeError('a bug'), 500, 'InternalError', true],
  ])('%s: %i %s (logged: %s)', (error, status, code, logged) => {
    log.mockClear();
    const answer = errorResponse(error, log);
    expect(answer).toMatchObject({ status, body: { code } });
    expect(log).toHaveBeenCalledTimes(logged ? 1 : 0);
    // What this server got wrong is logged, not told: the answer carries no detail of it.
    if (status >= 500) expect(answer.body.message).not.toContain((error as Error).message);
  });
});
