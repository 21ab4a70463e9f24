import type { OssCredentials, SignatureVersion } from '../index.js';
import type { OptionSpecs, ParsedArgs } from './args.js';
import { type Environment, requireCredentials } from './credentials.js';
import { parseChoice, parseDuration } from './values.js';

/** The default region when `--region` is not given, as in the examples. */
const REGION_VARIABLE = 'OSS_REGION';

/** Options that `presign` and `post-policy` share: where the bucket is, how long, which signature. */
export const SIGNING_OPTIONS: OptionSpecs = {
  region: { type: 'string' },
  endpoint: { type: 'string' },
  'path-style': { type: 'boolean' },
  cname: { type: 'boolean' },
  'expires-in': { type: 'string' },
  'signature-version': { type: 'string' },
};

export const SIGNING_HELP = `  --region <region>          Bucket region, like cn-hangzhou (default: $${REGION_VARIABLE}); V4 needs it
  --endpoint <url>           Base URL instead of https://<bucket>.oss-<region>.aliyuncs.com: an internal
                             or accelerate endpoint, a CNAME, or a local endpoint (http://127.0.0.1:9000)
  --path-style               Bucket in the path (<endpoint>/<bucket>/<key>); automatic for IP endpoints
  --cname                    The endpoint is the bucket's own domain
  --expires-in <duration>    Seconds, or 15m, 1h, 7d (default 3600)
  --signature-version <v>    v4 (default) or v1`;

export const CREDENTIALS_HELP = `Credentials: ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, plus
ALIBABA_CLOUD_SECURITY_TOKEN for STS credentials (their token is then part of the output, as OSS needs).
The secret is never printed.`;

export interface SigningOptions {
  credentials: OssCredentials;
  /** Cast when missing: the library says when it needs one (V4, or no endpoint). */
  region: string;
  endpoint: string | undefined;
  pathStyle: boolean | undefined;
  cname: boolean | undefined;
  expiresIn: number | undefined;
  signatureVersion: SignatureVersion | undefined;
}

export function readSigningOptions(args: ParsedArgs, env: Environment): SigningOptions {
  const expiresIn = args.string('expires-in');
  const signatureVersion = args.string('signature-version');
  // The command line is checked before the environment: a typo is reported as such.
  return {
    region: (args.string('region') ?? (env[REGION_VARIABLE] || undefined)) as string,
    endpoint: args.string('endpoint'),
    pathStyle: args.boolean('path-style') || undefined,
    cname: args.boolean('cname') || undefined,
    expiresIn: expiresIn === undefined ? undefined : parseDuration(expiresIn, '--expires-in'),
    signatureVersion:
      signatureVersion === undefined
        ? undefined
        : parseChoice(signatureVersion, '--signature-version', ['v4', 'v1'] as const),
    credentials: requireCredentials(env),
  };
}
