import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OssSignError } from '../../../src/errors.js';
import type { RamPolicy } from '../../../src/sts/types.js';
import { createUploadPolicy } from '../../../src/sts/upload-policy.js';

/** RAM matching: `*` is any run of characters, `?` any one character, everything else literal. */
function ramMatches(pattern: string, value: string): boolean {
  const source = [...pattern]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'su').test(value);
}

/** ARNs are matched segment by segment: acs:service:region:account:resource (the resource may hold ':'). */
function arnMatches(pattern: string, arn: string): boolean {
  const segments = (text: string) => {
    const parts = text.split(':');
    return [...parts.slice(0, 4), parts.slice(4).join(':')];
  };
  const want = segments(pattern);
  return segments(arn).every((segment, i) => ramMatches(want[i] ?? '', segment));
}

/** Whether the policy allows `action` on `bucket/key` (Allow statements only, as this builder writes). */
function allows(policy: RamPolicy, action: string, bucket: string, key: string): boolean {
  const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);
  return policy.Statement.some(
    (s) =>
      s.Effect === 'Allow' &&
      list(s.Action).some((a) => ramMatches(a, action)) &&
      list(s.Resource).some((r) => arnMatches(r, `acs:oss:cn-hangzhou:1234567890123456:${bucket}/${key}`)),
  );
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof OssSignError) return error.code;
    throw error;
  }
  return undefined;
}

// A hole at index 0: every() and map() would skip it.
const sparseActions: unknown[] = [];
sparseActions[1] = 'oss:PutObject';
const circularActions: unknown[] = ['oss:PutObject'];
circularActions.push(circularActions);

