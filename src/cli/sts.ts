import { readFile } from 'node:fs/promises';
import { createStsCredentialProvider, createUploadPolicy, type RamPolicy } from '../index.js';
import { type OptionSpecs, type ParsedArgs, UsageError } from './args.js';
import { type Command, printJson } from './command.js';
import { credentialsFromEnvironment } from './credentials.js';
import { parseDuration } from './values.js';

/** The role to assume when `--role-arn` is not given, as in the examples. */
const ROLE_ARN_VARIABLE = 'ALIBABA_CLOUD_ROLE_ARN';

const OPTIONS: OptionSpecs = {
  'role-arn': { type: 'string' },
  'session-name': { type: 'string' },
  duration: { type: 'string' },
  policy: { type: 'string' },
  bucket: { type: 'string' },
  prefix: { type: 'string' },
  action: { type: 'string', multiple: true },
  'external-id': { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
};

export const sts: Command = {
  name: 'sts',
  summary: 'print temporary credentials from STS AssumeRole',
  positionals: [],
  options: OPTIONS,
  help: `Usage: oss-direct-upload sts [options]

Calls STS AssumeRole and prints the temporary credentials as JSON: { accessKeyId, accessKeySecret,
securityToken, expiration }. Printing them is this command's job: treat the output as a secret.

Options:
  --role-arn <arn>           The role to assume, acs:ram::<account id>:role/<name>
                             (default: $${ROLE_ARN_VARIABLE})
  --session-name <name>      Role session name shown in ActionTrail (default oss-direct-upload)
  --duration <duration>      Lifetime: seconds, or 15m, 1h (900 to 43200 s, default 3600)
  --bucket <bucket>          With --prefix: a session policy that allows uploads only
  --prefix <prefix>          under <prefix> in <bucket>, like uploads/user-42/
  --action <action>          With --prefix: the actions allowed instead of oss:PutObject,
                             oss:AbortMultipartUpload and oss:ListParts (repeatable)
  --policy <file>            Session policy from a JSON file ('-' reads stdin), instead of --prefix
  --external-id <id>         The role's external id, when its trust policy asks for one
  --region <region>          STS region: https://sts.<region>.aliyuncs.com (default sts.aliyuncs.com)
  --endpoint <url>           STS base URL, like https://sts-vpc.cn-hangzhou.aliyuncs.com or
                             http://127.0.0.1:9000 (oss-direct-upload local --role-arn ...)
  -h, --help                 Show this help

Credentials that call AssumeRole: ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (plus
ALIBABA_CLOUD_SECURITY_TOKEN), else the default chain of @alicloud/credentials (profile, ECS RAM role,
OIDC). Needs the optional peer @alicloud/sts20150401 (and @alicloud/credentials for the default chain):
  npx -p oss-direct-upload -p @alicloud/sts20150401 -p @alicloud/credentials oss-direct-upload sts ...

Example:
  oss-direct-upload sts --role-arn acs:ram::1234567890123456:role/uploader --region cn-hangzhou \\
    --bucket my-bucket --prefix uploads/user-42/ --duration 15m`,

  async run(args, env) {
    const duration = args.string('duration');
    const durationSeconds = duration === undefined ? undefined : parseDuration(duration, '--duration');
    const roleArn = args.string('role-arn') ?? (env[ROLE_ARN_VARIABLE] || undefined);
    if (roleArn === undefined) throw new UsageError(`give --role-arn, or set ${ROLE_ARN_VARIABLE}`);
    const policy = await sessionPolicy(args);
    const provider = createStsCredentialProvider({
      roleArn,
      roleSessionName: args.string('session-name'),
      durationSeconds,
      policy,
      externalId: args.string('external-id'),
      region: args.string('region'),
      endpoint: args.string('endpoint'),
      // Without keys in the environment, the provider asks @alicloud/credentials' default chain.
      credentials: credentialsFromEnvironment(env),
    });
    const { accessKeyId, accessKeySecret, securityToken, expiration } = await provider.getCredentials();
    printJson({ accessKeyId, accessKeySecret, securityToken, expiration });
  },
};

/** `--policy <file>`, or `--bucket` and `--prefix` (and `--action`) for createUploadPolicy, or none. */
async function sessionPolicy(args: ParsedArgs): Promise<RamPolicy | string | undefined> {
  const file = args.string('policy');
  const bucket = args.string('bucket');
  const prefix = args.string('prefix');
  const actions = args.strings('action');
  if (file !== undefined) {
    if (bucket !== undefined || prefix !== undefined || actions.length > 0) {
      throw new UsageError('give --policy or --bucket with --prefix, not both');
    }
    return readPolicyFile(file);
  }
  if (bucket === undefined && prefix === undefined) {
    if (actions.length > 0) throw new UsageError('--action needs --bucket and --prefix');
    return undefined;
  }
  if (bucket === undefined) throw new UsageError('--prefix needs --bucket');
  if (prefix === undefined) throw new UsageError('--bucket needs --prefix');
  return createUploadPolicy({ bucket, prefix, actions: actions.length > 0 ? actions : undefined });
}

async function readPolicyFile(file: string): Promise<string> {
  try {
    return file === '-' ? await readStdin() : await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new UsageError(
      `--policy: cannot read ${JSON.stringify(file)}${typeof code === 'string' ? ` (${code})` : ''}`,
    );
  }
}

async function readStdin(): Promise<string> {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) text += chunk;
  return text;
}
