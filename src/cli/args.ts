import { parseArgs } from 'node:util';

/** A command line the CLI cannot run: unknown option, missing or malformed value. Exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** May be given more than once; the values are kept in order. */
  multiple?: boolean;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** A command line after parsing: every option is one its command declares, with a value of its type. */
export interface ParsedArgs {
  /** `--help` or `-h` was given: nothing else is checked. */
  help: boolean;
  positionals: string[];
  string(name: string): string | undefined;
  strings(name: string): string[];
  boolean(name: string): boolean;
}

/**
 * Parses with `node:util`'s `parseArgs`, then checks every token itself, so that each mistake gets a
 * one-line message naming the option (parseArgs's own messages span lines and suggest `--`).
 * `positionals` names the required positional arguments, in order.
 */
export function parseCommandLine(
  args: string[],
  options: OptionSpecs,
  positionals: readonly string[],
): ParsedArgs {
  const parsed = parseArgs({
    args,
    options: { ...options, help: { type: 'boolean', short: 'h' } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values = parsed.values as Record<string, string | boolean | (string | boolean)[] | undefined>;
  const result: ParsedArgs = {
    help: values.help !== undefined,
    positionals: parsed.positionals,
    string: (name) => values[name] as string | undefined,
    strings: (name) => (values[name] as string[] | undefined) ?? [],
    boolean: (name) => values[name] === true,
  };
  if (result.help) return result;
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue;
    const spec = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (spec === undefined) throw new UsageError(`unknown option ${token.rawName}`);
    if (spec.type === 'boolean' && token.value !== undefined) {
      throw new UsageError(`${token.rawName} takes no value (got ${JSON.stringify(token.value)})`);
    }
    if (spec.type === 'string') {
      if (token.value === undefined) throw new UsageError(`${token.rawName} needs a value`);
      // parseArgs takes the next argument whatever it is: `--region --json` is a forgotten value.
      if (token.inlineValue === false && token.value.length > 1 && token.value.startsWith('-')) {
        throw new UsageError(
          `${token.rawName} needs a value (got the option ${token.value}; write ${token.rawName}=${token.value} if that is the value)`,
        );
      }
    }
    if (!spec.multiple && seen.has(token.name)) throw new UsageError(`${token.rawName} is given twice`);
    seen.add(token.name);
  }
  const missing = positionals[parsed.positionals.length];
  if (missing !== undefined) throw new UsageError(`missing ${missing}`);
  const extra = parsed.positionals[positionals.length];
  if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
  return result;
}
