// The glue between Uppy 6's @uppy/aws-s3 and this library: Uppy asks its `signRequest` for one S3-style
// request at a time ({ method, key, uploadId?, partNumber?, contentType? }); each maps to one
// presignMultipart step, or to presignUrl for a file small enough for a single PUT.

/** Uppy's method (with an uploadId) -> the multipart step. */
const STEPS = { PUT: 'part', POST: 'complete', DELETE: 'abort', GET: 'list' };

/**
 * Signs one Uppy request. `sign` holds the library's presignMultipart and presignUrl; `options` is where
 * uploads go (bucket, region, endpoint..., credentials) and the `prefix` the browser may write under.
 * Throws for a request the browser should not get signed.
 */
export function signUppyRequest(sign, options, request) {
  const { prefix, ...location } = options;
  const { method, uploadId, partNumber, contentType } = request;
  const signing = { ...location, expiresIn: 600 };
  if (uploadId === undefined) {
    // A new object: the server chooses its key (under the prefix) and tells Uppy.
    const key = `${prefix}${safeName(request.key)}`;
    if (method === 'PUT') return { ...sign.presignUrl({ ...signing, key, method, contentType }), key };
    if (method === 'POST')
      return { ...sign.presignMultipart({ ...signing, key, step: 'initiate', contentType }), key };
  } else if (typeof request.key === 'string' && request.key.startsWith(prefix) && STEPS[method]) {
    return sign.presignMultipart({ ...signing, key: request.key, step: STEPS[method], uploadId, partNumber });
  }
  throw Object.assign(new Error(`refused to sign ${method} for ${JSON.stringify(request.key)}`), {
    status: 400,
  });
}

/** The last path segment of a browser-supplied name, without control characters. */
function safeName(name) {
  const base = String(name ?? '')
    .split(/[/\\]/)
    .pop()
    .replace(/\p{Cc}/gu, '')
    .trim();
  return base === '' || base === '.' || base === '..' ? 'file' : base;
}
