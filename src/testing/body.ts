import type { IncomingMessage } from 'node:http';
import type { ServiceError } from './errors.js';

/** The most body an operation accepts, and what it answers to more. */
export interface BodyLimit {
  max: number;
  tooLarge: () => ServiceError;
}

/**
 * The request body, refused as soon as its Content-Length or the bytes received pass `limit.max`. A
 * refused body is still read to its end and dropped, never kept, so that a keep-alive client that is
 * still sending sees an answer rather than a reset connection. `inviteBody` answers `100 Continue` to a client
 * waiting for it, once the declared size is within the limit.
 */
export function readBody(
  req: IncomingMessage,
  limit: BodyLimit,
  inviteBody?: (() => void) | undefined,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit.max) {
      req.resume();
      reject(limit.tooLarge());
      return;
    }
    // `Expect: 100-continue`: the client sends the body once told to, and only a body that may fit is.
    inviteBody?.();
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limit.max) {
        chunks.push(chunk);
        return;
      }
      chunks.length = 0;
      req.off('data', onData);
      req.resume();
      reject(limit.tooLarge());
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    // The client went away before the end: nobody is left to answer.
    req.once('error', reject);
    req.once('close', () =>
      reject(new Error('The client closed the connection before the end of the body.')),
    );
  });
}
