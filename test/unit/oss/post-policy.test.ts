/**
 * The POST policy rules shared by checkPostPolicy and the local endpoint: the grammar OSS reads
 * (parsePolicy, parseCondition) and the evaluator (evaluatePolicy) with its kinds of refusal, which
 * decide the error the local endpoint answers with.
 */
import { describe, expect, it } from 'vitest';
import { evaluatePolicy, keyToStore, type PostForm } from '../../../src/oss/post-policy/evaluate.js';
import { parseCondition, parsePolicy, pinnedFields } from '../../../src/oss/post-policy/parse.js';
import { expectSignError } from '../../support/errors.js';

describe('parseCondition: the shapes OSS reads', () => {
  it.each<[string, unknown, unknown]>([
    ['{ field: value }', { 'Content-Type': 'a' }, { operator: 'eq', field: 'content-type', value: 'a' }],
    ['eq', ['eq', '$Key', 'a'], { operator: 'eq', field: 'key', value: 'a' }],
    ['starts-with ""', ['starts-with', '$key', ''], { operator: 'starts-with', field: 'key', value: '' }],
    [
      'in',
      ['in', '$content-type', ['a', 'b']],
      { operator: 'in', field: 'content-type', values: ['a', 'b'] },
    ],
    ['not-in []', ['not-in', '$x-oss-meta-a', []], { operator: 'not-in', field: 'x-oss-meta-a', values: [] }],
    [
      'content-length-range',
      ['content-length-range', 0, 5],
      { operator: 'content-length-range', min: 0, max: 5 },
    ],
    ['digits', ['content-length-range', '1', '0010'], { operator: 'content-length-range', min: 1, max: 10 }],
    ['min = max', ['content-length-range', 7, 7], { operator: 'content-length-range', min: 7, max: 7 }],
    [
      'the largest safe count',
      ['content-length-range', 0, Number.MAX_SAFE_INTEGER],
      { operator: 'content-length-range', min: 0, max: Number.MAX_SAFE_INTEGER },
    ],
    [
      'a field named __proto__',
      JSON.parse('{"__proto__":"x"}'),
      { operator: 'eq', field: '__proto__', value: 'x' },
    ],
  ])('reads %s', (_shape, condition, parsed) => {
    expect(parseCondition(condition)).toEqual(parsed);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'eq'],
    ['a number', 1],
    ['an empty object', {}],
    ['two fields in one object', { a: 'x', b: 'y' }],
    ['a number value', { a: 1 }],
    ['two items', ['eq', '$key']],
    ['four items', ['eq', '$key', 'a', 'b']],
    ['an upper-case operator', ['EQ', '$key', 'a']],
    ['an unknown operator', ['ends-with', '$key', 'a']],
    ['a field without $', ['eq', 'key', 'a']],
    ['a lone $', ['eq', '$', 'a']],
    ['a number field', ['eq', 1, 'a']],
    ['eq with a list', ['eq', '$key', ['a']]],
    ['in with a string', ['in', '$key', 'a']],
    ['in with a number', ['in', '$key', ['a', 1]]],
    ['max < min', ['content-length-range', 5, 4]],
    ['a negative size', ['content-length-range', -1, 4]],
    ['a fraction', ['content-length-range', 0, 1.5]],
    ['an exponent', ['content-length-range', 0, '1e3']],
    ['a signed string', ['content-length-range', '+1', '2']],
    ['17 digits', ['content-length-range', 0, '12345678901234567']],
    ['an unsafe integer', ['content-length-range', 0, 2 ** 53]],
    ['a BigInt', ['content-length-range', 0, 10n]],
    ['Infinity', ['content-length-range', 0, Number.POSITIVE_INFINITY]],
  ])('refuses %s', (_shape, condition) => {
    expectSignError(() => parseCondition(condition), 'INVALID_POLICY', /^conditions has /);
  });
});