describe('createUploadPolicy', () => {
  it('writes the documented policy: acs:oss:*:*:{bucket}/{prefix}* with the upload actions', () => {
    expect(createUploadPolicy({ bucket: 'photos', prefix: 'users/42/' })).toEqual({
      Version: '1',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['oss:PutObject', 'oss:AbortMultipartUpload', 'oss:ListParts'],
          Resource: ['acs:oss:*:*:photos/users/42/*'],
        },
      ],
    });
  });

  it('takes other actions when asked', () => {
    const policy = createUploadPolicy({ bucket: 'photos', prefix: 'p/', actions: ['oss:GetObject'] });
    expect(allows(policy, 'oss:GetObject', 'photos', 'p/a.jpg')).toBe(true);
    expect(allows(policy, 'oss:PutObject', 'photos', 'p/a.jpg')).toBe(false);
  });

  it('allows the upload actions under the prefix and nothing elsewhere', () => {
    const segment = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
      .filter((s) => !/[*?/\\]/.test(s));
    fc.assert(
      fc.property(
        fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => `${parts.join('/')}/`),
        fc.string({ unit: 'grapheme', maxLength: 20 }),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
        (prefix, rest, other) => {
          const policy = createUploadPolicy({ bucket: 'photos', prefix });
          for (const action of ['oss:PutObject', 'oss:AbortMultipartUpload', 'oss:ListParts']) {
            expect(allows(policy, action, 'photos', prefix + rest)).toBe(true);
          }
          expect(allows(policy, 'oss:GetObject', 'photos', prefix + rest)).toBe(false);
          expect(allows(policy, 'oss:DeleteObject', 'photos', prefix + rest)).toBe(false);
          expect(allows(policy, 'oss:PutObject', 'photos2', prefix + rest)).toBe(false);
          if (!(other + rest).startsWith(prefix)) {
            expect(allows(policy, 'oss:PutObject', 'photos', other + rest)).toBe(false);
          }
        },
      ),
    );
  });

  it.each<[string, unknown, string]>([
    ['an empty bucket', { bucket: '', prefix: 'p/' }, 'INVALID_BUCKET'],
    ['a bucket with capitals', { bucket: 'Photos', prefix: 'p/' }, 'INVALID_BUCKET'],
    ['a prefix with *', { bucket: 'photos', prefix: 'users/*/' }, 'INVALID_KEY'],
    ['a prefix with ?', { bucket: 'photos', prefix: 'users/?/' }, 'INVALID_KEY'],
    ['an empty prefix', { bucket: 'photos', prefix: '' }, 'INVALID_KEY'],
    ['a prefix starting with /', { bucket: 'photos', prefix: '/users/' }, 'INVALID_KEY'],
    ['a prefix with a lone surrogate', { bucket: 'photos', prefix: 'a\uD800/' }, 'INVALID_KEY'],
    ['no actions', { bucket: 'photos', prefix: 'p/', actions: [] }, 'INVALID_ARGUMENT'],
    [
      'an action of another service',
      { bucket: 'photos', prefix: 'p/', actions: ['ecs:RunInstances'] },
      'INVALID_ARGUMENT',
    ],
    [
      'a policy over 2048 characters',
      { bucket: 'photos', prefix: 'p/', actions: Array(200).fill('oss:PutObject') },
      'INVALID_POLICY',
    ],
    [
      'a prefix whose JSON escaping passes 2048 characters',
      { bucket: 'photos', prefix: '"'.repeat(1020) },
      'INVALID_POLICY',
    ],
    ['no options', undefined, 'INVALID_ARGUMENT'],
    ['null options', null, 'INVALID_ARGUMENT'],
    ['a BigInt bucket', { bucket: 10n, prefix: 'p/' }, 'INVALID_BUCKET'],
    ['a null-prototype bucket', { bucket: Object.create(null), prefix: 'p/' }, 'INVALID_BUCKET'],
    ['a null-prototype prefix', { bucket: 'photos', prefix: Object.create(null) }, 'INVALID_KEY'],
    ['a symbol prefix', { bucket: 'photos', prefix: Symbol('p') }, 'INVALID_KEY'],
    [
      'actions holding a BigInt',
      { bucket: 'photos', prefix: 'p/', actions: ['oss:PutObject', 1n] },
      'INVALID_ARGUMENT',
    ],
    ['actions with a hole', { bucket: 'photos', prefix: 'p/', actions: sparseActions }, 'INVALID_ARGUMENT'],
    [
      'actions holding null-prototype objects',
      { bucket: 'photos', prefix: 'p/', actions: [Object.create(null)] },
      'INVALID_ARGUMENT',
    ],
    ['circular actions', { bucket: 'photos', prefix: 'p/', actions: circularActions }, 'INVALID_ARGUMENT'],
    [
      'actions that are a string',
      { bucket: 'photos', prefix: 'p/', actions: 'oss:PutObject' },
      'INVALID_ARGUMENT',
    ],
    [
      'a huge sparse actions array',
      { bucket: 'photos', prefix: 'p/', actions: new Array(2 ** 31) },
      'INVALID_POLICY',
    ],
    ['a function as options', () => ({ bucket: 'photos', prefix: 'p/' }), 'INVALID_ARGUMENT'],
    ['an inherited bucket and prefix', Object.create({ bucket: 'photos', prefix: 'p/' }), 'INVALID_BUCKET'],
  ])('rejects %s', (_, options, code) => {
    expect(codeOf(() => createUploadPolicy(options as never))).toBe(code);
  });

  it('takes null-prototype options and explicit undefined actions', () => {
    const options = Object.assign(Object.create(null), {
      bucket: 'photos',
      prefix: 'p/',
      actions: undefined,
    });
    expect(createUploadPolicy(options)).toEqual(createUploadPolicy({ bucket: 'photos', prefix: 'p/' }));
  });

  it("copies actions, reading each once, and wraps the caller's own getter's exception as its cause", () => {
    let reads = 0;
    const actions = ['oss:PutObject'];
    Object.defineProperty(actions, 0, {
      enumerable: true,
      get: () => {
        reads++;
        return 'oss:PutObject';
      },
    });
    const policy = createUploadPolicy({ bucket: 'photos', prefix: 'p/', actions });
    expect(reads).toBe(1);
    expect(policy.Statement[0]?.Action).toEqual(['oss:PutObject']);
    expect(Object.getOwnPropertyDescriptor(policy.Statement[0]?.Action, 0)?.get).toBeUndefined();
    const own = new Error('getter of the caller');
    const failing = {
      bucket: 'photos',
      get prefix(): string {
        throw own;
      },
    };
    let thrown: unknown;
    try {
      createUploadPolicy(failing);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'INVALID_ARGUMENT', cause: own });
  });

  it('never throws anything but OssSignError for any input shape', () => {
    const anything = fc.anything({
      withBigInt: true,
      withNullPrototype: true,
      withObjectString: true,
      withMap: true,
      withSet: true,
      withTypedArray: true,
      withSparseArray: true,
    });
    fc.assert(
      fc.property(anything, anything, anything, (bucket, prefix, actions) => {
        try {
          createUploadPolicy({ bucket, prefix, actions } as never);
        } catch (error) {
          expect(error).toBeInstanceOf(OssSignError);
        }
      }),
    );
  });
});
