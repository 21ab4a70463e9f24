import { abortError, uploadError } from './errors.js';
import { choosePartSize } from './part-size.js';
import { progressReporter } from './progress.js';
import { uploadResult } from './result.js';
import { send } from './send.js';
import type { MultipartResult, MultipartStepRequest, UploadError, UploadMultipartOptions } from './types.js';
import { xmlValue, xmlValues } from './xml.js';

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 20_000;

/**
 * Uploads `file` in parts through URLs the application's server presigns one step at a time
 * (`presignMultipart`): parts in parallel, each retried on its own, progress over the bytes sent, abort
 * and resume. The browser never holds a credential.
 */
export async function uploadMultipart(file: Blob, options: UploadMultipartOptions): Promise<MultipartResult> {
  const { sign, partSize, concurrency = 4, retries = 3, onProgress, signal, resume, onUploadId } = options;
  if (typeof sign !== 'function')
    throw new TypeError('sign must be a function returning a presigned request');
  if (!(concurrency >= 1 && Number.isInteger(concurrency) && retries >= 0 && Number.isInteger(retries))) {
    throw new RangeError('concurrency must be a whole number >= 1, retries >= 0');
  }
  if (signal?.aborted) throw abortError();
  const total = file.size;
  const size = choosePartSize(total, partSize);
  const count = Math.max(1, Math.ceil(total / size));
  const partOf = (index: number) => file.slice(index * size, (index + 1) * size);
  /** Per part: its ETag once stored (null when CORS hides it), and the bytes sent. */
  const etags: (string | null | undefined)[] = [];
  const sent: number[] = new Array(count).fill(0);
  const report = progressReporter(total, onProgress);
  const progress = () => report(sent.reduce((sum, bytes) => sum + bytes, 0));
  // Ends the parts in flight on abort or on the first part that fails for good.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal?.addEventListener('abort', onAbort);
  const request = async (
    step: MultipartStepRequest,
    body: Blob | null = null,
    onSent?: (loaded: number) => void,
  ) => send(await sign(step), body, stop.signal, onSent);

  let uploadId = resume?.uploadId;
  let stale = false;
  try {
    if (uploadId === undefined) {
      uploadId = xmlValue((await request({ step: 'initiate' })).responseText, 'UploadId');
      if (!uploadId)
        throw uploadError('InvalidResponse', 'InitiateMultipartUpload returned no UploadId', 200);
    } else {
      // ListParts, page by page: a stored part of the expected size is not sent again.
      let marker = 0;
      for (let truncated = true; truncated; ) {
        const step: MultipartStepRequest = { step: 'list', uploadId };
        if (marker) step.partNumberMarker = marker;
        const page = (await request(step)).responseText;
        for (const part of xmlValues(page, 'Part')) {
          const index = Number(xmlValue(part, 'PartNumber')) - 1;
          if (index >= count) stale = true;
          else if (index >= 0 && Number(xmlValue(part, 'Size')) === partOf(index).size) {
            etags[index] = xmlValue(part, 'ETag') ?? null;
            sent[index] = partOf(index).size;
          }
        }
        const next = Number(xmlValue(page, 'NextPartNumberMarker'));
        truncated = xmlValue(page, 'IsTruncated') === 'true' && next > marker;
        marker = next;
      }
    }
    onUploadId?.(uploadId);
    progress();

    const id = uploadId;
    let next = 0;
    let failure: unknown;
    const uploadPart = async (index: number) => {
      for (let attempt = 0; ; attempt++) {
        try {
          const xhr = await request(
            { step: 'part', uploadId: id, partNumber: index + 1 },
            partOf(index),
            (loaded) => {
              sent[index] = loaded;
              progress();
            },
          );
          etags[index] = xhr.getResponseHeader('ETag');
          sent[index] = partOf(index).size;
          return progress();
        } catch (error) {
          sent[index] = 0;
          if (attempt >= retries || !mayPassOnRetry(error) || stop.signal.aborted) throw error;
          await wait(Math.random() * Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** attempt), stop.signal);
        }
      }
    };
    const worker = async () => {
      while (next < count && !stop.signal.aborted) {
        const index = next++;
        if (etags[index] !== undefined) continue;
        await uploadPart(index).catch((error) => {
          failure ??= error;
          stop.abort();
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
    if (failure !== undefined) throw failure;

    const completion = await sign({ step: 'complete', uploadId });
    const completeAll = Object.entries(completion.headers ?? {}).some(
      ([name, value]) => name.toLowerCase() === 'x-oss-complete-all' && value.toLowerCase() === 'yes',
    );
    if (completeAll && stale) {
      throw uploadError(
        'InvalidPart',
        'parts stored beyond the end of this file (a different partSize?) would be assembled by x-oss-complete-all',
        0,
      );
    }
    if (!completeAll && etags.some((etag) => !etag)) {
      throw uploadError(
        'MissingETag',
        "a part's ETag was not readable: the bucket's CORS rule must expose ETag",
        0,
      );
    }
    const parts = etags.map(
      (etag, index) => `<Part><PartNumber>${index + 1}</PartNumber><ETag>${etag}</ETag></Part>`,
    );
    // A Blob without a type, so the browser adds no Content-Type of its own to the XML.
    const body = completeAll
      ? null
      : new Blob([`<CompleteMultipartUpload>${parts.join('')}</CompleteMultipartUpload>`]);
    return { ...uploadResult(await send(completion, body, stop.signal)), uploadId };
  } catch (error) {
    if (signal?.aborted) {
      if (uploadId !== undefined) {
        // Best effort, not cancellable: the upload is gone from OSS before the promise settles.
        const id = uploadId;
        await (async () => send(await sign({ step: 'abort', uploadId: id }), null, undefined))().catch(
          () => {},
        );
      }
      throw abortError();
    }
    throw Object.assign(error as UploadError, { uploadId });
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** A network error, 5xx, throttling, an expired URL (the retry signs a new one) or a failed `sign` call. */
function mayPassOnRetry(error: unknown): boolean {
  const { name, status, code, message } = (error ?? {}) as {
    name?: string;
    status: number;
    code?: string;
    message: string;
  };
  return (
    name !== 'AbortError' &&
    !(
      status >= 400 &&
      status < 500 &&
      status !== 429 &&
      !(code === 'AccessDenied' && /expired/i.test(message))
    )
  );
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(abortError());
      },
      { once: true },
    );
  });
}