describe('parsePolicy: the document', () => {
  const conditions = [['eq', '$key', 'a']];

  it('reads the JSON text or the document, expiration in ISO 8601 UTC', () => {
    for (const expiration of ['2030-01-01T00:00:00.000Z', '2030-01-01T00:00:00Z', '2030-01-01T00:00:00.5Z']) {
      const parsed = parsePolicy(JSON.stringify({ expiration, conditions }));
      expect(parsed.expiresAt).toBe(Date.parse(expiration));
      expect(parsePolicy({ expiration, conditions } as never)).toEqual(parsed);
    }
    // Each condition is kept next to the JSON it came from.
    expect(parsePolicy({ expiration: '2030-01-01T00:00:00Z', conditions } as never).conditions).toEqual([
      { parsed: { operator: 'eq', field: 'key', value: 'a' }, source: ['eq', '$key', 'a'] },
    ]);
  });

  it.each<[string, unknown]>([
    ['not JSON', '{'],
    ['JSON null', 'null'],
    ['a JSON array', '[]'],
    ['a JSON string', '"x"'],
    ['no expiration', JSON.stringify({ conditions })],
    ['a local time', JSON.stringify({ expiration: '2030-01-01T00:00:00', conditions })],
    ['an offset', JSON.stringify({ expiration: '2030-01-01T08:00:00+08:00', conditions })],
    ['a date alone', JSON.stringify({ expiration: '2030-01-01', conditions })],
    ['month 13', JSON.stringify({ expiration: '2030-13-01T00:00:00Z', conditions })],
    ['a number expiration', JSON.stringify({ expiration: 1893456000000, conditions })],
    ['no conditions', JSON.stringify({ expiration: '2030-01-01T00:00:00Z' })],
    ['conditions an object', JSON.stringify({ expiration: '2030-01-01T00:00:00Z', conditions: {} })],
    ['a bad condition', JSON.stringify({ expiration: '2030-01-01T00:00:00Z', conditions: [['eq']] })],
    ['inherited members', Object.create({ expiration: '2030-01-01T00:00:00Z', conditions: [] })],
  ])('refuses %s', (_shape, policy) => {
    expectSignError(() => parsePolicy(policy as never), 'INVALID_POLICY', /policy|conditions/);
  });

  it('pinnedFields lists the exact conditions, by field, in either shape', () => {
    const parsed = parsePolicy({
      expiration: '2030-01-01T00:00:00Z',
      conditions: [
        { 'X-OSS-Date': 'd' },
        ['eq', '$key', 'k'],
        ['starts-with', '$a', 'b'],
        ['in', '$c', ['d']],
      ],
    } as never);
    expect([...pinnedFields(parsed)]).toEqual([
      ['x-oss-date', 'd'],
      ['key', 'k'],
    ]);
  });
});

describe('evaluatePolicy: what OSS would refuse, by kind', () => {
  const NOW = Date.parse('2030-01-01T00:00:00Z');
  const policy = (...conditions: unknown[]) =>
    parsePolicy({ expiration: '2030-01-01T00:00:00Z', conditions } as never);
  const form = (fields: Record<string, string>, file: Partial<PostForm['file']> = {}): PostForm => ({
    fields: new Map(Object.entries(fields)),
    bucket: 'examplebucket',
    file: { name: 'a.txt', ...file },
  });

  it('names each kind of refusal, in the order OSS checks', () => {
    const violations = evaluatePolicy(
      policy(['content-length-range', 2, 3], ['content-length-range', 0, 0], ['eq', '$x-oss-meta-a', 'b'], {
        bucket: 'otherbucket',
      }),
      form({ 'x-oss-signature-version': 'OSS4-HMAC-SHA256' }, { size: 1 }),
      NOW + 1,
    );
    expect(violations.map((v) => [v.kind, v.field])).toEqual([
      ['expired', undefined],
      ['missing-key', 'key'],
      ['too-small', undefined],
      ['too-large', undefined],
      ['condition', 'x-oss-meta-a'],
      ['condition', 'bucket'],
      ['missing-v4-pin', 'x-oss-signature-version'],
      ['missing-v4-pin', 'x-oss-credential'],
      ['missing-v4-pin', 'x-oss-date'],
    ]);
  });

  it('holds for a form that meets every condition', () => {
    const conditions = [
      ['content-length-range', 1, 3],
      ['starts-with', '$key', 'u/'],
      ['in', '$content-type', ['image/png']],
      ['not-in', '$cache-control', ['no-store']],
      { bucket: 'examplebucket' },
    ];
    expect(
      evaluatePolicy(
        policy(...conditions),
        form({ key: 'u/${filename}' }, { size: 3, type: 'image/png' }),
        NOW,
      ),
    ).toEqual([]);
  });

  it('checks a key holding ${filename} as sent and as stored', () => {
    const deny = policy(['not-in', '$key', ['secret.txt']]);
    expect(evaluatePolicy(deny, form({ key: '${filename}' }, { name: 'secret.txt' }), NOW)).toHaveLength(1);
    expect(evaluatePolicy(deny, form({ key: '${filename}' }, { name: 'x\\y/secret.txt' }), NOW)).toHaveLength(
      1,
    );
    expect(evaluatePolicy(deny, form({ key: '${filename}' }, { name: 'public.txt' }), NOW)).toEqual([]);
    expect(
      evaluatePolicy(policy(), form({ key: '${filename}' }, { name: '' }), NOW).map((v) => v.kind),
    ).toEqual(['invalid-key']);
  });

  it('keyToStore puts the base name of the file in place of every ${filename}', () => {
    expect(keyToStore('u/${filename}', 'C:\\a\\b.png')).toBe('u/b.png');
    expect(keyToStore('${filename}/${filename}', '../x')).toBe('x/x');
    expect(keyToStore('u/file', 'x')).toBe('u/file');
    expect(keyToStore('u/${filename}', 'dir/')).toBe('u/');
  });
});
