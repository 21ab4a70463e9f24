import { OssSignError } from '../index.js';
import { parseCommandLine, UsageError } from './args.js';
import { type Command, CommandError, print } from './command.js';
import { local } from './local.js';
import { postPolicy } from './post-policy.js';
import { presign } from './presign.js';
import { sts } from './sts.js';
import { VERSION } from './version.js';

const PROGRAM = 'oss-direct-upload';
const COMMANDS: readonly Command[] = [presign, postPolicy, sts, local];

const HELP = `Usage: ${PROGRAM} <command> [options]

Signs direct uploads to Alibaba Cloud OSS, and runs a local OSS endpoint.

Commands:
${COMMANDS.map((command) => `  ${[command.name, ...command.positionals].join(' ').padEnd(32)} ${command.summary}`).join('\n')}

Run ${PROGRAM} <command> --help for its options.

Options:
  -h, --help      Show this help
  -v, --version   Print the version

Exit status: 0 done; 1 refused, with the reason printed as CODE: message; 2 a bad command line.`;

/** Runs one command line; resolves to the exit status. */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h') {
    print(HELP);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    print(VERSION);
    return 0;
  }
  if (name === 'help') {
    const topic = COMMANDS.find((command) => command.name === rest[0]);
    print(topic?.help ?? HELP);
    return 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command === undefined) {
    if (name === undefined) {
      process.stderr.write(`${HELP}\n`);
      return 2;
    }
    const problem = name.startsWith('-')
      ? `unknown option ${name}`
      : `unknown command ${JSON.stringify(name)}`;
    process.stderr.write(
      `${PROGRAM}: ${problem} (commands: ${COMMANDS.map((c) => c.name).join(', ')}; see ${PROGRAM} --help)\n`,
    );
    return 2;
  }
  try {
    const args = parseCommandLine(rest, command.options, command.positionals);
    if (args.help) {
      print(command.help);
      return 0;
    }
    await command.run(args, { ...process.env });
    return 0;
  } catch (error) {
    return report(error, command.name);
  }
}

/** One line on stderr, and the exit status for it. Messages of this library never hold a secret. */
function report(error: unknown, commandName: string): number {
  if (error instanceof UsageError) {
    process.stderr.write(
      `${PROGRAM} ${commandName}: ${error.message} (see ${PROGRAM} ${commandName} --help)\n`,
    );
    return 2;
  }
  if (error instanceof OssSignError || error instanceof CommandError) {
    process.stderr.write(`${error.code}: ${error.message}\n`);
    return 1;
  }
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${name}: ${message}\n`);
  return 1;
}

main(process.argv.slice(2)).then((status) => {
  process.exitCode = status;
});
