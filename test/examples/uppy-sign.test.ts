// The Uppy example's glue: each request Uppy 6 sends to `signRequest` becomes the right presigned step, for
// a key under the prefix only.
import { describe, expect, it } from 'vitest';
import { signUppyRequest } from '../../examples/uppy/sign-uppy-request.mjs';
import { presignMultipart, presignUrl } from '../../src/index.js';

const options = {
  prefix: 'uploads/',
  bucket: 'examplebucket',
  region: 'cn-hangzhou',
  credentials: { accessKeyId: 'LTAI-id', accessKeySecret: 'secret' },
};
const sign = (request: Parameters<typeof signUppyRequest>[2]) =>
  signUppyRequest({ presignMultipart, presignUrl }, options, request);
const query = (url: string) =>
  [...new URL(url).searchParams.keys()].filter((name) => !name.startsWith('x-oss-')).join('&');

describe('signUppyRequest', () => {
  it.each([
    [{ method: 'PUT', key: 'a.txt', contentType: 'text/plain' }, 'PUT', ''],
    [{ method: 'POST', key: 'a.mp4', contentType: 'video/mp4' }, 'POST', 'uploads'],
    [{ method: 'PUT', key: 'uploads/a.mp4', uploadId: 'ID', partNumber: 2 }, 'PUT', 'partNumber&uploadId'],
    [{ method: 'POST', key: 'uploads/a.mp4', uploadId: 'ID' }, 'POST', 'uploadId'],
    [{ method: 'DELETE', key: 'uploads/a.mp4', uploadId: 'ID' }, 'DELETE', 'uploadId'],
    [{ method: 'GET', key: 'uploads/a.mp4', uploadId: 'ID' }, 'GET', 'uploadId'],
  ])('%j -> %s ?%s', (request, method, names) => {
    const signed = sign(request);
    expect(signed.method).toBe(method);
    expect(query(signed.url)).toBe(names);
  });

  it('puts a new object under the prefix, keeping the last segment of the proposed name, and says so', () => {
    expect(sign({ method: 'POST', key: '../../etc/passwd', contentType: 'text/plain' })).toMatchObject({
      key: 'uploads/passwd',
      headers: { 'Content-Type': 'text/plain' },
    });
  });

  it.each([
    [{ method: 'PUT', key: 'private/a.mp4', uploadId: 'ID', partNumber: 1 }],
    [{ method: 'DELETE', key: 'uploads/a.mp4' }],
    [{ method: 'GET', key: 'uploads/a.mp4' }],
    [{ method: 'PATCH', key: 'uploads/a.mp4', uploadId: 'ID' }],
  ])('refuses %j', (request) => {
    expect(() => sign(request)).toThrow(/refused to sign/);
  });
});
