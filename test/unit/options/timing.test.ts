/**
 * Issue 9, items 13 and 16 for times: a signing time outside the years 1970..9999 (which OSS's formats
 * cannot write) is refused, so is an expiry past 9999, and an `expiresIn` that looks like milliseconds.
 * Through every function that takes `now` or `expiresIn`.
 */
import { describe, expect, it } from 'vitest';
import { computeSignatureV4 } from '../../../src/index.js';
import { type Options, SECRET, stsCredentials, taking, withOverrides } from '../../support/entry-points.js';
import { expectSignError } from '../../support/errors.js';

const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59);

describe('signing times OSS can write (item 13)', () => {
  const OUTSIDE = [
    ['year 999', new Date('0999-06-01T00:00:00Z')],
    ['1969', new Date(-1000)],
    ['year 10000', new Date(Date.UTC(10000, 0, 1))],
    ['the largest Date', new Date(8.64e15)],
    ['the smallest Date', new Date(-8.64e15)],
    ['an invalid Date', new Date(Number.NaN)],
  ] as const;
  const NOT_DATES = [Date.now(), '2030-06-01T12:00:00Z', { getTime: () => 0 }, Object.create(Date.prototype)];

  it.each(taking('now').map((entry) => [entry.name, entry] as const))(
    '%s refuses a now outside 1970..9999, or not a Date',
    (_n, entry) => {
      for (const [what, now] of OUTSIDE) {
        expectSignError(
          () => entry.call({ ...entry.base(), now }),
          'INVALID_ARGUMENT',
          /now must be a valid Date between the years 1970 and 9999/,
        );
        expect(what).toBeTruthy();
      }
      for (const now of NOT_DATES) {
        expectSignError(() => entry.call({ ...entry.base(), now }), 'INVALID_ARGUMENT', /now must be a Date/);
      }
    },
  );

  it.each(taking('now').map((entry) => [entry.name, entry] as const))(
    '%s takes the first and last seconds',
    (_n, entry) => {
      // Long-term credentials, a long-lived policy and no expiry left to run: only now is tested here.
      const edges = [new Date(0), new Date(LATEST)];
      for (const now of edges) {
        const options: Options = {
          ...entry.base(),
          now,
          credentials: { accessKeyId: 'LTAI5tExample', accessKeySecret: SECRET },
        };
        if (entry.takes.includes('expiresIn')) options.expiresIn = now.getTime() === 0 ? 600 : undefined;
        if (entry.takes.includes('expiresIn') && now.getTime() === LATEST) {
          expectSignError(() => entry.call(options), 'INVALID_EXPIRES', /9999/);
        } else if (entry.name === 'signPostPolicy') {
          expect(() =>
            entry.call({
              ...options,
              signatureVersion: 'v1',
              policy: { expiration: '9999-12-31T23:59:59.000Z', conditions: [] },
            }),
          ).not.toThrow();
        } else if (entry.name !== 'checkPostPolicy') {
          expect(() => entry.call(options)).not.toThrow();
        } else {
          expect(entry.call(options)).toHaveProperty('ok', now.getTime() === 0);
        }
      }
    },
  );

  it.each(taking('expiresIn').map((entry) => [entry.name, entry] as const))(
    '%s refuses an expiry past the year 9999',
    (_n, entry) => {
      const now = new Date(LATEST - 3_599_000);
      const options = {
        ...entry.base(),
        now,
        credentials: { accessKeyId: 'LTAI5tExample', accessKeySecret: SECRET },
      };
      expect(() => entry.call({ ...options, expiresIn: 3599 })).not.toThrow();
      expectSignError(() => entry.call({ ...options, expiresIn: 3600 }), 'INVALID_EXPIRES', /9999/);
    },
  );

  it('credentials.expiration must be a time, and a past one is refused as such', () => {
    // signRequest signs no expiry, so it has none to check against the credentials'.
    for (const entry of taking('credentials').filter((e) => !e.name.endsWith('signRequest'))) {
      for (const expiration of [
        '+010000-01-01T00:00:00Z',
        '2030-06-02',
        '2030-06-02T00:00:00+08:00',
        new Date(Number.NaN),
        1893456000000,
      ]) {
        expectSignError(
          () => entry.call({ ...entry.base(), credentials: { ...stsCredentials(), expiration } }),
          'INVALID_ARGUMENT',
          /credentials\.expiration/,
        );
      }
      expectSignError(
        () =>
          entry.call({
            ...entry.base(),
            credentials: { ...stsCredentials(), expiration: '0999-01-01T00:00:00Z' },
          }),
        'EXPIRES_AFTER_CREDENTIALS',
      );
    }
  });

  it('computeSignatureV4 takes a signing day that is one, within 1970..9999', () => {
    const options = { accessKeySecret: SECRET, region: 'cn-hangzhou' };
    for (const date of [
      '20241340',
      '20240230',
      '00000101',
      '19691231',
      '2024-01-01',
      '2024010',
      20240101,
      '٢٠٢٤٠١٠١',
    ]) {
      expectSignError(
        () => computeSignatureV4('x', { ...options, date: date as string }),
        'INVALID_ARGUMENT',
        /date/,
      );
    }
    for (const date of ['19700101', '20240229', '99991231']) {
      expect(computeSignatureV4('x', { ...options, date })).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});

describe('an expiresIn that looks like milliseconds (item 16)', () => {
  it.each(taking('expiresIn').map((entry) => [entry.name, entry] as const))(
    '%s caps expiresIn at 7 days with V1 as with V4',
    (_n, entry) => {
      const options = withOverrides(entry.base(), {
        credentials: { accessKeyId: 'LTAI5tExample', accessKeySecret: SECRET },
        additionalHeaders: undefined,
      });
      for (const signatureVersion of ['v1', 'v4']) {
        expect(() => entry.call({ ...options, signatureVersion, expiresIn: 604_800 })).not.toThrow();
        for (const expiresIn of [604_801, 3_600_000, 86_400_000, 1e13]) {
          expectSignError(
            () => entry.call({ ...options, signatureVersion, expiresIn }),
            'INVALID_EXPIRES',
            /milliseconds/,
          );
        }
      }
    },
  );

  it.each(taking('expiresIn').map((entry) => [entry.name, entry] as const))(
    '%s refuses an expiresIn that is not whole seconds',
    (_n, entry) => {
      for (const expiresIn of [
        '3600',
        3600.5,
        0,
        -1,
        Number.NaN,
        Number.POSITIVE_INFINITY,
        3600n,
        null,
        new Date(),
      ]) {
        expectSignError(() => entry.call({ ...entry.base(), expiresIn }), 'INVALID_EXPIRES', /expiresIn/);
      }
    },
  );
});
