import type { CallbackOptions } from './callback/create-callback.js';
import { resolveConfig } from './options/config.js';
import { type PostPolicyContext, resolvePostPolicy } from './options/post-policy.js';
import { ACCEPTED, readOptions } from './options/read.js';
import type { PolicyCondition, PostPolicyDocument } from './oss/post-policy/types.js';
import { toIsoSeconds } from './oss/time.js';
import { signPolicyV1, signPolicyV4 } from './signer/post-policy-fields.js';
import type { OssCredentials, OssLocation, SignatureVersion } from './types.js';

export interface CreatePostPolicyOptions extends OssLocation {
  credentials: OssCredentials;
  /** The exact key; one ending in `${filename}` allows any name after what precedes it. */
  key?: string | undefined;
  /** Allows any key starting with this (the upload's "directory"). */
  keyPrefix?: string | undefined;
  /** Allowed object size in bytes, inclusive. */
  contentLengthRange?: [min: number, max: number] | undefined;
  /** One type, a list of allowed types, or a prefix such as `{ startsWith: 'image/' }`. */
  contentType?: string | string[] | { startsWith: string } | undefined;
  successActionStatus?: 200 | 201 | 204 | undefined;
  successActionRedirect?: string | undefined;
  /** Stored as `x-oss-meta-*` and pinned by the policy. */
  metadata?: Record<string, string> | undefined;
  /** Extra form fields, each pinned by an exact condition (`x:name` fields are callback variables). */
  fields?: Record<string, string> | undefined;
  /** Extra raw conditions. */
  conditions?: PolicyCondition[] | undefined;
  /**
   * An upload callback: options for createCallback, or its base64 `callback` value. Sent as the `callback`
   * form field and one `x:name` field per variable, each pinned by an exact condition.
   */
  callback?: CallbackOptions | string | undefined;
  /** Seconds the form stays valid, default 3600. */
  expiresIn?: number | undefined;
  /** Explicitly allow a policy that does not limit the key. */
  allowAnyKey?: boolean | undefined;
  /** Explicitly allow a policy that does not limit the size. */
  allowAnySize?: boolean | undefined;
  signatureVersion?: SignatureVersion | undefined;
  now?: Date | undefined;
}

export interface PostPolicyResult {
  /** Where the form is POSTed: the bucket's endpoint. */
  url: string;
  /** Append in this order, then the file LAST. */
  fields: Record<string, string>;
  /** The policy as signed, decoded, for logging and tests. */
  policy: PostPolicyDocument;
  expiresAt: Date;
}

/**
 * Everything a browser needs for a PostObject form upload: the URL, the fields (file last) and the policy.
 * Refuses (`UNSAFE_POLICY`) a policy that limits neither key nor size unless explicitly allowed.
 */
export function createPostPolicy(options: CreatePostPolicyOptions): PostPolicyResult {
  const raw = readOptions(options, 'createPostPolicy', ACCEPTED.createPostPolicy);
  return postPolicyContext(resolvePostPolicy(raw, resolveConfig(raw)));
}

/** The form of a resolved context: what createPostPolicy and the bound signer both return. */
export function postPolicyContext(context: PostPolicyContext): PostPolicyResult {
  const { credentials, scope, fields } = context;
  const policy: PostPolicyDocument = {
    expiration: toIsoSeconds(context.expiresAt),
    conditions: context.conditions,
  };
  const text = JSON.stringify(policy);
  const signed = scope
    ? signPolicyV4(text, credentials, context.datetime, scope)
    : signPolicyV1(text, credentials);
  return {
    url: context.url,
    fields: Object.assign(fields, signed.fields),
    policy,
    expiresAt: context.expiresAt,
  };
}
