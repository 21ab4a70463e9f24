import { OssSignError } from './errors.js';
import { checkPrimitiveInput } from './options/primitive.js';
import { checkProduct, normalizeRegion } from './oss/names.js';
import { EARLIEST_TIME_MS, parseIsoBasic } from './oss/time.js';
import { quote } from './quote.js';
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

/** hex(HMAC-SHA256(signingKey, stringToSign)), with the signing key derived from the secret and scope. */
export function computeSignatureV4(stringToSign: string, options: ComputeSignatureV4Options): string {
  const { accessKeySecret, date, region, product } = checkPrimitiveInput(
    stringToSign,
    options,
    'computeSignatureV4',
  );
  // A day of the years OSS's dates can carry, as x-oss-date writes it.
  const day = typeof date === 'string' ? parseIsoBasic(`${date}T000000Z`) : undefined;
  if (day === undefined || day < EARLIEST_TIME_MS) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      `date must be the signing day as yyyymmdd, 19700101..99991231 (got ${quote(date)})`,
    );
  }
  return signatureV4(
    stringToSign,
    signingKeyV4(accessKeySecret, date as string, normalizeRegion(region), checkProduct(product)),
  );
}
