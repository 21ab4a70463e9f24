import type { OptionSpecs, ParsedArgs } from './args.js';
import type { Environment } from './credentials.js';

/** One subcommand of `oss-direct-upload`: its command line, its help, and what it does. */
export interface Command {
  name: string;
  /** One line for the list of commands. */
  summary: string;
  /** The required positional arguments, in order, as help names them (`<method>`). */
  positionals: readonly string[];
  options: OptionSpecs;
  /** The whole `--help` text. */
  help: string;
  /** Runs with a checked command line; resolves when done (for `local`, once stopped). */
  run(args: ParsedArgs, env: Environment): Promise<void>;
}

/** Prints a result on stdout. */
export function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Prints a result as indented JSON on stdout. */
export function printJson(value: unknown): void {
  print(JSON.stringify(value, null, 2));
}

/** A failure outside the library (a port in use), printed as `code: message` like the library's. */
export class CommandError extends Error {
  override name = 'CommandError';
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}
