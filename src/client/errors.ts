import type { UploadError } from './types.js';
import { xmlValue } from './xml.js';

export function uploadError(code: string, message: string, status: number, requestId?: string): UploadError {
  return Object.assign(new Error(message), { name: 'UploadError' as const, code, status, requestId });
}

/** OSS's `<Error>` body: its Code, Message and RequestId. */
export function responseError(xhr: XMLHttpRequest): UploadError {
  const body = xhr.responseText;
  const code = xmlValue(body, 'Code');
  return uploadError(
    code ?? 'HttpError',
    xmlValue(body, 'Message') ?? `HTTP ${xhr.status}`,
    xhr.status,
    xmlValue(body, 'RequestId') ?? xhr.getResponseHeader('x-oss-request-id') ?? undefined,
  );
}

export function abortError(): DOMException {
  return new DOMException('The upload was aborted', 'AbortError');
}
