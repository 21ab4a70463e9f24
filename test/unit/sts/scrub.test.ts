import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OssSignError } from '../../../src/errors.js';
import { scrubMessage } from '../../../src/sts/scrub.js';
import type { FakeReply } from '../../support/fake-sts.mjs';
import { type Harness, rejection, startHarness } from '../../support/sts-harness.js';

/**
 * What STS echoes never carries the caller's keys, in any encoding. The oracle here decodes with Node's own
 * Buffer and URI functions (not the library's code) and looks for any 8-character piece of a secret.
 */

const PIECE = 8;

/** Every rendering of a value a log might hold: message, string, JSON, full inspection (cause, details, stack). */
function renderings(value: unknown): string[] {
  const error = value as Error;
  return [
    String(value),
    JSON.stringify(value) ?? '',
    inspect(value, { depth: 10, showHidden: true }),
    error.stack ?? '',
    String(error.cause ?? ''),
  ];
}

/** The text and what Node decodes from it: percent-encoding (twice), JSON escapes, base64 and hex runs. */
function decoded(text: string): string[] {
  const out = [text];
  const uri = (t: string) =>
    t.replace(/(%[0-9a-f]{2})+/gi, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return Buffer.from(run.replace(/%/g, ''), 'hex').toString('latin1');
      }
    });
  out.push(uri(text), uri(uri(text)));
  out.push(text.replace(/\\u([0-9a-f]{4})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))));
  for (const variant of [...out]) {
    for (const run of variant.match(/[A-Za-z0-9+/=_-]{6,}/g) ?? []) {
      for (let offset = 0; offset < 4; offset++) {
        out.push(Buffer.from(run.slice(offset), 'base64').toString('latin1'));
        out.push(Buffer.from(run.slice(offset), 'base64').toString('utf8'));
      }
    }
    for (const run of variant.match(/[0-9a-f]{6,}/gi) ?? []) {
      out.push(
        Buffer.from(run, 'hex').toString('latin1'),
        Buffer.from(run.slice(1), 'hex').toString('latin1'),
      );
    }
  }
  return out;
}

function leaks(value: unknown, secrets: string[]): string | undefined {
  for (const rendering of renderings(value)) {
    for (const text of decoded(rendering)) {
      for (const secret of secrets) {
        for (let i = 0; i + Math.min(PIECE, secret.length) <= secret.length; i++) {
          const piece = secret.slice(i, i + Math.min(PIECE, secret.length));
          if (text.includes(piece))
            return `${JSON.stringify(piece)} in ${JSON.stringify(rendering.slice(0, 200))}`;
        }
      }
    }
  }
  return undefined;
}

// Role chaining: the caller's keys include a token, sent in the x-acs-security-token header.
const CALLER = {
  accessKeyId: 'STS.NUcallerKeyId0001',
  accessKeySecret: `secret+/=${randomBytes(24).toString('base64')}`,
  securityToken: `CAIS+/=${randomBytes(300).toString('base64')}`,
};
const CALLER_SECRETS = [CALLER.accessKeySecret, CALLER.securityToken, CALLER.accessKeyId];

