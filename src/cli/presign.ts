import { type PresignMethod, presignUrl } from '../index.js';
import { type Command, print, printJson } from './command.js';
import { CREDENTIALS_HELP, readSigningOptions, SIGNING_HELP, SIGNING_OPTIONS } from './signing.js';
import { parseChoice, parseHeaders, parseObjectPath, parseQuery } from './values.js';

const METHODS: readonly PresignMethod[] = ['GET', 'PUT', 'HEAD', 'DELETE', 'POST'];

export const presign: Command = {
  name: 'presign',
  summary: 'print a presigned URL for one request to one object',
  positionals: ['<method>', '<bucket>/<key>'],
  options: {
    ...SIGNING_OPTIONS,
    'content-type': { type: 'string' },
    'content-md5': { type: 'string' },
    header: { type: 'string', multiple: true },
    query: { type: 'string', multiple: true },
    'additional-header': { type: 'string', multiple: true },
    'sub-resource': { type: 'string', multiple: true },
    json: { type: 'boolean' },
  },
  help: `Usage: oss-direct-upload presign <method> <bucket>/<key> [options]

Prints a URL that lets its holder send one request to one object until it expires: <method> is GET,
PUT, HEAD, DELETE or POST; <bucket>/<key> may also be written oss://<bucket>/<key>. The headers the
request must send (Content-Type, say) are listed on stderr, or in the JSON with --json.

Options:
  --content-type <type>      Content-Type the request must send (uploads)
  --content-md5 <base64>     Content-MD5 the request must send
  --header 'Name: value'     A header the request will send; x-oss-* ones are signed (repeatable)
  --query <name=value>       A query parameter, like response-content-disposition=attachment or
                             versionId=...; a bare name has no value (repeatable)
  --additional-header <name> V4: also sign this header given with --header (repeatable)
  --sub-resource <name>      V1: also sign this query parameter (repeatable)
  --json                     Print { url, method, headers, expiresAt } as JSON
${SIGNING_HELP}
  -h, --help                 Show this help

${CREDENTIALS_HELP}

Examples:
  oss-direct-upload presign GET my-bucket/reports/2024.pdf --region cn-hangzhou --expires-in 15m
  url=$(oss-direct-upload presign PUT my-bucket/uploads/cat.png --region cn-hangzhou --content-type image/png)
  curl -X PUT -H 'Content-Type: image/png' --data-binary @cat.png "$url"`,

  async run(args, env) {
    const [methodText = '', path = ''] = args.positionals;
    const method = parseChoice(methodText, '<method>', METHODS);
    const { bucket, key } = parseObjectPath(path, '<bucket>/<key>');
    const headers = parseHeaders(args.strings('header'), '--header');
    const query = parseQuery(args.strings('query'), '--query');
    const additionalHeaders = args.strings('additional-header');
    const subResources = args.strings('sub-resource');
    const signed = presignUrl({
      bucket,
      key,
      method,
      contentType: args.string('content-type'),
      contentMd5: args.string('content-md5'),
      headers,
      query,
      additionalHeaders: additionalHeaders.length > 0 ? additionalHeaders : undefined,
      subResources: subResources.length > 0 ? subResources : undefined,
      // Last: the command line is checked before the environment.
      ...readSigningOptions(args, env),
    });
    const { url, method: signedMethod, headers: requiredHeaders, expiresAt } = signed;
    if (args.boolean('json')) {
      printJson({ url, method: signedMethod, headers: requiredHeaders, expiresAt: expiresAt.toISOString() });
      return;
    }
    print(url);
    const required = Object.entries(requiredHeaders);
    if (required.length > 0) {
      process.stderr.write(
        `The request must send:\n${required.map(([name, value]) => `  ${name}: ${value}\n`).join('')}`,
      );
    }
  },
};
