/**
 * What STS accepts in AssumeRole, shared by the credential provider (which checks before calling STS)
 * and the local STS endpoint of `oss-direct-upload/testing` (which answers as STS would).
 */

/** `acs:ram::<account id>:role/<role name>`; the account id, all digits in real RAM ARNs, is captured. */
export const ROLE_ARN = /^acs:ram::(\d+):role\/\S+$/;
export const SESSION_NAME = /^[A-Za-z0-9.@_-]{2,64}$/;
/** Bounds of DurationSeconds, in seconds; a role's MaxSessionDuration may lower the upper one. */
export const MIN_DURATION_SECONDS = 900;
export const MAX_DURATION_SECONDS = 43_200;
