/**
 * Issue 9, item 15: an endpoint that carries credentials (`user:password@`) is refused, in every function
 * that takes an endpoint, and the password shows in no form in the error: not in its message, String,
 * JSON, inspection or stack, neither as given nor percent-encoded nor in pieces.
 */
import { describe, expect, it } from 'vitest';
import { taking } from '../../support/entry-points.js';
import { expectNoSecret, expectSignError } from '../../support/errors.js';

const PASSWORD = 'Pa55-Secret-Word';

/** Endpoints with a password in them, and the pieces of it that must not show. */
const WITH_PASSWORDS: [endpoint: string, secrets: string[]][] = [
  [`https://user:${PASSWORD}@oss.example.com`, [PASSWORD]],
  [`user:${PASSWORD}@oss.example.com`, [PASSWORD]],
  [`https://:${PASSWORD}@oss.example.com`, [PASSWORD]],
  [`https://user:${PASSWORD}@oss.example.com:8443`, [PASSWORD]],
  [`http://user:${PASSWORD}@127.0.0.1:9000`, [PASSWORD]],
  [`HTTPS://USER:${PASSWORD.toUpperCase()}@OSS.EXAMPLE.COM`, [PASSWORD.toUpperCase()]],
  [`https://user:${PASSWORD}@oss.example.com/`, [PASSWORD]],
  [`https://user:${PASSWORD}@oss.example.com/path?x=1`, [PASSWORD]],
  [`//user:${PASSWORD}@oss.example.com`, [PASSWORD]],
  [` https://user:${PASSWORD}@oss.example.com `, [PASSWORD]],
  ['https://user:Pa55/Secret@oss.example.com', ['Pa55/Secret', 'Secret@oss']],
  ['https://user:Pa55@Secret@oss.example.com', ['Pa55@Secret', 'Pa55', 'Secret']],
  ['https://user:Pa55%40Secret@oss.example.com', ['Pa55%40Secret', 'Pa55@Secret']],
  ['https://user:Pa55#Secret@oss.example.com', ['Pa55#Secret', 'Secret@']],
  ['https://user:Pa55?Secret@oss.example.com', ['Pa55?Secret', 'Secret@']],
  [`https://user:${PASSWORD}\n@oss.example.com`, [PASSWORD]],
  [`https://user@oss.example.com`, []],
];

describe('an endpoint with credentials is refused without showing them (item 15)', () => {
  it.each(taking('endpoint').map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
    for (const [endpoint, secrets] of WITH_PASSWORDS) {
      const error = expectSignError(
        () => entry.call({ ...entry.base(), endpoint }),
        'INVALID_ENDPOINT',
        /endpoint must be a base URL/,
      );
      expectNoSecret(error, [...secrets, 'user:']);
    }
  });

  it.each(taking('endpoint').map((entry) => [entry.name, entry] as const))(
    '%s shows an endpoint without credentials, to say what is wrong with it',
    (_name, entry) => {
      const error = expectSignError(
        () => entry.call({ ...entry.base(), endpoint: 'https://oss.example.com/some/path' }),
        'INVALID_ENDPOINT',
      );
      expect(error.message).toContain('"https://oss.example.com/some/path"');
      // A valid endpoint is taken.
      expect(() =>
        entry.call({ ...entry.base(), endpoint: 'https://oss-cn-hangzhou-internal.aliyuncs.com' }),
      ).not.toThrow();
    },
  );
});

/**
 * The endpoint becomes the host of every URL and form signed: one that is no host name, IP address or port
 * gives URLs no client can send (or that go elsewhere), so it is refused at signing.
 */
describe('an endpoint whose host or port is not one is refused', () => {
  const NOT_HOSTS = [
    'oss.exa\u0000mple.com',
    'oss.exa\uD800mple.com',
    'oss.exämple.com',
    'oss\u200b.example.com',
    'oss.example.com:99999',
    'oss.example.com:0',
    'oss.example.com:',
    'oss.example.com:80:80',
    'https:oss.example.com',
    '-oss.example.com',
    'oss-.example.com',
    'oss..example.com',
    '.',
    'a<b>.example.com',
    'oss.example.com"',
    'oss%2fexample.com',
    'oss\\example.com',
    'oss{1}.example.com',
    '[zz]',
    '[::1',
    '256.1.1.1',
    '1.2.3.4.5',
  ];
  it.each(taking('endpoint').map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
    for (const endpoint of NOT_HOSTS) {
      for (const given of [endpoint, `https://${endpoint}`]) {
        expectSignError(() => entry.call({ ...entry.base(), endpoint: given }), 'INVALID_ENDPOINT');
      }
    }
    for (const endpoint of [
      'https://oss-cn-hangzhou.aliyuncs.com',
      'oss-cn-hangzhou-internal.aliyuncs.com',
      'http://127.0.0.1:9000',
      'http://localhost:9000/',
      'http://[::1]:9000',
      'https://[2001:db8::1]',
      'HTTPS://OSS.EXAMPLE.COM:65535',
      'https://oss.example.com.',
      'https://cb-123.oss-cloudbox.aliyuncs.com',
      'https://files_1.example.com',
    ]) {
      expect(() => entry.call({ ...entry.base(), endpoint }), endpoint).not.toThrow();
    }
  });

  it('an internationalized host name is asked for in its punycode form', () => {
    const [entry] = taking('endpoint');
    expectSignError(
      () => entry?.call({ ...entry.base(), endpoint: 'https://oss.exämple.com' }),
      'INVALID_ENDPOINT',
      /punycode/,
    );
  });
});