const b64 = (text: string) => Buffer.from(text).toString('base64');
/** Ways a misbehaving STS (or a proxy in front of it) might echo a secret. */
const ECHOES: Array<[string, (secret: string) => string]> = [
  ['raw', (s) => s],
  ['percent-encoded', (s) => encodeURIComponent(s)],
  [
    'percent-encoded, lower-case hex',
    (s) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
  ],
  ['percent-encoded twice', (s) => encodeURIComponent(encodeURIComponent(s))],
  ['form-encoded', (s) => new URLSearchParams({ t: s }).toString()],
  ['base64 of a JSON document holding it', (s) => b64(JSON.stringify({ SecurityToken: s }))],
  ['a fragment of base64 at an odd offset', (s) => b64(`xy${s}`).slice(7, 67)],
  ['base64url', (s) => Buffer.from(s).toString('base64url')],
  [
    'JSON \\u escapes',
    (s) => [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
  ],
  ['JSON-escaped inside JSON', (s) => JSON.stringify(JSON.stringify({ token: s }))],
  ['hex', (s) => Buffer.from(s).toString('hex')],
  ['its first 40 characters', (s) => s.slice(0, 40)],
  ['its last 12 characters', (s) => s.slice(-12)],
];

let h: Harness;
beforeEach(async () => {
  h = await startHarness({
    [CALLER.accessKeyId]: { secret: CALLER.accessKeySecret, securityToken: CALLER.securityToken },
  });
});
afterEach(async () => {
  await h.close();
});

const stsError = (requestId: string, fields: Record<string, string>): FakeReply => ({
  status: 403,
  body: { RequestId: requestId, Code: 'InvalidSecurityToken.Expired', Message: 'Token expired.', ...fields },
});

async function failureFor(reply: (requestId: string) => FakeReply): Promise<OssSignError> {
  h.sts.script(({ requestId }) => reply(requestId));
  return rejection(h.provider({ credentials: CALLER }).getCredentials(), 'STS_FAILED', []);
}

describe('STS errors that echo what the caller sent', () => {
  for (const [how, echo] of ECHOES) {
    for (const [name, secret] of [
      ['token', CALLER.securityToken],
      ['secret', CALLER.accessKeySecret],
    ] as const) {
      it(`Message with the caller's ${name}, ${how}`, async () => {
        const error = await failureFor((requestId) =>
          stsError(requestId, { Message: `Token ${echo(secret)} is expired.` }),
        );
        expect(leaks(error, CALLER_SECRETS)).toBeUndefined();
        // The rest stays useful: STS's code and request id.
        expect(error.details).toMatchObject({ stsCode: 'InvalidSecurityToken.Expired', httpStatus: 403 });
        expect(error.message).toContain(h.sts.requests.at(-1)?.requestId);
      });
    }
  }

  it.each([
    [
      'Code',
      (requestId: string) => stsError(requestId, { Code: `Invalid.${CALLER.securityToken.slice(7, 40)}` }),
    ],
    ['RequestId', () => stsError(CALLER.securityToken.slice(7, 47).replace(/[+/=]/g, 'A'), {})],
    ['RequestId', () => stsError(CALLER.accessKeyId, {})],
    [
      'HostId and Recommend',
      (requestId: string) =>
        stsError(requestId, { HostId: CALLER.securityToken, Recommend: CALLER.accessKeySecret }),
    ],
  ])('%s holding a secret', async (_, reply) => {
    const error = await failureFor(reply);
    expect(leaks(error, CALLER_SECRETS)).toBeUndefined();
    expect(error.cause).toBeUndefined();
  });

  it('a clean STS error is passed on whole: code, message and request id', async () => {
    const error = await failureFor((requestId) =>
      stsError(requestId, { Code: 'NoPermission', Message: 'You are not authorized to do this action.' }),
    );
    expect(error.message).toBe(
      `AssumeRole at ${h.sts.url} failed with HTTP 403 NoPermission: You are not authorized to do this action. (request id ${h.sts.requests[0]?.requestId}, 1 attempt(s))`,
    );
  });

  it('a message quoting the token is withheld or redacted, never shown', async () => {
    h.sts.fallback = 'quote-token';
    const error = await rejection(h.provider({ credentials: CALLER }).getCredentials(), 'STS_FAILED', []);
    expect(error.message).toMatch(/SecurityToken \[redacted\] is expired|withheld/);
    expect(leaks(error, CALLER_SECRETS)).toBeUndefined();
  });

  it('a 200 answer whose RequestId holds the token', async () => {
    h.sts.script(() => ({ status: 200, body: { RequestId: CALLER.accessKeyId, Credentials: {} } }));
    const error = await rejection(
      h.provider({ credentials: CALLER }).getCredentials(),
      'STS_BAD_RESPONSE',
      [],
    );
    expect(leaks(error, CALLER_SECRETS)).toBeUndefined();
  });
});

describe('scrubMessage', () => {
  const encodings = ECHOES.map(([, echo]) => echo);

  it('leaves no piece of a secret in any encoding, nested up to twice, inside any text', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 40 }),
        fc.string({ maxLength: 40 }),
        fc.array(fc.constantFrom(...encodings), { minLength: 1, maxLength: 2 }),
        fc.constantFrom('base64', 'unicode'),
        (before, after, chain, kind) => {
          const secret =
            kind === 'base64'
              ? randomBytes(12 + (before.length % 40)).toString('base64')
              : `${randomBytes(6).toString('hex')}é€😀"\\/+ ${randomBytes(6).toString('hex')}`;
          const echoed = chain.reduce((text, encode) => encode(text), secret);
          const result = scrubMessage(`${before}${echoed}${after}`, [secret]);
          expect(result === undefined ? undefined : leaks(result, [secret])).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps a text holding no secret as it is (control characters blanked, cut at 500)', () => {
    const secret = randomBytes(30).toString('base64');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 300 }), (text) => {
        expect(scrubMessage(text, [secret])).toBe(text.replace(/\p{Cc}/gu, ' '));
      }),
    );
    expect(scrubMessage('x'.repeat(600), [secret])).toBe(`${'x'.repeat(497)}...`);
    expect(scrubMessage('line\r\nInjected: header', [secret])).toBe('line  Injected: header');
  });
});
