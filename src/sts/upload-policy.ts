import { OssSignError } from '../errors.js';
import { checkKeyText, validateBucket } from '../lib/validate.js';
import { describeValue } from './describe.js';
import { readOwnOptions } from './own-options.js';
import { serializeSessionPolicy } from './session-policy.js';
import type { RamPolicy, UploadPolicyOptions } from './types.js';

/** What ali-oss needs for `put`, `multipartUpload` and resumed uploads (initiate and complete are PutObject). */
const UPLOAD_ACTIONS = ['oss:PutObject', 'oss:AbortMultipartUpload', 'oss:ListParts'];
const OSS_ACTION = /^oss:[A-Za-z*?]+$/;
const OPTIONS = ['bucket', 'prefix', 'actions'] as const;

/**
 * A session policy that lets temporary credentials act only on keys under `prefix` in `bucket`:
 * resource `acs:oss:*:*:{bucket}/{prefix}*`.
 */
export function createUploadPolicy(options: UploadPolicyOptions): RamPolicy {
  const { bucket, prefix, actions = UPLOAD_ACTIONS } = readOwnOptions(options, OPTIONS, 'createUploadPolicy');
  if (typeof bucket !== 'string') {
    throw new OssSignError('INVALID_BUCKET', `bucket must be a string (got ${describeValue(bucket)})`);
  }
  validateBucket(bucket);
  if (typeof prefix !== 'string' || prefix === '') {
    throw new OssSignError(
      'INVALID_KEY',
      `prefix must be a non-empty string: it is what confines the credentials (got ${describeValue(prefix)}); to grant a whole bucket, write the RamPolicy yourself`,
    );
  }
  // RAM reads '*' and '?' in a resource as wildcards, which would widen the grant beyond the prefix.
  if (/[*?]/.test(prefix)) {
    throw new OssSignError(
      'INVALID_KEY',
      `prefix must not contain '*' or '?' (got ${describeValue(prefix)})`,
    );
  }
  checkKeyText(prefix, 'prefix');
  const policy: RamPolicy = {
    Version: '1',
    Statement: [
      { Effect: 'Allow', Action: checkActions(actions), Resource: [`acs:oss:*:*:${bucket}/${prefix}*`] },
    ],
  };
  serializeSessionPolicy(policy, 'the policy for this prefix');
  return policy;
}

/** A copy of `actions`, each element read once; holes, non-strings and other services are refused. */
function checkActions(actions: unknown): string[] {
  const rule = "actions must be a non-empty array of OSS actions like 'oss:PutObject'";
  if (!Array.isArray(actions) || actions.length === 0) {
    throw new OssSignError('INVALID_ARGUMENT', `${rule} (got ${describeValue(actions)})`);
  }
  // Each action takes at least 8 characters of JSON: more than this many cannot fit STS's 2048.
  if (actions.length > 256) {
    throw new OssSignError(
      'INVALID_POLICY',
      `actions has ${actions.length} entries: the policy cannot fit STS's 2048 characters`,
    );
  }
  const copy: string[] = [];
  for (let i = 0; i < actions.length; i++) {
    const action: unknown = actions[i];
    if (typeof action !== 'string' || !OSS_ACTION.test(action)) {
      throw new OssSignError('INVALID_ARGUMENT', `${rule}: actions[${i}] is ${describeValue(action)}`);
    }
    copy.push(action);
  }
  return copy;
}
