import { OssSignError, quote } from './errors.js';
import { checkPrimitiveInput } from './options/primitive.js';
import { checkProduct, normalizeRegion } from './oss/names.js';
import { signingKeyV4 } from './signer/keys.js';
import { signatureV4 } from './signer/v4.js';

export interface ComputeSignatureV4Options {
  accessKeySecret: string;
  /** The signing day, `yyyymmdd`. */
  date: string;
  region: string;
  /** Default `'oss'`. */
  product?: string | undefined;
}

const DATE = /^\d{8}$/;

/** hex(HMAC-SHA256(signingKey, stringToSign)), with the signing key derived from the secret and scope. */
export function computeSignatureV4(stringToSign: string, options: ComputeSignatureV4Options): string {
  const { accessKeySecret, date, region, product } = checkPrimitiveInput(
    stringToSign,
    options,
    'computeSignatureV4',
  );
  if (typeof date !== 'string' || !DATE.test(date)) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      `date must be the signing day as yyyymmdd (got ${quote(date)})`,
    );
  }
  return signatureV4(
    stringToSign,
    signingKeyV4(accessKeySecret, date, normalizeRegion(region), checkProduct(product)),
  );
}
