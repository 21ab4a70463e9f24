import { inspect } from 'node:util';
import { expect } from 'vitest';
import { OssSignError } from '../../src/index.js';

/** What `fn` threw, or `undefined` when it returned. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** The outcome of a call, comparable with `toStrictEqual`: its value, or the code and message of its error. */
export type Outcome<T> =
  | { ok: true; value: T }
  | { ok: false; name: string; code: string | undefined; message: string };

export function outcome<T>(fn: () => T): Outcome<T> {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    const { name, code, message } = error as { name: string; code?: string; message: string };
    return { ok: false, name, code, message };
  }
}

/** Expects `fn` to throw an OssSignError with `code` (and a message containing `inMessage`), and returns it. */
export function expectSignError(fn: () => unknown, code: string, inMessage?: string | RegExp): OssSignError {
  const error = thrownBy(fn);
  if (!(error instanceof OssSignError)) {
    throw new Error(
      `expected an OssSignError ${code}, got ${error === undefined ? 'a result' : inspect(error)}`,
    );
  }
  expect(error.code, error.message).toBe(code);
  if (inMessage !== undefined) expect(error.message).toMatch(inMessage);
  return error;
}

/** Every way an error or a result gets shown: in logs, in JSON, in an inspector. */
export function renderings(value: unknown): string[] {
  const shown = [inspect(value, { depth: 10, showHidden: true, getters: true }), safeJson(value)];
  if (value instanceof Error) shown.push(value.message, String(value), value.stack ?? '');
  return shown;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch (error) {
    return `JSON.stringify threw: ${(error as Error).message}`;
  }
}

/** The forms a secret takes on its way into text: as is, percent-encoded, in JSON, in base64. */
export function secretForms(secret: string): string[] {
  return [
    secret,
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
    Buffer.from(secret).toString('base64').slice(0, 16),
  ];
}

/** Fails when any rendering of `value` contains any form of any of `secrets`. */
export function expectNoSecret(value: unknown, secrets: readonly string[]): void {
  for (const text of renderings(value)) {
    for (const secret of secrets) {
      for (const form of secretForms(secret)) {
        if (text.includes(form))
          throw new Error(`a form of a secret (${JSON.stringify(form)}) shows in: ${text}`);
      }
    }
  }
}
