// How OSS fills a callback body template, by body type (expected bodies written out by hand from the
// OSS API reference: form values URL-encoded; JSON strings quoted, numbers bare, missing values as OSS
// writes them).
import { describe, expect, it } from 'vitest';
import { fillBodyTemplate } from '../../../src/oss/callback.js';

const values: Record<string, string | undefined> = {
  bucket: 'bkt',
  object: 'a b/中 "q".png',
  size: '5',
  crc64: '18446744073709551615',
  'x:uid': '4&2=',
};
const variable = (name: string) => values[name];

describe('fillBodyTemplate', () => {
  it('form: each value URL-encoded, a missing one empty, the rest of the template as written', () => {
    expect(
      fillBodyTemplate(
        'b=${bucket}&o=${object}&s=${size}&w=${imageInfo.width}&u=${x:uid}&m=${x:missing}&$ {x}',
        'application/x-www-form-urlencoded',
        variable,
      ),
    ).toBe('b=bkt&o=a%20b%2F%E4%B8%AD%20%22q%22.png&s=5&w=&u=4%262%3D&m=&$ {x}');
  });

  it('JSON: strings quoted and escaped, numbers bare; a missing string null, a missing number nothing', () => {
    expect(
      fillBodyTemplate(
        '{"o":${object},"s":${size},"c":${crc64},"h":${imageInfo.height},"f":${imageInfo.format},"u":${x:uid},"m":${x:missing}}',
        'application/json',
        variable,
      ),
    ).toBe('{"o":"a b/中 \\"q\\".png","s":5,"c":18446744073709551615,"h":,"f":null,"u":"4&2=","m":null}');
  });

  it('a template without variables is the body', () => {
    expect(fillBodyTemplate('constant', 'application/json', variable)).toBe('constant');
  });
});
