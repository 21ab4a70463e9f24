import { OssSignError } from '../../errors.js';
import { utf8FromBase64 } from '../../oss/base64.js';
import { type CallbackConfig, parseCallbackParameter, parseCallbackVar } from '../../oss/callback.js';
import { invalidArgument } from '../errors.js';
import type { OssRequest } from '../state.js';

/** The callback an upload asked for, read and checked before anything is stored. */
export interface UploadCallback {
  config: CallbackConfig;
  /** Custom variables by their `x:name`. */
  vars: Readonly<Record<string, string>>;
}

/**
 * PutObject and CompleteMultipartUpload: `callback` and `callback-var` query parameters, or
 * `x-oss-callback` and `x-oss-callback-var` headers, never both (OSS: InvalidArgument).
 */
export function requestCallback(request: OssRequest): UploadCallback | undefined {
  const { query, headers } = request;
  const inQuery = query.callback !== undefined || query['callback-var'] !== undefined;
  const inHeaders = headers['x-oss-callback'] !== undefined || headers['x-oss-callback-var'] !== undefined;
  if (inQuery && inHeaders) {
    throw invalidArgument('The callback is given both in the URL and in the headers: give it once.', {
      ArgumentName: 'callback',
    });
  }
  const [name, value, varName, vars] = inQuery
    ? ['callback', query.callback, 'callback-var', query['callback-var']]
    : ['x-oss-callback', headers['x-oss-callback'], 'x-oss-callback-var', headers['x-oss-callback-var']];
  if (value === undefined) return undefined;
  return {
    config: checked(name, value ?? '', parseCallbackParameter),
    vars: vars === undefined ? {} : checked(varName, vars ?? '', parseCallbackVar),
  };
}

/** PostObject: the `callback` field; its custom variables are the form's `x:` fields (it has no callback-var). */
export function formCallback(fields: ReadonlyMap<string, string>): UploadCallback | undefined {
  const value = fields.get('callback');
  if (value === undefined) return undefined;
  const vars: Record<string, string> = {};
  for (const [name, field] of fields) if (name.startsWith('x:')) vars[name] = field;
  return { config: checked('callback', value, parseCallbackParameter), vars };
}

/** OSS's rules, answered as OSS answers them: 400 InvalidArgument naming the parameter and its JSON. */
function checked<T>(name: string, value: string, parse: (value: string, argument: string) => T): T {
  try {
    return parse(value, name);
  } catch (error) {
    if (!(error instanceof OssSignError)) throw error;
    throw invalidArgument(error.message, {
      ArgumentName: name,
      ArgumentValue: utf8FromBase64(value) ?? value,
    });
  }
}
