/**
 * This library's own signing functions against the local endpoint, end to end: what they produce is
 * accepted, and narrowing what they allow is enforced. (The endpoint itself is proven against ali-oss,
 * the STS SDK and hand-signed requests in the other files here.)
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createPostPolicy } from '../../../src/create-post-policy.js';
import { presignUrl } from '../../../src/presign-url.js';
import { signRequest } from '../../../src/sign-request.js';
import { createStsCredentialProvider } from '../../../src/sts/provider.js';
import { createUploadPolicy } from '../../../src/sts/upload-policy.js';
import { createLocalOss, type LocalOss } from '../../../src/testing/index.js';
import { aliOss, BUCKET, localTarget, ROLE_ARN, rejection, send } from '../../support/clients.js';

let oss: LocalOss;

beforeAll(async () => {
  oss = await createLocalOss({ roleArn: ROLE_ARN });
});

afterAll(() => oss.close());

function stored(key: string): string | undefined {
  const object = oss.getObject(BUCKET, key);
  return object && Buffer.from(object.body).toString();
}

describe.each(['v4', 'v1'] as const)('signature %s', (signatureVersion) => {
  test('presignUrl: a PUT URL with its headers uploads, a GET URL reads back', async () => {
    const key = `library/${signatureVersion}/presigned ü.txt`;
    const put = presignUrl({
      ...localTarget(oss),
      key,
      method: 'PUT',
      contentType: 'text/plain',
      signatureVersion,
    });
    const uploaded = await send(put.url, { method: 'PUT', headers: put.headers, body: 'presigned' });
    expect(uploaded.status).toBe(200);
    expect(stored(key)).toBe('presigned');
    const get = presignUrl({ ...localTarget(oss), key, signatureVersion });
    const read = await send(get.url, { headers: get.headers });
    expect([read.status, read.body.toString()]).toEqual([200, 'presigned']);
  });

  test('createPostPolicy: the form uploads; a file over its size limit is refused', async () => {
    const post = createPostPolicy({
      ...localTarget(oss),
      keyPrefix: `library/${signatureVersion}/`,
      contentLengthRange: [1, 10],
      contentType: 'text/plain',
      signatureVersion,
    });
    const submit = (key: string, content: string) => {
      const form = new FormData();
      for (const [name, value] of Object.entries({ ...post.fields, key, 'Content-Type': 'text/plain' })) {
        form.append(name, value);
      }
      form.append('file', new Blob([content], { type: 'text/plain' }), 'f.txt');
      return fetch(post.url, { method: 'POST', body: form });
    };
    expect((await submit(`library/${signatureVersion}/form.txt`, 'form')).status).toBe(204);
    expect(stored(`library/${signatureVersion}/form.txt`)).toBe('form');
    const tooLarge = await submit(`library/${signatureVersion}/large.txt`, 'more than ten bytes');
    expect(tooLarge.status).toBe(400);
    expect(stored(`library/${signatureVersion}/large.txt`)).toBeUndefined();
  });

  test('signRequest: a header-signed PUT is accepted', async () => {
    const key = `library/${signatureVersion}/signed.txt`;
    const { headers } = signRequest({
      ...localTarget(oss),
      method: 'PUT',
      key,
      headers: { 'Content-Type': 'text/plain' },
      signatureVersion,
    });
    const response = await send(`${oss.url}/${BUCKET}/${key}`, { method: 'PUT', headers, body: 'signed' });
    expect(response.status).toBe(200);
    expect(stored(key)).toBe('signed');
  });
});

test('createStsCredentialProvider: credentials from the local STS endpoint upload only under the prefix', async () => {
  const provider = createStsCredentialProvider({
    roleArn: ROLE_ARN,
    endpoint: oss.stsEndpoint,
    credentials: oss.credentials,
    policy: createUploadPolicy({ bucket: BUCKET, prefix: 'library/sts/' }),
  });
  const credentials = await provider.getCredentials();
  expect(await provider.getCredentials()).toEqual(credentials);
  const client = aliOss(credentials, { endpoint: oss.url, authorizationV4: true });
  await client.put('library/sts/provided.txt', Buffer.from('provided'));
  expect(stored('library/sts/provided.txt')).toBe('provided');
  const outside = await rejection(client.put('library/elsewhere.txt', Buffer.from('x')));
  expect([outside.status, outside.code]).toEqual([403, 'AccessDenied']);
});
