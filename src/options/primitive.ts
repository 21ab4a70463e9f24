import { OssSignError, quote } from '../errors.js';

/** The primitives' own inputs, checked so that misuse fails as an OssSignError, not deep in the crypto. */
export function checkPrimitiveInput<T extends { accessKeySecret: string }>(
  stringToSign: unknown,
  options: T,
  fn: string,
): T {
  if (typeof stringToSign !== 'string')
    throw new OssSignError('INVALID_ARGUMENT', `stringToSign must be a string (got ${quote(stringToSign)})`);
  if (typeof options !== 'object' || options === null) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      `${fn} takes (stringToSign, options) (got options ${quote(options)})`,
    );
  }
  const secret = Object.hasOwn(options, 'accessKeySecret') ? options.accessKeySecret : undefined;
  if (typeof secret !== 'string' || secret === '') {
    throw new OssSignError('MISSING_CREDENTIALS', 'options.accessKeySecret must be a non-empty string');
  }
  return options;
}
