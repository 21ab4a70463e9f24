import { progressReporter } from './progress.js';
import { uploadResult } from './result.js';
import { send } from './send.js';
import type { PostForm, SignedRequest, UploadFileOptions, UploadResult } from './types.js';

/**
 * Uploads `file` in one request: a PUT to a presigned URL (`presignUrl`'s result), or the PostObject form
 * of a POST policy (`createPostPolicy`'s result) with the fields in order and the file last.
 */
export async function uploadFile(
  file: Blob,
  target: SignedRequest | PostForm,
  options: UploadFileOptions = {},
): Promise<UploadResult> {
  const { key, onProgress, signal } = options;
  const total = file.size;
  const report = progressReporter(total, onProgress);
  let request: SignedRequest = target as SignedRequest;
  let body: Blob | FormData = file;
  if ('fields' in target) {
    const form = new FormData();
    let keyed = key === undefined;
    for (const [name, value] of Object.entries(target.fields)) {
      const isKey = name.toLowerCase() === 'key';
      form.append(name, isKey && key !== undefined ? key : value);
      keyed ||= isKey;
    }
    if (!keyed) form.append('key', key as string);
    form.append('file', file);
    request = { url: target.url, method: 'POST' };
    body = form;
  }
  // The form's own bytes count too: progress is scaled to the file.
  const xhr = await send(request, body, signal, (loaded, size) =>
    report(size && Math.round((loaded / size) * total)),
  );
  report(total);
  return uploadResult(xhr);
}
