import { OssSignError } from '../errors.js';
import type { SigningCredentials } from '../signer/keys.js';
import type { SignatureVersion } from '../types.js';
import { resolveCredentials } from './credentials.js';
import { type Location, resolveLocation } from './location.js';
import { CONFIG_OPTIONS, type RawOptions } from './read.js';
import { resolveSignatureVersion } from './signed-names.js';

/** What every signature of a request is made of: the request, validated, and how to sign it. */
export interface SigningContext<Request> {
  version: SignatureVersion;
  request: Request;
  /** Required by V4 (checked), optional with V1. */
  region: string | undefined;
  product: string;
  /** V4: other headers to sign. */
  additionalHeaders: readonly string[] | undefined;
  /** V1: other query names to sign. */
  subResources: readonly string[] | undefined;
}

/** What a bound signer fixes once and every call of a pure function resolves anew. */
export interface SigningConfig {
  location: Location;
  credentials: SigningCredentials;
  /** The version used when a call names none. */
  signatureVersion: SignatureVersion;
}

export function resolveConfig(raw: RawOptions): SigningConfig {
  return {
    location: resolveLocation(raw),
    credentials: resolveCredentials(raw.credentials),
    signatureVersion: resolveSignatureVersion(raw.signatureVersion),
  };
}

/** A bound signer's call may not change what its configuration fixed: that would sign for another bucket. */
export function refuseConfigOptions(raw: RawOptions, fn: string): void {
  for (const name of CONFIG_OPTIONS) {
    if (raw[name as keyof RawOptions] !== undefined) {
      throw new OssSignError(
        'INVALID_ARGUMENT',
        `${fn} of a signer from createSigner takes no ${name}: the signer's configuration sets it (create another signer for another ${name})`,
      );
    }
  }
}
