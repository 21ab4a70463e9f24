/**
 * RAM session policies as the local endpoint enforces them: the grammar, Deny over Allow, and the glob
 * matcher (`*` any run, `?` any one character) against a regular expression built here.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type OssAction, parseRamPolicy, ramAllows } from '../../../src/oss/ram-policy.js';
import { expectSignError } from '../../support/errors.js';

const SEED = 20250803;

/** The reference: a glob as a regular expression over UTF-16 code units (no `u` flag, like the matcher). */
function globRegExp(pattern: string, flags = ''): RegExp {
  const body = pattern.replace(/[.*+?^${}()|[\]\\/]/g, (char) =>
    char === '*' ? '[\\s\\S]*' : char === '?' ? '[\\s\\S]' : `\\${char}`,
  );
  return new RegExp(`^${body}$`, flags);
}

function allow(action: string | string[], resource: string | string[]) {
  return parseRamPolicy(
    { Version: '1', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] },
    'p',
  );
}

const RESOURCE = 'acs:oss:cn-hangzhou:123:bucket/user/7/a.txt';

describe('ramAllows: glob matching', () => {
  const pieces = ['a', 'b', 'ab', '/', ':', '.', '中', '😀', '*', '*', '?', '**', '+', '(', '[', '$', '\\'];
  const patternArb = fc.array(fc.constantFrom(...pieces), { maxLength: 8 }).map((p) => p.join(''));
  // Text from the same alphabet (no wildcards), so that matches are frequent.
  const textArb = fc
    .array(fc.constantFrom('a', 'b', 'ab', '/', ':', '.', '中', '😀', '*', '?', '+', '(', '$'), {
      maxLength: 10,
    })
    .map((p) => p.join(''));

  /** Text the pattern matches (each `*` and `?` filled in), to be tried as is and slightly changed. */
  const instanceArb = (pattern: string) =>
    fc
      .tuple(
        ...[...pattern].map((char) =>
          char === '*' ? textArb : char === '?' ? fc.constantFrom('a', '中', '/') : fc.constant(char),
        ),
      )
      .map((parts) => parts.join(''));

  it('a resource pattern matches exactly what the regular expression matches (case-sensitive)', () => {
    let matched = 0;
    const caseArb = patternArb.filter(Boolean).chain((pattern) =>
      fc.tuple(
        fc.constant(pattern),
        fc.oneof(
          textArb,
          instanceArb(pattern),
          instanceArb(pattern).map((text) => `${text}b`),
          instanceArb(pattern).map((text) => text.slice(1)),
        ),
      ),
    );
    fc.assert(
      fc.property(caseArb, ([pattern, resource]) => {
        const expected = globRegExp(pattern).test(resource);
        expect(ramAllows(allow('oss:PutObject', pattern), 'oss:PutObject', resource)).toBe(expected);
        expect(ramAllows(allow('oss:PutObject', pattern.toUpperCase()), 'oss:PutObject', resource)).toBe(
          globRegExp(pattern.toUpperCase()).test(resource),
        );
        if (expected) matched++;
      }),
      { seed: SEED, numRuns: 1000 },
    );
    expect(matched).toBeGreaterThan(100);
  });

  it('an action pattern matches exactly what the regular expression matches, in any case', () => {
    const actions: OssAction[] = [
      'oss:PutObject',
      'oss:GetObject',
      'oss:DeleteObject',
      'oss:AbortMultipartUpload',
      'oss:ListParts',
    ];
    const actionPatternArb = fc
      .tuple(
        fc.constantFrom(...actions),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 3 }),
      )
      .chain(([action, cuts, wilds]) =>
        fc.mixedCase(fc.constant(action)).map((cased) => {
          let pattern = cased;
          for (const cut of cuts) {
            const at = cut % (pattern.length + 1);
            pattern = `${pattern.slice(0, at)}*${pattern.slice(at + 1)}`;
          }
          for (const wild of wilds) {
            const at = wild % pattern.length;
            pattern = `${pattern.slice(0, at)}?${pattern.slice(at + 1)}`;
          }
          return pattern;
        }),
      );
    fc.assert(
      fc.property(actionPatternArb, fc.constantFrom(...actions), (pattern, action) => {
        expect(ramAllows(allow(pattern, '*'), action, RESOURCE)).toBe(globRegExp(pattern, 'i').test(action));
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('examples', () => {
    const cases: [pattern: string, resource: string, matches: boolean][] = [
      ['*', '', true],
      ['*', RESOURCE, true],
      ['acs:oss:*:*:bucket/user/7/*', RESOURCE, true],
      ['acs:oss:*:*:bucket/user/7/*', 'acs:oss:cn-hangzhou:123:bucket/user/70/a.txt', false],
      ['acs:oss:*:*:bucket/user/?/a.txt', RESOURCE, true],
      ['acs:oss:*:*:bucket/user/?/a.txt', 'acs:oss:cn-hangzhou:123:bucket/user/77/a.txt', false],
      ['acs:oss:*:*:bucket/user/7/a.tx', RESOURCE, false],
      ['acs:oss:*:*:Bucket/*', RESOURCE, false],
      ['acs:oss:*:*:bucket/user/7/a.txt*', RESOURCE, true],
      ['a*b*c', 'abc', true],
      ['a*b*c', 'acb', false],
      ['a.c', 'abc', false],
      // A `*` in the text is still matched by a wildcard `*` (object keys may hold one).
      ['a*b', 'a*c*b', true],
      ['bucket/*/x', 'bucket/*y/x', true],
    ];
    for (const [pattern, resource, matches] of cases) {
      expect(
        ramAllows(allow('oss:PutObject', pattern), 'oss:PutObject', resource),
        `${pattern} ~ ${resource}`,
      ).toBe(matches);
    }
  });

  it('finishes quickly on a pattern that makes a backtracking matcher explode', () => {
    const hostile = allow('oss:PutObject', '*a'.repeat(50));
    const resource = `${'a'.repeat(5000)}b`;
    const started = performance.now();
    expect(ramAllows(hostile, 'oss:PutObject', resource)).toBe(false);
    expect(ramAllows(allow('oss:PutObject', `${'*a'.repeat(50)}*`), 'oss:PutObject', resource)).toBe(true);
    // Generous: the two-pointer matcher takes about a millisecond; a backtracking one would take years.
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('ramAllows: statements', () => {
  const policy = parseRamPolicy(
    {
      Version: '1',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['oss:PutObject', 'oss:GetObject'],
          Resource: 'acs:oss:*:*:bucket/user/*',
        },
        { Effect: 'Deny', Action: 'oss:Put*', Resource: ['acs:oss:*:*:bucket/user/admin/*'] },
        { Effect: 'Allow', Action: 'oss:ListParts', Resource: 'acs:oss:*:*:bucket/*', Condition: {} },
      ],
    },
    'policy',
  );

  it('allows what an Allow matches, unless a Deny matches too', () => {
    expect(ramAllows(policy, 'oss:PutObject', 'acs:oss:r:1:bucket/user/7/a')).toBe(true);
    expect(ramAllows(policy, 'oss:GetObject', 'acs:oss:r:1:bucket/user/admin/a')).toBe(true);
    expect(ramAllows(policy, 'oss:PutObject', 'acs:oss:r:1:bucket/user/admin/a')).toBe(false);
    expect(ramAllows(policy, 'oss:DeleteObject', 'acs:oss:r:1:bucket/user/7/a')).toBe(false);
    expect(ramAllows(policy, 'oss:PutObject', 'acs:oss:r:1:other/user/7/a')).toBe(false);
    expect(ramAllows(policy, 'oss:ListParts', 'acs:oss:r:1:bucket/x')).toBe(true);
  });

  it('keeps the members it does not evaluate, so that callers can say so', () => {
    expect(policy.statements.map((s) => s.otherMembers)).toEqual([[], [], ['Condition']]);
  });
});

describe('parseRamPolicy: the grammar', () => {
  it.each<[string, unknown]>([
    ['not an object', 'policy'],
    ['an array', []],
    ['no Statement', { Version: '1' }],
    ['Version 2', { Version: '2', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }],
    ['a number Version', { Version: 1, Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }],
    ['an empty Statement', { Version: '1', Statement: [] }],
    ['a Statement object', { Version: '1', Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }],
    ['Effect allow', { Version: '1', Statement: [{ Effect: 'allow', Action: '*', Resource: '*' }] }],
    ['no Action', { Version: '1', Statement: [{ Effect: 'Allow', Resource: '*' }] }],
    ['an empty Action', { Version: '1', Statement: [{ Effect: 'Allow', Action: [], Resource: '*' }] }],
    ['an empty Resource', { Version: '1', Statement: [{ Effect: 'Allow', Action: '*', Resource: '' }] }],
    ['a number Resource', { Version: '1', Statement: [{ Effect: 'Allow', Action: '*', Resource: [1] }] }],
    ['a null statement', { Version: '1', Statement: [null] }],
    [
      'an inherited Statement',
      Object.create({ Version: '1', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
    ],
  ])('refuses %s', (_case, document) => {
    expectSignError(() => parseRamPolicy(document, 'policy'), 'INVALID_POLICY', /^policy/);
  });

  it('takes strings or lists of strings', () => {
    const parsed = parseRamPolicy(
      { Version: '1', Statement: [{ Effect: 'Deny', Action: 'oss:*', Resource: ['a', 'b'] }] },
      'p',
    );
    expect(parsed.statements).toEqual([
      { effect: 'Deny', actions: ['oss:*'], resources: ['a', 'b'], otherMembers: [] },
    ]);
  });
});
