import { describe, expect, test } from 'vitest';
import { evaluatePolicy, keyToStore, storedKeyLength } from '../../../src/oss/post-policy/evaluate.js';
import { parsePolicy } from '../../../src/oss/post-policy/parse.js';

describe('keyToStore', () => {
  test("takes the file name literally: $&, $` and $' are not replacement patterns", () => {
    expect(keyToStore('u/${filename}', '$&')).toBe('u/$&');
    expect(keyToStore('u/${filename}', '$`')).toBe('u/$`');
    expect(keyToStore('u/${filename}', "$'")).toBe("u/$'");
    expect(keyToStore('u/${filename}', '${filename}')).toBe('u/${filename}');
  });

  test('storedKeyLength counts what keyToStore makes, without making it', () => {
    for (const [key, name] of [
      ['u/${filename}', 'C:\\a\\b.png'],
      ['${filename}${filename}x', 'dir/'],
      ['plain', 'x'],
      ['${filenam${filename}e}', 'ab'],
    ] as const) {
      expect(storedKeyLength(key, name)).toBe(keyToStore(key, name).length);
    }
  });
});

test('a form whose ${filename}s would make a key past 1023 bytes is invalid-key, the key never built', () => {
  const policy = parsePolicy({
    expiration: '2100-01-01T00:00:00Z',
    conditions: [['starts-with', '$key', '']],
  });
  const form = {
    fields: new Map([['key', '${filename}'.repeat(200_000)]]),
    bucket: undefined,
    file: { name: 'n'.repeat(10_000) },
  };
  // Built, the key would be 2 GB: over V8's longest string, so the evaluation would throw.
  expect(evaluatePolicy(policy, form, 0).map((v) => v.kind)).toEqual(['invalid-key']);
});
