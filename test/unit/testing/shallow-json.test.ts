import { expect, test } from 'vitest';
import { parseShallowJson } from '../../../src/testing/shallow-json.js';

test('parses JSON up to the depth given, brackets inside strings not counted', () => {
  expect(parseShallowJson('{"a":[["[[[[", "\\"]]]{{{"]]}', 3)).toEqual({
    value: { a: [['[[[[', '"]]]{{{']] },
  });
  expect(parseShallowJson('[[[1]]]', 3)).toEqual({ value: [[[1]]] });
  expect(parseShallowJson('[[[[1]]]]', 3)).toBeUndefined();
  expect(parseShallowJson('{"a":', 3)).toBeUndefined();
  expect(parseShallowJson('"unterminated', 3)).toBeUndefined();
});

test('refuses deep nesting without handing it to JSON.parse (seconds for 1.5 MB)', () => {
  const started = performance.now();
  expect(parseShallowJson(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`, 8)).toBeUndefined();
  expect(parseShallowJson(`${'{"a":'.repeat(300_000)}1${'}'.repeat(300_000)}`, 8)).toBeUndefined();
  expect(performance.now() - started).toBeLessThan(5000);
});
