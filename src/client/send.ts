import { abortError, responseError, uploadError } from './errors.js';
import type { SignedRequest } from './types.js';

/**
 * Sends one request with XMLHttpRequest (fetch cannot report upload progress). Resolves with the finished
 * request for a 2xx status; rejects with OSS's error, a network error, or an AbortError.
 */
export function send(
  request: SignedRequest,
  body: Blob | FormData | null,
  signal: AbortSignal | undefined,
  onProgress?: (loaded: number, total: number) => void,
): Promise<XMLHttpRequest> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const xhr = new XMLHttpRequest();
    xhr.open(request.method, request.url);
    let typed = false;
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      xhr.setRequestHeader(name, value);
      typed ||= name.toLowerCase() === 'content-type';
    }
    // The browser would send a Blob's own type as a Content-Type that was not signed.
    const sent = !typed && body instanceof Blob ? body.slice(0, body.size, '') : body;
    if (onProgress) xhr.upload.onprogress = (event) => onProgress(event.loaded, event.total);
    const abort = () => xhr.abort();
    signal?.addEventListener('abort', abort);
    xhr.onloadend = () => {
      signal?.removeEventListener('abort', abort);
      if (signal?.aborted) reject(abortError());
      else if (xhr.status === 0) {
        reject(
          uploadError('NetworkError', `${request.method} failed without a response (network, or CORS)`, 0),
        );
      } else if (xhr.status >= 300) reject(responseError(xhr));
      else resolve(xhr);
    };
    xhr.send(sent);
  });
}
