import { OssSignError } from '../errors.js';
import { checkKeyText, checkOptions, quote, validateBucket } from '../lib/validate.js';
import { serializeSessionPolicy } from './session-policy.js';
import type { RamPolicy } from './types.js';

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
  checkOptions(options, 'createUploadPolicy');
  const { bucket, prefix, actions = UPLOAD_ACTIONS } = options;
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
