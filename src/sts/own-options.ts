import { OssSignError } from '../errors.js';
import { describeValue } from './describe.js';

const isOwnEnumerable = Object.prototype.propertyIsEnumerable;

/**
 * The options `names` that `options` has as own enumerable properties, each read exactly once; inherited
 * properties (a polluted `Object.prototype`) are ignored. An exception from the caller's own getter passes
 * through unchanged.
 */
export function readOwnOptions<Name extends string>(
  options: unknown,
  names: readonly Name[],
  fn: string,
): Partial<Record<Name, unknown>> {
  if (typeof options !== 'object' || options === null) {
    throw new OssSignError(
      'INVALID_ARGUMENT',
      `${fn} takes an options object (got ${describeValue(options)})`,
    );
  }
  const read: Partial<Record<Name, unknown>> = {};
  for (const name of names) {
    if (isOwnEnumerable.call(options, name)) read[name] = (options as Record<Name, unknown>)[name];
  }
  return read;
}
