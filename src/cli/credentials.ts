import { type OssCredentials, OssSignError } from '../index.js';

export type Environment = Readonly<Record<string, string | undefined>>;

/** The variables of `@alicloud/credentials`' environment provider, which the examples use too. */
export const ACCESS_KEY_ID = 'ALIBABA_CLOUD_ACCESS_KEY_ID';
export const ACCESS_KEY_SECRET = 'ALIBABA_CLOUD_ACCESS_KEY_SECRET';
export const SECURITY_TOKEN = 'ALIBABA_CLOUD_SECURITY_TOKEN';

/**
 * The keys in the environment, or `undefined` when none is set. An empty variable counts as unset; one of
 * the pair without the other is an error (naming the variables, never showing a value).
 */
export function credentialsFromEnvironment(env: Environment): OssCredentials | undefined {
  const accessKeyId = env[ACCESS_KEY_ID] || undefined;
  const accessKeySecret = env[ACCESS_KEY_SECRET] || undefined;
  const securityToken = env[SECURITY_TOKEN] || undefined;
  if (accessKeyId === undefined && accessKeySecret === undefined && securityToken === undefined) {
    return undefined;
  }
  if (accessKeyId === undefined || accessKeySecret === undefined) {
    const missing = accessKeyId === undefined ? ACCESS_KEY_ID : ACCESS_KEY_SECRET;
    throw new OssSignError(
      'MISSING_CREDENTIALS',
      `${missing} is not set: set both ${ACCESS_KEY_ID} and ${ACCESS_KEY_SECRET} (and ${SECURITY_TOKEN} for STS credentials)`,
    );
  }
  return securityToken === undefined
    ? { accessKeyId, accessKeySecret }
    : { accessKeyId, accessKeySecret, securityToken };
}

/** The keys that sign a URL or a form: they must be in the environment. */
export function requireCredentials(env: Environment): OssCredentials {
  const credentials = credentialsFromEnvironment(env);
  if (credentials === undefined) {
    throw new OssSignError(
      'MISSING_CREDENTIALS',
      `set ${ACCESS_KEY_ID} and ${ACCESS_KEY_SECRET} (and ${SECURITY_TOKEN} for STS credentials) to the keys that sign`,
    );
  }
  return credentials;
}
