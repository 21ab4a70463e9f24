import { type CreatePostPolicyOptions, createPostPolicy } from '../index.js';
import { UsageError } from './args.js';
import { type Command, printJson } from './command.js';
import { CREDENTIALS_HELP, readSigningOptions, SIGNING_HELP, SIGNING_OPTIONS } from './signing.js';
import { parseAssignments, parseChoice, parseSize } from './values.js';

const SUCCESS_STATUSES = ['200', '201', '204'] as const;

export const postPolicy: Command = {
  name: 'post-policy',
  summary: 'print the URL and form fields of a PostObject (HTML form) upload',
  positionals: ['<bucket>'],
  options: {
    ...SIGNING_OPTIONS,
    key: { type: 'string' },
    'key-prefix': { type: 'string' },
    'min-size': { type: 'string' },
    'max-size': { type: 'string' },
    'content-type': { type: 'string', multiple: true },
    'content-type-prefix': { type: 'string' },
    'success-action-status': { type: 'string' },
    meta: { type: 'string', multiple: true },
    'allow-any-key': { type: 'boolean' },
    'allow-any-size': { type: 'boolean' },
  },
  help: `Usage: oss-direct-upload post-policy <bucket> [options]

Prints, as JSON, what a browser needs to upload with an HTML form (PostObject): { url, fields,
expiresAt, policy }. POST a multipart/form-data body to url with every field, in order, and the file
last. The policy must limit the key and the size unless --allow-any-key / --allow-any-size say not to.

Options:
  --key <key>                The exact key; one ending in \${filename} takes the file's name
  --key-prefix <prefix>      Any key starting with this, like uploads/user-42/
  --max-size <size>          Largest file: bytes, or with K, M or G (binary) like 10M
  --min-size <size>          Smallest file (default 0); needs --max-size
  --content-type <type>      The file's type: one, or any of several (repeatable)
  --content-type-prefix <p>  Any type starting with this, like image/
  --success-action-status <n>  200, 201 or 204 (OSS's default: 204)
  --meta <name=value>        Stored as x-oss-meta-<name>, pinned by the policy (repeatable)
  --allow-any-key            Allow a policy that does not limit the key
  --allow-any-size           Allow a policy that does not limit the size
${SIGNING_HELP}
  -h, --help                 Show this help

${CREDENTIALS_HELP}

Example:
  oss-direct-upload post-policy my-bucket --region cn-hangzhou --key-prefix uploads/ --max-size 10M \\
    --content-type-prefix image/`,

  async run(args, env) {
    const [bucket = ''] = args.positionals;
    const minSize = args.string('min-size');
    const maxSize = args.string('max-size');
    if (minSize !== undefined && maxSize === undefined) throw new UsageError('--min-size needs --max-size');
    const status = args.string('success-action-status');
    const options: CreatePostPolicyOptions = {
      bucket,
      key: args.string('key'),
      keyPrefix: args.string('key-prefix'),
      contentLengthRange:
        maxSize === undefined
          ? undefined
          : [minSize === undefined ? 0 : parseSize(minSize, '--min-size'), parseSize(maxSize, '--max-size')],
      contentType: contentType(args.strings('content-type'), args.string('content-type-prefix')),
      successActionStatus:
        status === undefined
          ? undefined
          : (Number(parseChoice(status, '--success-action-status', SUCCESS_STATUSES)) as 200 | 201 | 204),
      metadata: parseAssignments(args.strings('meta'), '--meta'),
      allowAnyKey: args.boolean('allow-any-key') || undefined,
      allowAnySize: args.boolean('allow-any-size') || undefined,
      // Last: the command line is checked before the environment.
      ...readSigningOptions(args, env),
    };
    const { url, fields, expiresAt, policy } = createPostPolicy(options);
    printJson({ url, fields, expiresAt: expiresAt.toISOString(), policy });
  },
};

/** One type exactly, a list of allowed types, or a prefix. */
function contentType(types: string[], prefix: string | undefined): CreatePostPolicyOptions['contentType'] {
  if (prefix !== undefined) {
    if (types.length > 0) throw new UsageError('give --content-type or --content-type-prefix, not both');
    return { startsWith: prefix };
  }
  if (types.length === 0) return undefined;
  return types.length === 1 ? types[0] : types;
}
