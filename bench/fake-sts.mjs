// A stand-in STS endpoint on 127.0.0.1 for the STS rows: it answers every AssumeRole with fresh
// credentials of realistic size (an STS token is ~600 base64 characters) and counts the calls, so the
// bench can show that the timed path never reached it. It checks no signature: only the provider's
// cache is measured here, not STS.

import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

export async function startFakeSts() {
  let assumeRoleCalls = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      assumeRoleCalls++;
      const duration = Number(new URL(request.url, 'http://sts').searchParams.get('DurationSeconds') || 3600);
      const expiration = new Date(Date.now() + duration * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      response.setHeader('content-type', 'application/json;charset=utf-8');
      response.end(
        JSON.stringify({
          RequestId: randomBytes(16).toString('hex'),
          AssumedRoleUser: { Arn: 'acs:ram::1:role/bench/session', AssumedRoleId: '3000:session' },
          Credentials: {
            AccessKeyId: `STS.${randomBytes(18).toString('base64url')}`,
            AccessKeySecret: randomBytes(33).toString('base64'),
            SecurityToken: `CAIS${randomBytes(450).toString('base64')}`,
            Expiration: expiration,
          },
        }),
      );
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `127.0.0.1:${server.address().port}`,
    calls: () => assumeRoleCalls,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}
