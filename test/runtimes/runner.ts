// Runs a list of library calls inside a runtime (workerd, the edge runtime VM, Chromium; and Node, for the
// expected results) and gives back what each returned or threw, as JSON text: the same text from two
// runtimes means the same bytes. No imports: it is bundled into each runtime's code next to the build
// under test, which it is handed as `library`.

/** One call of a library export; `method` then calls a method of what it returned (a bound signer). */
export interface Call {
  fn: string;
  args: unknown[];
  method?: string;
  methodArgs?: unknown[];
}

export type Outcome =
  | { value: unknown }
  | { error: { ossSignError: boolean; name: unknown; code: unknown; message: unknown } };

type Library = Record<string, unknown>;

/**
 * JSON with what JSON loses: a Date travels as `{ $date: ms }`, a Fetch Request (made in the runtime, for
 * verifyOssCallback) as `{ $request: { url, method, headers, body } }`.
 */
export function encode(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, name, replaced: unknown) {
    const original = this[name];
    return isDate(original) ? { $date: original.getTime() } : replaced;
  });
}

export function decode(text: string): unknown {
  return JSON.parse(text, (_name, value: unknown) => {
    // Only the exact shapes: a caller's header or query parameter named `$date` stays what it is.
    if (typeof value !== 'object' || value === null || Object.keys(value).length !== 1) return value;
    const { $date, $request } = value as { $date?: unknown; $request?: { url: string } & RequestInit };
    if (typeof $date === 'number') return new Date($date);
    if (typeof $request?.url === 'string') {
      const { url, ...init } = $request;
      return new Request(url, init);
    }
    return value;
  });
}

function isDate(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === '[object Date]';
}

export async function runCalls(library: Library, calls: string): Promise<string> {
  const outcomes: Outcome[] = [];
  for (const call of decode(calls) as Call[]) outcomes.push(await run(library, call));
  return encode(outcomes);
}

async function run(library: Library, call: Call): Promise<Outcome> {
  try {
    const fn = library[call.fn];
    if (typeof fn !== 'function') throw new Error(`the library has no function ${call.fn}`);
    let value: unknown = await fn(...call.args);
    if (call.method !== undefined) {
      const method = (value as Record<string, unknown>)[call.method] as (...args: unknown[]) => unknown;
      value = await method(...(call.methodArgs ?? []));
    }
    return { value };
  } catch (error) {
    const { name, code, message } = (error ?? {}) as Record<string, unknown>;
    const OssSignError = library.OssSignError as new () => object;
    return { error: { ossSignError: error instanceof OssSignError, name, code, message } };
  }
}
