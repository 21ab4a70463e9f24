/** Option text to the library's types: units, and the forms refused before the library sees them. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/cli/args.js';
import {
  parseDuration,
  parseHeaders,
  parseObjectPath,
  parseQuery,
  parseSize,
} from '../../../src/cli/values.js';

describe('parseDuration', () => {
  it.each([
    ['0', 0],
    ['3600', 3600],
    ['90s', 90],
    ['15m', 900],
    ['1h', 3600],
    ['7d', 604_800],
  ])('%s is %i seconds', (text, seconds) => expect(parseDuration(text, '--expires-in')).toBe(seconds));

  it.each(['', '1.5h', '-5', '1 h', '1H', '1w', '3600000000000', 'PT1H'])('refuses %j', (text) => {
    expect(() => parseDuration(text, '--expires-in')).toThrow(UsageError);
    expect(() => parseDuration(text, '--expires-in')).toThrow(/^--expires-in must be whole seconds/);
  });
});

describe('parseSize', () => {
  it.each([
    ['0', 0],
    ['1024', 1024],
    ['1K', 1024],
    ['512k', 524_288],
    ['10M', 10_485_760],
    ['10MiB', 10_485_760],
    ['5G', 5_368_709_120],
  ])('%s is %i bytes', (text, bytes) => expect(parseSize(text, '--max-size')).toBe(bytes));

  it.each(['', '10 M', '10MB', '1.5M', '-1', '1T', '9999999999999999G'])('refuses %j', (text) => {
    expect(() => parseSize(text, '--max-size')).toThrow(/^--max-size must be whole bytes/);
  });
});

it('headers are curl-style Name: value, values trimmed, a name given twice refused', () => {
  expect(parseHeaders([], '--header')).toBeUndefined();
  expect(parseHeaders(['x-oss-meta-a:  b c ', 'Cache-Control: no-cache'], '--header')).toEqual({
    'x-oss-meta-a': 'b c',
    'Cache-Control': 'no-cache',
  });
  expect(() => parseHeaders(['x-oss-meta-a'], '--header')).toThrow(/^--header must be Name: value/);
  expect(() => parseHeaders([': b'], '--header')).toThrow(/^--header must be Name: value/);
  expect(() => parseHeaders(['a: 1', 'a: 2'], '--header')).toThrow(/^--header gives "a" twice/);
});

it('query parameters: name=value, a bare name is null, __proto__ is a name like any other', () => {
  const query = parseQuery(['versionId=v=1', 'acl', '__proto__=x'], '--query');
  expect(Object.getPrototypeOf(query)).toBe(Object.prototype);
  expect(Object.entries(query ?? {})).toEqual([
    ['versionId', 'v=1'],
    ['acl', null],
    ['__proto__', 'x'],
  ]);
});

it('bucket/key and oss://bucket/key split at the first slash', () => {
  expect(parseObjectPath('b/a/b/c.txt', 'p')).toEqual({ bucket: 'b', key: 'a/b/c.txt' });
  expect(parseObjectPath('oss://b/dir/', 'p')).toEqual({ bucket: 'b', key: 'dir/' });
  for (const text of ['b', '/k', 'b/', 'oss://b'])
    expect(() => parseObjectPath(text, 'p')).toThrow(UsageError);
});
