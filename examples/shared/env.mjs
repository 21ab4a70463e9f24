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
    // 'oss-cn-hangzhou', ali-oss's spelling, is 'cn-hangzhou'.
    region: env.OSS_REGION.replace(/^oss-/, ''),
    // Optional base URLs: an internal or accelerate OSS endpoint, a VPC STS endpoint, or a local endpoint.
    endpoint: baseUrl(env.OSS_ENDPOINT),
    credentials: {
      accessKeyId: env.ALIBABA_CLOUD_ACCESS_KEY_ID,
      accessKeySecret: env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
      // Set with the other two when they are temporary: Function Compute sets all three for the function's role.
      securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN || undefined,
    },
    sts: { roleArn: env.ALIBABA_CLOUD_ROLE_ARN, endpoint: baseUrl(env.STS_ENDPOINT) },
    // Upload callbacks need a URL OSS reaches over the internet; without one, uploads carry no callback.
    callback: env.CALLBACK_URL
      ? { url: env.CALLBACK_URL, publicKey: env.CALLBACK_PUBLIC_KEY || undefined }
      : undefined,
  };
}

/** A base URL as given, a bare host meaning https (as the library reads it); unset is `undefined`. */
function baseUrl(value) {
  if (!value) return undefined;
  return value.includes('://') ? value : `https://${value}`;
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
    ...(target.credentials.securityToken && {
      ALIBABA_CLOUD_SECURITY_TOKEN: target.credentials.securityToken,
    }),
    ...(target.endpoint && { OSS_ENDPOINT: target.endpoint }),
    ...(target.sts.endpoint && { STS_ENDPOINT: target.sts.endpoint }),
    ...(target.callback?.url && {
      CALLBACK_URL: target.callback.url,
      ...(target.callback.publicKey && { CALLBACK_PUBLIC_KEY: target.callback.publicKey }),
    }),
  };
}
