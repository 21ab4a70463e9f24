/**
 * docs/errors.md documents exactly the codes of OssSignErrorCode: each one in the first column of a table,
 * and no code that the library does not have.
 */
import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';

const read = (path: string) => readFile(new URL(`../../${path}`, import.meta.url), 'utf8');

it('docs/errors.md lists every OssSignError code, and only those', async () => {
  const source = await read('src/errors.ts');
  const union = /export type OssSignErrorCode =([^;]+);/.exec(source)?.[1] ?? '';
  const codes = new Set([...union.matchAll(/'([A-Z_]+)'/g)].map(([, code]) => code));
  expect(codes.size).toBeGreaterThan(20);

  const page = await read('docs/errors.md');
  const documented = new Set<string>();
  for (const [, cell = ''] of page.matchAll(/^\| ([^|]+) \|/gm)) {
    for (const [, code] of cell.matchAll(/`([A-Z][A-Z_]+)`/g)) documented.add(code as string);
  }
  expect([...documented].sort()).toEqual([...codes].sort());
});
