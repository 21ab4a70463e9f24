import type { UploadResult } from './types.js';
import { xmlValue } from './xml.js';

/** What a finished upload answered: 203 is OSS's "stored, but the callback failed". */
export function uploadResult(xhr: XMLHttpRequest): UploadResult {
  const body = xhr.responseText;
  const result: UploadResult = { status: xhr.status, body };
  const etag = xhr.getResponseHeader('ETag') ?? xmlValue(body, 'ETag');
  if (etag) result.etag = etag;
  if (xhr.status === 203) result.callbackFailed = true;
  return result;
}
