import { OssSignError } from '../errors.js';
import { quote } from '../quote.js';

/** The options of computeSignatureV1 / V4, read once: own enumerable properties only. */
export interface PrimitiveInput {
  accessKeySecret: string;
  date: unknown;
  region: unknown;
  product: unknown;
}

/** The primitives' own inputs, checked so that misuse fails as an OssSignError, not deep in the crypto. */
export function checkPrimitiveInput(stringToSign: unknown, options: unknown, fn: string): PrimitiveInput {
  if (typeof stringToSign !== 'string')
    throw new OssSignError('INVALID_ARGUMENT', `stringToSign must be a string (got ${quote(stringToSign)})`);
  if (typeof options !== 'object' || options === null) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      `${fn} takes (stringToSign, options) (got options ${quote(options)})`,
    );
  }
  const given = new Map(Object.entries(options));
  const secret = given.get('accessKeySecret');
  if (typeof secret !== 'string' || secret === '') {
    throw new OssSignError('MISSING_CREDENTIALS', 'options.accessKeySecret must be a non-empty string');
  }
  // As for credentials: a .env line break signs fine here and fails with 403 at OSS.
  if (secret.trim() !== secret) {
    throw new OssSignError(
      'INVALID_CREDENTIALS',
      'options.accessKeySecret has leading or trailing whitespace: check for a stray line break',
    );
  }
  return {
    accessKeySecret: secret,
    date: given.get('date'),
    region: given.get('region'),
    product: given.get('product'),
  };
}
