import { OssSignError } from '../errors.js';
import { ownProperties } from '../options/own-properties.js';
import { checkBucket, checkKeyText } from '../oss/names.js';
import { quote } from '../quote.js';
import { serializeSessionPolicy } from './session-policy.js';
import type { RamPolicy, UploadPolicyOptions } from './types.js';

/** What ali-oss needs for `put`, `multipartUpload` and resumed uploads (initiate and complete are PutObject). */
const UPLOAD_ACTIONS = ['oss:PutObject', 'oss:AbortMultipartUpload', 'oss:ListParts'];
const OSS_ACTION = /^oss:[A-Za-z*?]+$/;
const OPTIONS: ReadonlySet<string> = new Set(['bucket', 'prefix', 'actions']);

/**
 * A session policy that lets temporary credentials act only on keys under `prefix` in `bucket`:
 * resource `acs:oss:*:*:{bucket}/{prefix}*`.
 */
export function createUploadPolicy(options: UploadPolicyOptions): RamPolicy {
  const {
    bucket,
    prefix,
    actions = UPLOAD_ACTIONS,
  } = ownProperties(options, 'createUploadPolicy options', 'INVALID_ARGUMENT', OPTIONS);
  const bucketName = checkBucket(bucket);
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
  const policy: RamPolicy = {
    Version: '1',
    Statement: [
      { Effect: 'Allow', Action: checkActions(actions), Resource: [`acs:oss:*:*:${bucketName}/${prefix}*`] },
    ],
  };
  serializeSessionPolicy(policy, 'the policy for this prefix');
  return policy;
}

/** Each action takes at least 8 characters of JSON: more than this many cannot fit STS's 2048. */
const MAX_ACTIONS = 256;

/** A copy of `actions`, each element read once; holes, non-strings and other services are refused. */
function checkActions(actions: unknown): string[] {
  const rule = "actions must be a non-empty array of OSS actions like 'oss:PutObject'";
  let items: unknown[] | undefined;
  try {
    // The length first: copying a huge sparse array would allocate all of it.
    if (Array.isArray(actions) && actions.length > MAX_ACTIONS) {
      throw new OssSignError(
        'INVALID_POLICY',
        `actions has ${actions.length} entries: the policy cannot fit STS's 2048 characters`,
      );
    }
    items = Array.isArray(actions) ? Array.from(actions) : undefined;
  } catch (cause) {
    if (cause instanceof OssSignError) throw cause;
    throw new OssSignError('INVALID_ARGUMENT', 'actions could not be read: reading it threw', { cause });
  }
  if (!items || items.length === 0)
    throw new OssSignError('INVALID_ARGUMENT', `${rule} (got ${quote(actions)})`);
  return items.map((action, i) => {
    if (typeof action !== 'string' || !OSS_ACTION.test(action)) {
      throw new OssSignError('INVALID_ARGUMENT', `${rule}: actions[${i}] is ${quote(action)}`);
    }
    return action;
  });
}
