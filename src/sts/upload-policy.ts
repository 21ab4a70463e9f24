import { OssSignError } from '../lib/errors.js';
import { checkKeyText, quote, validateBucket } from '../lib/validate.js';
import type { RamPolicy } from './types.js';

/** STS refuses a session policy longer than this. */
const MAX_SESSION_POLICY_LENGTH = 2048;
/** What ali-oss needs for `put`, `multipartUpload` and resumed uploads (initiate and complete are PutObject). */
const UPLOAD_ACTIONS = ['oss:PutObject', 'oss:AbortMultipartUpload', 'oss:ListParts'];
const OSS_ACTION = /^oss:[A-Za-z*?]+$/;

export interface UploadPolicyOptions {
  bucket: string;
  /** Key prefix the credentials may write under, e.g. `'uploads/user-42/'`; no `*` or `?`. */
  prefix: string;
  /** Default `['oss:PutObject', 'oss:AbortMultipartUpload', 'oss:ListParts']`. */
  actions?: string[];
}

/**
 * A session policy that lets temporary credentials act only on keys under `prefix` in `bucket`:
 * resource `acs:oss:*:*:{bucket}/{prefix}*`.
 */
export function createUploadPolicy(options: UploadPolicyOptions): RamPolicy {
  const { bucket, prefix, actions = UPLOAD_ACTIONS } = options ?? ({} as UploadPolicyOptions);
  validateBucket(bucket);
  if (typeof prefix !== 'string' || prefix === '') {
    throw new OssSignError(
      'INVALID_KEY',
      `prefix must be a non-empty string: it is what confines the credentials (got ${quote(prefix)}); to grant a whole bucket, write the RamPolicy yourself`,
    );
  }
  // RAM reads '*' and '?' in a resource as wildcards, which would widen the grant beyond the prefix.
  if (/[*?]/.test(prefix)) {
    throw new OssSignError('INVALID_KEY', `prefix must not contain '*' or '?' (got ${quote(prefix)})`);
  }
  checkKeyText(prefix, 'prefix');
  if (!Array.isArray(actions) || actions.length === 0 || !actions.every((a) => OSS_ACTION.test(a))) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      `actions must be a non-empty array of OSS actions like 'oss:PutObject' (got ${quote(JSON.stringify(actions))})`,
    );
  }
  const policy: RamPolicy = {
    Version: '1',
    Statement: [{ Effect: 'Allow', Action: [...actions], Resource: [`acs:oss:*:*:${bucket}/${prefix}*`] }],
  };
  serializeSessionPolicy(policy, 'the policy for this prefix');
  return policy;
}

/** The session policy as sent to STS: a string goes as given, a `RamPolicy` as compact JSON. */
export function serializeSessionPolicy(policy: unknown, name: string): string {
  let text: string;
  if (typeof policy === 'string') {
    text = policy;
    let parsed: unknown;
    try {
      parsed = JSON.parse(policy);
    } catch {
      throw new OssSignError(
        'INVALID_POLICY',
        `${name} must be a JSON RAM policy document: it is not valid JSON`,
      );
    }
    assertPolicyShape(parsed, name);
  } else {
    assertPolicyShape(policy, name);
    text = JSON.stringify(policy);
  }
  if (text.length > MAX_SESSION_POLICY_LENGTH) {
    throw new OssSignError(
      'INVALID_POLICY',
      `${name} is ${text.length} characters of JSON; STS accepts at most ${MAX_SESSION_POLICY_LENGTH}`,
    );
  }
  return text;
}

function assertPolicyShape(policy: unknown, name: string): void {
  const statement = (policy as { Statement?: unknown } | null)?.Statement;
  if (typeof policy !== 'object' || policy === null || !Array.isArray(statement) || statement.length === 0) {
    throw new OssSignError(
      'INVALID_POLICY',
      `${name} must be a RAM policy document: an object with a non-empty Statement array`,
    );
  }
}
