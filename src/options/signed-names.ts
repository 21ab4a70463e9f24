import { OssSignError } from '../errors.js';
import { quote } from '../quote.js';
import type { SignatureVersion } from '../types.js';

/**
 * `additionalHeaders` / `subResources`: a list of names, never a lone string iterated by character. A copy,
 * read once, in which a hole is `undefined` (and so refused) rather than skipped.
 */
function names(value: unknown, name: string): readonly string[] | undefined {
  if (value === undefined) return undefined;
  const list: unknown[] | undefined = Array.isArray(value) ? Array.from(value) : undefined;
  if (list === undefined || !list.every((n) => typeof n === 'string' && n !== '')) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      `${name} must be an array of non-empty names (got ${quote(value)})`,
    );
  }
  return list as string[];
}

/**
 * The extra names to sign: `additionalHeaders` with V4 only (V1 signs no other header, and silently
 * leaving one unsigned would be a trap), `subResources` with either (V4 signs every parameter anyway).
 */
export function resolveSignedNames(
  additionalHeaders: unknown,
  subResources: unknown,
  version: SignatureVersion,
): { additionalHeaders: readonly string[] | undefined; subResources: readonly string[] | undefined } {
  const headers = names(additionalHeaders, 'additionalHeaders');
  if (version === 'v1' && headers !== undefined && headers.length > 0) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      'additionalHeaders needs signature V4: V1 signs only Content-Type, Content-MD5 and x-oss-* headers',
    );
  }
  return { additionalHeaders: headers, subResources: names(subResources, 'subResources') };
}

export function resolveSignatureVersion(
  version: unknown,
  fallback: SignatureVersion = 'v4',
): SignatureVersion {
  if (version === undefined) return fallback;
  if (version !== 'v4' && version !== 'v1') {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      `signatureVersion must be 'v4' or 'v1' (got ${quote(version)})`,
    );
  }
  return version;
}
