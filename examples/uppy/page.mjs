// The page: Uppy with @uppy/aws-s3, every request signed by the app server (no credential in the browser).

import AwsS3 from '@uppy/aws-s3';
import Uppy from '@uppy/core';

const MiB = 1024 * 1024;

async function post(path, body) {
  const response = await fetch(path, { method: 'POST', body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return response.json();
}

// Uppy sends the file's type when it starts a multipart upload but does not pass it to signRequest, and
// OSS signs Content-Type: remember each file's type under the key Uppy proposes for it.
const types = new Map();

export const uppy = new Uppy().use(AwsS3, {
  shouldUseMultipart: (file) => file.size > 10 * MiB,
  generateObjectKey: (file) => {
    const key = `${crypto.randomUUID()}-${file.name}`;
    types.set(key, file.type || 'application/octet-stream');
    return key;
  },
  signRequest: (request) =>
    post('/api/uppy/sign', { ...request, contentType: request.contentType ?? types.get(request.key) }),
});

const input = document.querySelector('input[type=file]');
const progress = document.querySelector('progress');
const output = document.querySelector('output');
const list = document.querySelector('ul');
uppy.on('progress', (percent) => {
  progress.value = percent;
});
uppy.on('upload-success', (file, response) => {
  const item = list.appendChild(document.createElement('li'));
  item.dataset.key = response.body.key;
  item.textContent = `${file.name} -> ${response.body.key}`;
});
input.addEventListener('change', async () => {
  for (const file of input.files) uppy.addFile({ name: file.name, type: file.type, data: file });
  const result = await uppy.upload();
  output.textContent = result?.failed?.length ? `failed: ${result.failed[0].error}` : 'done';
});
