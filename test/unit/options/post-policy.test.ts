/**
 * Issue 9, items 12 and 16 for POST policies: a form its own policy refuses is an error when the policy is
 * created, and so is a content type with a wildcard (OSS compares types as text). Every case goes through
 * createPostPolicy and the bound signer's createPostPolicy; where a policy is created, checkPostPolicy
 * confirms that its own form passes.
 */
import { describe, expect, it } from 'vitest';
import { checkPostPolicy, OssSignError, type PolicyCondition } from '../../../src/index.js';
import { NOW, type Options, SIGNING_ENTRY_POINTS } from '../../support/entry-points.js';
import { expectSignError, thrownBy } from '../../support/errors.js';

const POLICY_MAKERS = SIGNING_ENTRY_POINTS.filter((entry) => entry.takes.includes('contentLengthRange'));
const each = POLICY_MAKERS.map((entry) => [entry.name, entry] as const);

/** Minimal options: a key and a size limit, no other field. */
function minimal(overrides: Options): Options {
  return {
    bucket: 'examplebucket',
    region: 'cn-hangzhou',
    credentials: { accessKeyId: 'LTAI5tExampleKeyId', accessKeySecret: 'secret-value-0123456789' },
    key: 'user/7/a.png',
    contentLengthRange: [0, 100],
    now: NOW,
    ...overrides,
  };
}

interface PolicyResult {
  fields: Record<string, string>;
  policy: { expiration: string; conditions: PolicyCondition[] };
}

/** The form as returned, with a file of `size` bytes, passes the policy it came with. */
function expectOwnFormPasses(result: PolicyResult, size = 50): void {
  const verdict = checkPostPolicy(result.policy, result.fields, {
    bucket: 'examplebucket',
    fileSize: size,
    fileName: 'a.png',
    fileType: 'image/png',
    now: NOW,
  });
  expect(verdict).toEqual({ ok: true, violations: [] });
}

