// Where the examples upload to, from environment variables: real OSS when the five required ones are set,
// the local endpoint when none is. Plain JavaScript so that examples/demo and examples/sts, which run on
// plain Node against the built package, read the same names as the framework examples.

/** Real OSS needs all of these; with none of them set, an example starts a local endpoint. */
export const REQUIRED_VARIABLES = [
  'OSS_REGION',
  'OSS_BUCKET',
  'ALIBABA_CLOUD_ACCESS_KEY_ID',
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  'ALIBABA_CLOUD_ROLE_ARN',
];

/**
 * The target the variables describe, or `undefined` when none of the required ones is set. Throws when
 * only some are: an example half-configured for real OSS must not fall back to the local endpoint.
 */
export function readOssEnvironment(env = process.env) {
  const given = REQUIRED_VARIABLES.filter((name) => env[name]);
  if (given.length === 0) return undefined;
  if (given.length < REQUIRED_VARIABLES.length) {
    const missing = REQUIRED_VARIABLES.filter((name) => !env[name]);
    throw new Error(`To use real OSS, also set ${missing.join(', ')} (or unset ${given.join(', ')}).`);
  }
  return {
    bucket: env.OSS_BUCKET,
    region: env.OSS_REGION,
    // Optional base URLs: an internal or accelerate OSS endpoint, a VPC STS endpoint, or a local endpoint.
    endpoint: env.OSS_ENDPOINT || undefined,
    credentials: {
      accessKeyId: env.ALIBABA_CLOUD_ACCESS_KEY_ID,
      accessKeySecret: env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
    },
    sts: { roleArn: env.ALIBABA_CLOUD_ROLE_ARN, endpoint: env.STS_ENDPOINT || undefined },
  };
}

/**
 * The variables that describe `target`: how a launcher hands a local endpoint it started to handlers that
 * only read the environment (Next.js route handlers, a Function Compute handler).
 */
export function ossEnvironmentOf(target) {
  return {
    OSS_REGION: target.region,
    OSS_BUCKET: target.bucket,
    ALIBABA_CLOUD_ACCESS_KEY_ID: target.credentials.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: target.credentials.accessKeySecret,
    ALIBABA_CLOUD_ROLE_ARN: target.sts.roleArn,
    ...(target.endpoint && { OSS_ENDPOINT: target.endpoint }),
    ...(target.sts.endpoint && { STS_ENDPOINT: target.sts.endpoint }),
  };
}
