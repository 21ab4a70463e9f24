/**
 * Issue 9, items 13 and 14 for credentials: values that would break the wire format (a header, the V4
 * `Credential=`, a URL) are refused, and so are credentials shaped for ali-oss, with an error naming the
 * fix. Through every function that takes credentials (and the primitives, for the secret).
 */
import { describe, expect, it } from 'vitest';
import { computeSignatureV1, computeSignatureV4 } from '../../../src/index.js';
import {
  longTermCredentials,
  type Options,
  SECRET,
  stsCredentials,
  taking,
} from '../../support/entry-points.js';
import { expectSignError } from '../../support/errors.js';

const each = taking('credentials').map((entry) => [entry.name, entry] as const);

describe('credentials that would break the wire format (item 13)', () => {
  const BAD_KEY_IDS = [
    'LTAI\r\nX',
    'LTAI\nX',
    'LTAI\tX',
    'LTAI X',
    ' LTAI',
    'LTAI ',
    'LTAI\n',
    'LTAÏ',
    'LTAI\u0000',
    'LTAI\u007f',
    'LTAI/X',
    'LTAI,X',
    'LTAI\u00a0',
  ];
  const BAD_TOKENS = [
    'tok\r\nen',
    'tok\nen',
    'token\n',
    ' token',
    'token ',
    'tokén',
    'tok\u0000en',
    '\ttoken',
  ];
  const BAD_SECRETS = [
    ' secret',
    'secret ',
    'secret\n',
    'secret\r\n',
    '\tsecret',
    'secret\u00a0',
    '\ufeffsecret',
  ];

  it.each(each)('%s refuses each, naming credentials and the rule', (_n, entry) => {
    for (const accessKeyId of BAD_KEY_IDS) {
      expectSignError(
        () => entry.call({ ...entry.base(), credentials: { ...longTermCredentials(), accessKeyId } }),
        'INVALID_CREDENTIALS',
        /credentials\.accessKeyId/,
      );
    }
    for (const securityToken of BAD_TOKENS) {
      expectSignError(
        () => entry.call({ ...entry.base(), credentials: { ...stsCredentials(), securityToken } }),
        'INVALID_CREDENTIALS',
        /credentials\.securityToken/,
      );
    }
    for (const accessKeySecret of BAD_SECRETS) {
      expectSignError(
        () => entry.call({ ...entry.base(), credentials: { ...longTermCredentials(), accessKeySecret } }),
        'INVALID_CREDENTIALS',
        /credentials\.accessKeySecret/,
      );
    }
  });

  it.each(each)(
    '%s signs what is valid: printable key ids, any secret inside, tokens with inner spaces',
    (_n, entry) => {
      const valid: Options[] = [
        { ...longTermCredentials(), accessKeyId: 'LTAI5t-_.~!*' },
        { ...longTermCredentials(), accessKeySecret: 'a secret with spaces and é inside' },
        { ...stsCredentials(), securityToken: 'a token with inner spaces+/=' },
      ];
      // signPostPolicy's V4 policy pins the base credentials: V1 signs the same policy with others.
      const version = entry.name === 'signPostPolicy' ? { signatureVersion: 'v1' } : {};
      for (const credentials of valid) {
        expect(() => entry.call({ ...entry.base(), ...version, credentials })).not.toThrow();
      }
    },
  );

  it('the primitives refuse a secret with surrounding whitespace too', () => {
    for (const accessKeySecret of BAD_SECRETS) {
      expectSignError(
        () => computeSignatureV1('x', { accessKeySecret }),
        'INVALID_CREDENTIALS',
        /accessKeySecret/,
      );
      expectSignError(
        () => computeSignatureV4('x', { accessKeySecret, date: '20300601', region: 'cn-hangzhou' }),
        'INVALID_CREDENTIALS',
        /accessKeySecret/,
      );
    }
    expect(computeSignatureV1('x', { accessKeySecret: 'in side' })).toMatch(/^[A-Za-z0-9+/]{27}=$/);
  });
});

describe('credentials shaped for ali-oss (item 14)', () => {
  it.each(each)('%s names securityToken as the fix', (_n, entry) => {
    const { accessKeySecret, securityToken } = stsCredentials();
    const shapes: Options[] = [
      { accessKeyId: 'STS.NTExample', accessKeySecret, stsToken: securityToken },
      { accessKeyId: 'LTAI5tExample', accessKeySecret, stsToken: securityToken },
      { accessKeyId: 'STS.NTExample', accessKeySecret },
      { accessKeyId: 'STS.NTExample', accessKeySecret, securityToken: '' },
      { accessKeyId: 'STS.NTExample', accessKeySecret, securityToken: undefined, stsToken: securityToken },
      { accessKeyId: 'STS.NTExample', accessKeySecret, SecurityToken: securityToken },
      { accessKeyId: 'STS.NTExample', accessKeySecret, sessionToken: securityToken },
    ];
    for (const credentials of shapes) {
      expectSignError(
        () => entry.call({ ...entry.base(), credentials }),
        'INVALID_CREDENTIALS',
        /securityToken/,
      );
    }
  });

  it.each(each)('%s names the missing accessKeyId or accessKeySecret for other shapes', (_n, entry) => {
    const both =
      /credentials\.accessKeyId \(got undefined\) and credentials\.accessKeySecret \(got undefined\)/;
    const shapes: [unknown, RegExp][] = [
      [{ AccessKeyId: 'STS.NTExample', AccessKeySecret: SECRET, SecurityToken: 'token' }, both],
      [
        { accessKeyId: 'LTAI5tExample', secretAccessKey: SECRET },
        /^credentials\.accessKeySecret \(got undefined\)/,
      ],
      [{ id: 'LTAI5tExample', secret: SECRET }, both],
      [{}, both],
      ['LTAI5tExample:secret', /accessKeyId and accessKeySecret/],
    ];
    for (const [credentials, message] of shapes) {
      expectSignError(() => entry.call({ ...entry.base(), credentials }), 'MISSING_CREDENTIALS', message);
    }
  });

  it.each(each)('%s says which field is missing, and of a wrong value its type only', (_n, entry) => {
    const cases: [unknown, RegExp][] = [
      [
        { accessKeyId: 'LTAI5tExample', accessKeySecret: '' },
        /^credentials\.accessKeySecret \(got ""\) must be/,
      ],
      [{ accessKeyId: null, accessKeySecret: SECRET }, /^credentials\.accessKeyId \(got null\) must be/],
      [
        { accessKeyId: 'LTAI5tExample', accessKeySecret: 12345 },
        /^credentials\.accessKeySecret \(got a number\)/,
      ],
      [
        { accessKeyId: 'LTAI5tExample', accessKeySecret: { secret: SECRET } },
        /^credentials\.accessKeySecret \(got an object\)/,
      ],
    ];
    for (const [credentials, message] of cases) {
      const error = expectSignError(
        () => entry.call({ ...entry.base(), credentials }),
        'MISSING_CREDENTIALS',
        message,
      );
      expect(error.message).toMatch(/environment variable/);
      expect(error.message).not.toContain(SECRET);
      expect(error.message).not.toContain('12345');
    }
  });

  it.each(each)('%s takes securityToken alongside the same stsToken', (_n, entry) => {
    const credentials = { ...stsCredentials(), stsToken: stsCredentials().securityToken };
    expect(() => entry.call({ ...entry.base(), credentials })).not.toThrow();
  });
});