describe('a form its own policy would refuse is refused at creation (item 12)', () => {
  it.each(each)(
    '%s: a field named twice, in any case or through metadata, with different values',
    (_n, entry) => {
      const refused: Options[] = [
        { fields: { 'x-oss-meta-owner': 'bob' }, metadata: { owner: 'alice' } },
        { fields: { 'X-OSS-Meta-Owner': 'bob' }, metadata: { owner: 'alice' } },
        { fields: { 'X-Custom': 'a', 'x-custom': 'b' } },
        { metadata: { Owner: 'a', owner: 'b' } },
        { fields: { 'Cache-Control': 'no-cache', 'cache-control': 'no-store' } },
      ];
      for (const overrides of refused) {
        expectSignError(() => entry.call(minimal(overrides)), 'INVALID_POLICY', /already sets/);
      }
      // The same value twice is one field, which the policy pins once.
      const same = entry.call(
        minimal({ fields: { 'x-oss-meta-owner': 'alice' }, metadata: { owner: 'alice' } }),
      ) as PolicyResult;
      expect(
        Object.keys(same.fields).filter((name) => name.toLowerCase() === 'x-oss-meta-owner'),
      ).toHaveLength(1);
      expectOwnFormPasses(same);
    },
  );

  it.each(each)('%s: a field the function writes itself, in any case', (_n, entry) => {
    for (const name of [
      'key',
      'KEY',
      'Content-Type',
      'content-type',
      'policy',
      'Signature',
      'OSSAccessKeyId',
      'x-oss-signature',
      'X-OSS-Credential',
      'x-oss-date',
      'x-oss-signature-version',
      'x-oss-security-token',
      'success_action_status',
      'success_action_redirect',
      'callback',
      'file',
      '__proto__',
    ]) {
      const fields = JSON.parse(JSON.stringify({ [name]: 'x' }));
      expectSignError(() => entry.call(minimal({ fields })), 'INVALID_POLICY', /fields has field/);
    }
  });

  it.each(each)('%s: a field name that is not an HTTP token', (_n, entry) => {
    for (const name of ['', 'a b', 'é', 'a:b', 'a\r\nb', '"a"']) {
      expectSignError(
        () => entry.call(minimal({ fields: { [name]: 'x' } })),
        'INVALID_POLICY',
        /fields has field/,
      );
      expectSignError(
        () => entry.call(minimal({ metadata: { [name]: 'x' } })),
        'INVALID_POLICY',
        /metadata has field/,
      );
    }
  });

  it.each(each)('%s: a raw condition that contradicts what the function pins', (_n, entry) => {
    const contradictions: [string, Options][] = [
      ['an eq on a field', { fields: { tag: 'x' }, conditions: [['eq', '$tag', 'y']] }],
      ['an object condition on a field', { fields: { tag: 'x' }, conditions: [{ tag: 'y' }] }],
      ['a starts-with on a field', { fields: { tag: 'x' }, conditions: [['starts-with', '$Tag', 'y']] }],
      ['a starts-with on the key', { conditions: [['starts-with', '$key', 'other/']] }],
      ['an eq on the key', { conditions: [['eq', '$key', 'user/7/b.png']] }],
      [
        'an in on the content type',
        { contentType: 'image/png', conditions: [['in', '$content-type', ['text/plain']]] },
      ],
      [
        'a not-in on metadata',
        { metadata: { owner: 'alice' }, conditions: [['not-in', '$x-oss-meta-owner', ['alice']]] },
      ],
      ['an eq on the status', { successActionStatus: 201, conditions: [{ success_action_status: '200' }] }],
      ['another bucket', { conditions: [{ bucket: 'otherbucket' }] }],
      ['another bucket by eq', { conditions: [['eq', '$bucket', 'otherbucket']] }],
      ['another V4 date', { conditions: [{ 'x-oss-date': '20300601T000000Z' }] }],
      [
        'a disjoint size range',
        { contentLengthRange: [0, 10], conditions: [['content-length-range', 20, 30]] },
      ],
      [
        'two disjoint raw ranges',
        {
          contentLengthRange: undefined,
          conditions: [
            ['content-length-range', 0, 1],
            ['content-length-range', 2, 3],
          ],
        },
      ],
    ];
    const accepted: string[] = [];
    for (const [what, overrides] of contradictions) {
      const options = minimal(overrides);
      if ('contentLengthRange' in overrides && overrides.contentLengthRange === undefined)
        delete options.contentLengthRange;
      const error = thrownBy(() => entry.call(options));
      if (!(error instanceof OssSignError && error.code === 'INVALID_POLICY'))
        accepted.push(`${what}: ${String(error)}`);
    }
    expect(accepted).toEqual([]);
  });

  it.each(each)('%s: raw conditions that agree with the form are kept', (_n, entry) => {
    const agreements: Options[] = [
      { fields: { tag: 'x' }, conditions: [['eq', '$tag', 'x']] },
      {
        fields: { tag: 'xy' },
        conditions: [
          ['starts-with', '$tag', 'x'],
          ['in', '$tag', ['xy', 'z']],
        ],
      },
      { conditions: [['starts-with', '$key', 'user/']] },
      { key: undefined, keyPrefix: 'user/7/', conditions: [['starts-with', '$key', 'user/']] },
      { contentType: 'image/png', conditions: [['not-in', '$content-type', ['text/html']]] },
      // Conditions on fields the returned form leaves to the browser are the browser's to meet.
      {
        conditions: [
          ['in', '$content-type', ['image/png']],
          ['eq', '$x-oss-meta-extra', 'v'],
        ],
      },
      { contentType: ['image/png', 'image/jpeg'] },
      { contentLengthRange: [0, 100], conditions: [['content-length-range', 50, 200]] },
      { conditions: [{ bucket: 'examplebucket' }] },
    ];
    for (const overrides of agreements) {
      const options = minimal(overrides);
      if (overrides.key === undefined && 'key' in overrides) delete options.key;
      const result = entry.call(options) as PolicyResult;
      expect(result.policy.conditions.length).toBeGreaterThan(3);
      if (overrides.conditions?.toString().includes('x-oss-meta-extra')) continue;
      expectOwnFormPasses(result);
    }
  });
});

describe('a content type with a wildcard is refused (item 16)', () => {
  const WILDCARDS = ['image/*', '*/*', '*', 'image/*; charset=utf-8', ' image/* ', 'IMAGE/*', '*/png'];

  it.each(each)('%s: as contentType, in a list, or as a prefix, or in a raw condition', (_n, entry) => {
    const accepted: string[] = [];
    const refuse = (what: string, overrides: Options) => {
      const error = thrownBy(() => entry.call(minimal(overrides)));
      if (
        !(error instanceof OssSignError && error.code === 'INVALID_POLICY' && /wildcard/.test(error.message))
      ) {
        accepted.push(`${what}: ${String(error)}`);
      }
    };
    for (const type of WILDCARDS) {
      refuse(`contentType ${type}`, { contentType: type });
      refuse(`contentType [.., ${type}]`, { contentType: ['image/png', type] });
      refuse(`eq ${type}`, { conditions: [['eq', '$content-type', type]] });
      refuse(`in [.., ${type}]`, { conditions: [['in', '$Content-Type', ['image/png', type]]] });
      refuse(`{ content-type: ${type} }`, { conditions: [{ 'content-type': type }] });
    }
    refuse('startsWith image/*', { contentType: { startsWith: 'image/*' } });
    refuse('starts-with image/*', { conditions: [['starts-with', '$content-type', 'image/*']] });
    expect(accepted).toEqual([]);
    const error = expectSignError(() => entry.call(minimal({ contentType: 'image/*' })), 'INVALID_POLICY');
    expect(error.message).toContain('{ startsWith: "image/" }');
  });

  it.each(each)('%s: exact types and prefixes are fine', (_n, entry) => {
    for (const contentType of ['image/png', ['image/png', 'image/jpeg'], { startsWith: 'image/' }]) {
      expectOwnFormPasses(entry.call(minimal({ contentType })) as PolicyResult);
    }
  });
});
