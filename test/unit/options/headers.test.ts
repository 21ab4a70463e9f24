/**
 * Issue 9, item 16 for headers: a Content-Type with a wildcard signs a request no client sends (OSS
 * compares the type as text), so it is refused, whether given as `contentType` or as a header, in every
 * function that takes headers.
 */
import { describe, expect, it } from 'vitest';
import { taking, withOverrides } from '../../support/entry-points.js';
import { expectSignError } from '../../support/errors.js';

const WILDCARDS = ['image/*', '*/*', '*', 'image/*; charset=utf-8', ' image/* ', 'IMAGE/*', '*/png'];

describe('a Content-Type with a wildcard (item 16)', () => {
  it.each(taking('headers').map((entry) => [entry.name, entry] as const))(
    '%s refuses it as a header in any case, and as contentType',
    (_name, entry) => {
      for (const type of WILDCARDS) {
        for (const name of ['Content-Type', 'content-type', 'CONTENT-TYPE']) {
          const options = withOverrides(entry.base(), { headers: { [name]: type }, contentType: undefined });
          expectSignError(() => entry.call(options), 'INVALID_HEADER', /wildcard/);
        }
        if (entry.takes.includes('contentType')) {
          const error = expectSignError(
            () => entry.call({ ...entry.base(), contentType: type }),
            'INVALID_HEADER',
            /wildcard/,
          );
          expect(error.message).toContain('contentType');
        }
      }
    },
  );

  it.each(taking('headers').map((entry) => [entry.name, entry] as const))(
    '%s signs exact types',
    (_name, entry) => {
      for (const type of [
        'image/png',
        'text/plain; charset=utf-8',
        'application/octet-stream',
        'multipart/form-data; boundary=*x*',
      ]) {
        const options = withOverrides(entry.base(), {
          headers: { 'Content-Type': type },
          contentType: undefined,
        });
        expect(() => entry.call(options)).not.toThrow();
      }
    },
  );
});
