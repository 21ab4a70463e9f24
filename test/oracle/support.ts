import { afterAll, beforeAll, chai, vi } from 'vitest';

export type Param = [name: string, value: string];

export interface ParsedUrl {
  origin: string;
  /** The path without its leading '/', percent-decoded. */
  path: string;
  /** Decoded as a server decodes them ('+' is a space), sorted by name then value. */
  params: Param[];
}

/**
 * Splits a URL by hand: `new URL` would resolve `.` / `..` segments of a key and so hide what the
 * signer actually wrote.
 */
export function parseUrl(url: string): ParsedUrl {
  const match = /^(https?:\/\/[^/?#]+)(\/[^?#]*)?(?:\?([^#]*))?$/.exec(url);
  if (!match) throw new Error(`not an absolute URL without fragment: ${url}`);
  const [, origin = '', path = '/', query = ''] = match;
  return {
    origin,
    path: decodeURIComponent(path.slice(1)),
    params: sortParams([...new URLSearchParams(query)]),
  };
}

export function sortParams(params: Iterable<Param>): Param[] {
  return [...params].sort(([a, av], [b, bv]) => compareBytes(a, b) || compareBytes(av, bv));
}

/**
 * Fails with the parameters that differ, each with both values, so a shrunk counterexample says at
 * once which part of a URL went wrong (a plain deep-equal message truncates long arrays).
 */
export function expectSameParams(ours: readonly Param[], theirs: readonly Param[]): void {
  const show = (params: readonly Param[], name: string) =>
    JSON.stringify(params.filter(([n]) => n === name).map(([, v]) => v));
  const names = new Set([...ours, ...theirs].map(([name]) => name));
  const differences = [...names]
    .filter((name) => show(ours, name) !== show(theirs, name))
    .map((name) => `${name}: ours ${show(ours, name)}, ali-oss ${show(theirs, name)}`);
  if (differences.length > 0) {
    throw new Error(`query parameters differ from ali-oss's:\n  ${differences.join('\n  ')}`);
  }
}

/** Assertion messages with whole values: counterexamples are long strings and arrays. */
export function showWholeValuesInAssertions(): void {
  chai.config.truncateThreshold = 0;
}

export function paramValue(params: readonly Param[], name: string): string | undefined {
  return params.find(([n]) => n === name)?.[1];
}

/** Byte order of the UTF-8 encodings (Go's sort.Strings). */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** RFC 3986 percent-encoding: everything but `A-Z a-z 0-9 - . _ ~` (Go's url.QueryEscape with %20). */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** A header by name in any case. */
export function headerValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.entries(headers).find(([n]) => n.toLowerCase() === lower)?.[1];
}

export function withoutHeader(
  headers: Readonly<Record<string, string>>,
  name: string,
): Record<string, string> {
  const lower = name.toLowerCase();
  return Object.fromEntries(Object.entries(headers).filter(([n]) => n.toLowerCase() !== lower));
}

/** '20250101T000000Z', the V4 timestamp. */
export function isoBasic(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/**
 * Fakes only `Date` for the calling file, so ali-oss reads the clock given to this library as `now`
 * while promises keep working. Returns the setter.
 */
export function useFakeDate(): (now: Date) => void {
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterAll(() => {
    vi.useRealTimers();
  });
  return (now) => {
    vi.setSystemTime(now);
  };
}
