import type { LocalOss, LocalOssOptions } from '../testing/index.js';
import { UsageError } from './args.js';
import { type Command, CommandError, print } from './command.js';
import { parseWholeNumber } from './values.js';

const DEFAULT_PORT = 9000;
const DEFAULT_BUCKET = 'local-bucket';

export const local: Command = {
  name: 'local',
  summary: 'run an in-memory OSS endpoint (with STS) on 127.0.0.1',
  positionals: [],
  options: {
    port: { type: 'string' },
    bucket: { type: 'string', multiple: true },
    region: { type: 'string' },
    'access-key-id': { type: 'string', multiple: true },
    'access-key-secret': { type: 'string', multiple: true },
    'cors-origin': { type: 'string', multiple: true },
    'role-arn': { type: 'string' },
    json: { type: 'boolean' },
  },
  help: `Usage: oss-direct-upload local [options]

Runs an OSS-compatible endpoint on 127.0.0.1 that keeps objects in memory until it stops (Ctrl+C or
SIGTERM). It checks signatures as OSS does (V1 and V4, headers, presigned URLs, PostObject policies)
and answers with OSS's XML errors, so any OSS client can use it: ali-oss, ossutil, the Alibaba Cloud
SDKs in other languages, or plain HTTP. Objects are at http://127.0.0.1:<port>/<bucket>/<key> (path
style) or http://<bucket>.localhost:<port>/<key>.

It prints its URL, region, buckets, STS endpoint and the key pair it accepts. Without
--access-key-id/--access-key-secret it generates a pair for this run and prints the secret too,
since clients need it to sign: it opens nothing but this local server.

Options:
  --port <port>              Port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 picks a free one)
  --bucket <name>            A bucket that exists, private (repeatable; default ${DEFAULT_BUCKET})
  --region <region>          The region V4 signatures are scoped to (default cn-hangzhou)
  --access-key-id <id>       A key pair it accepts, with --access-key-secret (repeatable, in pairs);
  --access-key-secret <s>    a given secret is not printed
  --cors-origin <origin>     An origin browsers may call it from, like http://localhost:3000, or *
                             for any (repeatable; default none)
  --role-arn <arn>           Also serve STS AssumeRole for this role (acs:ram::<account id>:role/<name>)
                             at the same URL; the tokens it issues are checked on every request
  --json                     Print the details as one line of JSON: { url, region, buckets,
                             accessKeyId, accessKeySecret (when generated), stsEndpoint, roleArn }
  -h, --help                 Show this help

Example:
  oss-direct-upload local --port 9000 --cors-origin http://localhost:3000 \\
    --role-arn acs:ram::1234567890123456:role/uploader`,

  async run(args) {
    const portText = args.string('port');
    const port = portText === undefined ? DEFAULT_PORT : parseWholeNumber(portText, '--port');
    const ids = args.strings('access-key-id');
    const secrets = args.strings('access-key-secret');
    if (ids.length !== secrets.length) {
      throw new UsageError(
        `--access-key-id and --access-key-secret come in pairs (got ${ids.length} and ${secrets.length})`,
      );
    }
    const origins = args.strings('cors-origin');
    const buckets = args.strings('bucket');
    const roleArn = args.string('role-arn');
    const options = {
      port,
      buckets: buckets.length > 0 ? buckets : [DEFAULT_BUCKET],
      region: args.string('region'),
      credentials: ids.map((accessKeyId, index) => ({
        accessKeyId,
        accessKeySecret: secrets[index] as string,
      })),
      corsOrigins: origins.includes('*') ? ('*' as const) : origins,
      roleArn,
    };
    const oss = await start(options);
    // Set in the same turn as the start: no signal can come between them.
    const stopped = untilSignal();
    const details: Details = {
      url: oss.url,
      region: oss.region,
      buckets: options.buckets,
      accessKeyId: oss.credentials.accessKeyId,
      ...(ids.length === 0 && { accessKeySecret: oss.credentials.accessKeySecret }),
      ...(oss.stsEndpoint !== undefined && { stsEndpoint: oss.stsEndpoint, roleArn }),
      corsOrigins: options.corsOrigins,
    };
    print(args.boolean('json') ? JSON.stringify(details) : formatDetails(details));
    const signal = await stopped;
    await oss.close();
    process.stderr.write(`Stopped (${signal}).\n`);
  },
};

async function start(options: LocalOssOptions & { port: number }): Promise<LocalOss> {
  // Loaded here: the other commands do not need the endpoint.
  const { createLocalOss } = await import('../testing/index.js');
  try {
    return await createLocalOss(options);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw new CommandError(
        code,
        `cannot listen on 127.0.0.1:${options.port}: pick another --port (0 picks a free one)`,
      );
    }
    throw error;
  }
}

/** Resolves at the first SIGINT or SIGTERM; a second one, while stopping, ends the process as usual. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** What `local` prints: everything a client needs to reach and sign for the endpoint. */
interface Details {
  url: string;
  region: string;
  buckets: string[];
  accessKeyId: string;
  /** Only when generated: a secret given on the command line is not repeated. */
  accessKeySecret?: string;
  stsEndpoint?: string;
  roleArn?: string | undefined;
  corsOrigins: string[] | '*';
}

function formatDetails(details: Details): string {
  const rows: [string, string][] = [
    ['region', details.region],
    ['buckets', details.buckets.join(', ')],
    ['access key id', details.accessKeyId],
  ];
  if (details.accessKeySecret !== undefined) {
    rows.push(['access key secret', `${details.accessKeySecret} (generated for this run)`]);
  }
  if (details.stsEndpoint !== undefined) {
    rows.push(['STS endpoint', `${details.stsEndpoint} (AssumeRole for ${details.roleArn})`]);
  }
  const { corsOrigins } = details;
  rows.push(['CORS origins', corsOrigins === '*' ? 'any' : corsOrigins.join(', ') || 'none']);
  return [
    `Local OSS endpoint at ${details.url} (in memory; Ctrl+C stops it)`,
    ...rows.map(([name, value]) => `  ${name.padEnd(18)} ${value}`),
  ].join('\n');
}
