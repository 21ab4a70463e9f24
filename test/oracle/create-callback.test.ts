// ali-oss as an oracle for createCallback: where both accept the input (a URL without '%', '#' or ';',
// which ali-oss would re-encode or OSS would split), both write the same callback and callback-var.
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CallbackOptions, createCallback } from '../../src/index.js';

const require = createRequire(import.meta.url);

interface AliCallback {
  url: string;
  body: string;
  host?: string;
  contentType?: string;
  callbackSNI?: boolean;
  customValue?: Record<string, string>;
}

/** ali-oss/lib/common/callback.js: sets x-oss-callback(-var) on the request it is given. */
const { encodeCallback } = require('ali-oss/lib/common/callback.js') as {
  encodeCallback(request: { headers?: Record<string, string> }, options: { callback: AliCallback }): void;
};

function aliOss(callback: AliCallback): { callback?: string; callbackVar?: string } {
  const request: { headers?: Record<string, string> } = {};
  encodeCallback(request, { callback });
  return {
    callback: request.headers?.['x-oss-callback'],
    callbackVar: request.headers?.['x-oss-callback-var'],
  };
}

const decode = (base64: string | undefined) =>
  base64 === undefined ? undefined : JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));

const pathText = fc
  .oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.string({ maxLength: 12 }))
  .filter((text) => !/[%#;]/.test(text));
const host = fc.constantFrom('app.example.com', '203.0.113.7:8080', 'cb-1.example.org:443');
const variable = fc.constantFrom(
  '${bucket}',
  '${object}',
  '${size}',
  '${mimeType}',
  '${x:uid}',
  '${imageInfo.width}',
);
const constant = fc.string({ unit: 'grapheme', maxLength: 10 }).filter((text) => !text.includes('$'));
const name = fc.stringMatching(/^[a-z0-9_]{1,10}$/);

describe('createCallback agrees with ali-oss (fast-check)', () => {
  it('same callback and callback-var JSON', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('http', 'https'),
        host,
        pathText,
        fc.array(fc.oneof(variable, constant), { minLength: 1, maxLength: 6 }),
        fc.option(
          fc.constantFrom('application/x-www-form-urlencoded', 'application/json') as fc.Arbitrary<
            CallbackOptions['bodyType']
          >,
          { nil: undefined },
        ),
        fc.option(host, { nil: undefined }),
        fc.option(fc.constant(true), { nil: undefined }),
        fc.dictionary(name, fc.string({ unit: 'grapheme', maxLength: 10 }), { maxKeys: 3 }),
        (scheme, authority, path, parts, bodyType, callbackHost, sni, vars) => {
          const url = `${scheme}://${authority}/${path}`;
          const body = parts.join('') || 'x';
          const ours = createCallback({ url, body, bodyType, host: callbackHost, sni, vars });
          const theirs = aliOss({
            url,
            body,
            ...(callbackHost !== undefined && { host: callbackHost }),
            ...(bodyType !== undefined && { contentType: bodyType }),
            ...(sni !== undefined && { callbackSNI: sni }),
            ...(Object.keys(vars).length > 0 && { customValue: vars }),
          });
          expect(decode(ours.callback)).toEqual(decode(theirs.callback));
          expect(decode(ours.callbackVar)).toEqual(decode(theirs.callbackVar));
        },
      ),
      { numRuns: 400 },
    );
  });
});
