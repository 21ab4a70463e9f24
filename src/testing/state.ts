import { randomBytes, randomInt } from 'node:crypto';
import type { RamPolicyGrammar } from '../oss/ram-policy.js';
import type { SigningCredentials } from '../signer/keys.js';
import type { CallbackKey } from './callback/key.js';
import type { UploadRegistry } from './uploads.js';

/** An object as stored: its bytes and the headers GetObject answers with (lower-case names). */
export interface StoredObject {
  body: Buffer;
  headers: Record<string, string>;
}

/** The object a request names. */
export interface ObjectTarget {
  bucket: string;
  key: string;
}

/** Temporary credentials issued by the local STS endpoint. */
export interface StsSession {
  credentials: SigningCredentials;
  expiresAt: number;
  policy: RamPolicyGrammar | undefined;
}

/** Everything the endpoint knows; lives as long as the server. */
export interface LocalOssState {
  /** The port to listen on (0: any free one). */
  port: number;
  region: string;
  /** From the role ARN; the account part of the resources a session policy names. */
  accountId: string;
  roleArn: string | undefined;
  /** The server clock, in milliseconds since the epoch. */
  nowMs: () => number;
  /** Long-term credentials by AccessKey ID. */
  keys: ReadonlyMap<string, SigningCredentials>;
  buckets: ReadonlyMap<string, Map<string, StoredObject>>;
  /** The largest object, part or form file it keeps, in bytes. */
  maxObjectSize: number;
  uploads: UploadRegistry;
  /** Issued STS sessions by security token. */
  sessions: Map<string, StsSession>;
  /** ACS3 signature nonces seen, with when they were seen, to refuse replays. */
  nonces: Map<string, number>;
  corsOrigins: readonly string[] | '*';
  /** What upload callbacks are signed with. */
  callbackKey: CallbackKey;
}

/** The request as the handlers see it: routed, decoded, body read. */
export interface OssRequest {
  method: string;
  /** The Host header as received. */
  host: string;
  /** The path as received, still percent-encoded. */
  rawPath: string;
  bucket: string | undefined;
  /** `undefined` for a request on the bucket itself. */
  key: string | undefined;
  /** Decoded, in a record without prototype; a name without `=` has the value `null`. */
  query: Readonly<Record<string, string | null>>;
  /** Lower-case names, in a record without prototype. */
  headers: Readonly<Record<string, string>>;
  body: Buffer;
  /** The uploader's address (`${clientIp}` of a callback). */
  clientIp: string;
  /** The x-oss-request-id of the response (`${reqId}` of a callback). */
  requestId: string;
}

export interface OssResponse {
  status: number;
  /** Values are text: non-ASCII goes out as its UTF-8 bytes. */
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** Who signed the request: a long-term key, or an STS session with its policy. */
export interface Principal {
  accessKeyId: string;
  session?: StsSession;
}

/** Upper-case hex of the given number of random bytes: request ids, upload ids. */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex').toUpperCase();
}

/** Random letters and digits: generated AccessKey IDs and secrets. */
export function randomAlphanumeric(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/** Allowed distance between a signed request's time and the server clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
