/** The command line itself: help, version, and one-line errors with exit code 2 for what it cannot run. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { local } from '../../../src/cli/local.js';
import { postPolicy } from '../../../src/cli/post-policy.js';
import { presign } from '../../../src/cli/presign.js';
import { sts } from '../../../src/cli/sts.js';
import { type Built, buildCli, root, runCli } from '../../support/cli.js';

const COMMANDS = ['presign', 'post-policy', 'sts', 'local'];
/** Keys that would sign, so that only the command line can be wrong. */
const env = {
  ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIusagetest',
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'usage-test-secret',
};

let built: Built;

beforeAll(async () => {
  built = await buildCli();
}, 60_000);

afterAll(() => built.remove());

const run = (args: string[]) => runCli(built, args, { env });

it('--help, -h and help list every command; no command at all prints the same on stderr, exit 2', async () => {
  const [long, short, word, none] = await Promise.all([run(['--help']), run(['-h']), run(['help']), run([])]);
  expect(long.status).toBe(0);
  expect(long.stdout).toMatch(/^Usage: oss-direct-upload <command> \[options\]\n/);
  for (const command of COMMANDS) expect(long.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  expect(long.stdout).toContain('Exit status');
  expect(short).toEqual(long);
  expect(word).toEqual(long);
  expect(none).toMatchObject({ status: 2, stdout: '', stderr: long.stdout });
});

it.each(COMMANDS)(
  '%s --help (and help %s) prints its usage and options, exit 0, nothing else run',
  async (command) => {
    // --help wins over everything else on the line, even a mistake.
    const [help, word, withMistake] = await Promise.all([
      run([command, '--help']),
      run(['help', command]),
      run([command, '--no-such-option', '-h']),
    ]);
    expect(help.status).toBe(0);
    expect(help.stderr).toBe('');
    expect(help.stdout).toMatch(new RegExp(`^Usage: oss-direct-upload ${command}\\b`));
    expect(help.stdout).toMatch(/^ {2}-h, --help/m);
    expect(word).toEqual(help);
    expect(withMistake).toEqual(help);
  },
);

it('each --help describes every option its command accepts', async () => {
  for (const command of [presign, postPolicy, sts, local]) {
    const help = (await run([command.name, '--help'])).stdout;
    const names = Object.keys(command.options);
    expect(names.length).toBeGreaterThan(3);
    for (const name of names)
      expect(help, `${command.name} --${name}`).toMatch(new RegExp(`^ +--${name}\\b`, 'm'));
  }
});

it('--version prints the package version', async () => {
  const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-v'])
    expect(await run([flag])).toMatchObject({ status: 0, stdout: `${version}\n` });
});

it.each([
  [['upload'], /^oss-direct-upload: unknown command "upload" \(commands: presign, post-policy, sts, local;/],
  [['--verbose'], /^oss-direct-upload: unknown option --verbose /],
  [['presign', 'GET', 'b/k', '--region'], /^oss-direct-upload presign: --region needs a value/],
  [
    ['presign', 'GET', 'b/k', '--region', '--json'],
    /^oss-direct-upload presign: --region needs a value \(got the option --json/,
  ],
  [['presign', 'GET', 'b/k', '--json=yes'], /^oss-direct-upload presign: --json takes no value/],
  [['presign', 'GET', 'b/k', '--regoin', 'x'], /^oss-direct-upload presign: unknown option --regoin/],
  [['presign', 'GET', 'b/k', '-x'], /^oss-direct-upload presign: unknown option -x/],
  [
    ['presign', 'GET', 'b/k', '--region', 'a', '--region', 'b'],
    /^oss-direct-upload presign: --region is given twice/,
  ],
  [['presign', 'GET'], /^oss-direct-upload presign: missing <bucket>\/<key>/],
  [['presign'], /^oss-direct-upload presign: missing <method>/],
  [['presign', 'GET', 'b/k', 'extra'], /^oss-direct-upload presign: unexpected argument "extra"/],
  [
    ['presign', 'FETCH', 'b/k'],
    /^oss-direct-upload presign: <method> must be one of GET, PUT, HEAD, DELETE, POST \(got "FETCH"\)/,
  ],
  [
    ['presign', 'GET', 'bucket-only'],
    /^oss-direct-upload presign: <bucket>\/<key> must be like my-bucket\/path/,
  ],
  [['presign', 'GET', 'b/'], /^oss-direct-upload presign: <bucket>\/<key> must be like/],
  [
    ['presign', 'GET', 'b/k', '--expires-in', '1.5h'],
    /^oss-direct-upload presign: --expires-in must be whole seconds/,
  ],
  [
    ['presign', 'GET', 'b/k', '--signature-version', 'v2'],
    /^oss-direct-upload presign: --signature-version must be one of v4, v1/,
  ],
  [
    ['presign', 'PUT', 'b/k', '--header', 'no colon'],
    /^oss-direct-upload presign: --header must be Name: value/,
  ],
  [
    ['presign', 'PUT', 'b/k', '--query', '=x'],
    /^oss-direct-upload presign: --query must be name=value or name/,
  ],
  [
    ['presign', 'PUT', 'b/k', '--query', 'a=1', '--query', 'a=2'],
    /^oss-direct-upload presign: --query gives "a" twice/,
  ],
  [['post-policy'], /^oss-direct-upload post-policy: missing <bucket>/],
  [['sts', 'extra'], /^oss-direct-upload sts: unexpected argument "extra"/],
  [['local', '--port'], /^oss-direct-upload local: --port needs a value/],
])('%j: one line on stderr naming the problem, exit 2', async (args, message) => {
  const result = await run(args);
  expect(result.status).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(message);
  expect(result.stderr).toMatch(/^[^\n]+\n$/);
});

it('a value starting with a dash is taken when written --option=value', async () => {
  const result = await run([
    'presign',
    'GET',
    'my-bucket/k',
    '--region=cn-hangzhou',
    '--query=-odd=1',
    '--json',
  ]);
  expect(result.status, result.stderr).toBe(0);
  expect(JSON.parse(result.stdout).url).toContain('-odd=1');
});

it('the region comes from OSS_REGION when --region is not given, as in the examples', async () => {
  const result = await runCli(built, ['presign', 'GET', 'my-bucket/a.txt'], {
    env: { ...env, OSS_REGION: 'oss-cn-shanghai' },
  });
  expect(result.status, result.stderr).toBe(0);
  const url = new URL(result.stdout.trim());
  expect(url.host).toBe('my-bucket.oss-cn-shanghai.aliyuncs.com');
  expect(url.searchParams.get('x-oss-credential')).toMatch(
    /^LTAIusagetest\/\d{8}\/cn-shanghai\/oss\/aliyun_v4_request$/,
  );
  const given = await runCli(built, ['presign', 'GET', 'my-bucket/a.txt', '--region', 'cn-beijing'], {
    env: { ...env, OSS_REGION: 'cn-shanghai' },
  });
  expect(new URL(given.stdout.trim()).host).toBe('my-bucket.oss-cn-beijing.aliyuncs.com');
});
