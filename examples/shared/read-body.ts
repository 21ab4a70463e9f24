// Request bodies read with a size limit, for the routes whose framework does not limit them itself.
import type { RawCallbackRequest } from 'oss-direct-upload';
import { HttpError } from './errors.js';

/** The JSON routes take a file name and a multipart step: a few hundred bytes. */
export const MAX_JSON_BYTES = 16 * 1024;
/** A callback body is OSS's rendering of your template, a few kB at most. */
export const MAX_CALLBACK_BYTES = 64 * 1024;

/** A body's bytes, at most `limit` of them (a larger body is the client's error, 413). */
export async function readBody(body: AsyncIterable<Uint8Array> | null, limit: number): Promise<Uint8Array> {
  // Stream chunks never live in shared memory, which is all that keeps a Uint8Array from being a BlobPart.
  const chunks: BlobPart[] = [];
  let size = 0;
  for await (const chunk of body ?? []) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, 'BodyTooLarge', `the body must be at most ${limit} bytes`);
    chunks.push(chunk as BlobPart);
  }
  return new Uint8Array(await new Blob(chunks).arrayBuffer());
}

/** A Fetch request's JSON body (Hono, Next.js route handlers); one that is not JSON is the client's error. */
export async function readJson(request: Request): Promise<unknown> {
  const text = new TextDecoder().decode(await readBody(request.body, MAX_JSON_BYTES));
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'InvalidBody', 'the body must be JSON');
  }
}

/** A Fetch request as verifyOssCallback takes it, its body read within the limit. */
export async function readCallback(request: Request): Promise<RawCallbackRequest> {
  return {
    url: request.url,
    headers: request.headers,
    body: await readBody(request.body, MAX_CALLBACK_BYTES),
  };
}
