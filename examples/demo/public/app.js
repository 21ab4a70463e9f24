// The demo page: uploads a file straight to OSS by each of the three methods. The app server only signs.
/* global OSS */

const config = await getJson('/api/config');

/** What a browser reports when it blocks a response, without saying why. */
const NETWORK_HINT = "(network error, or the bucket's CORS rules do not allow this origin)";
const methodNames = { sts: 'STS + ali-oss', post: 'PostObject', presign: 'presigned PUT' };
const uploaders = {
  sts: uploadWithStsCredentials,
  post: uploadWithPostPolicy,
  presign: uploadWithPresignedUrl,
};

/** 1. Temporary credentials from the server; ali-oss does the multipart upload and refreshes them. */
async function uploadWithStsCredentials(file, { key, onProgress }) {
  const fetchCredentials = async () => {
    const { accessKeyId, accessKeySecret, securityToken } = await postJson('/api/sts-credentials', {});
    return { accessKeyId, accessKeySecret, stsToken: securityToken };
  };
  const client = new OSS({
    ...config.aliOss,
    ...(await fetchCredentials()),
    refreshSTSToken: fetchCredentials,
    // ali-oss refreshes on this timer, not on expiry: below the server's minValiditySeconds (900 s).
    refreshSTSTokenInterval: 5 * 60 * 1000,
  });
  const objectKey = key || `${config.prefix}${file.name}`;
  try {
    await client.multipartUpload(objectKey, file, {
      partSize: config.partSize,
      mime: file.type || undefined,
      progress: (fraction) => onProgress(fraction),
    });
  } catch (error) {
    // ali-oss has already read OSS's XML error into `code` and `message`; status -1: no response.
    const message = error.status === -1 ? `${error.message} ${NETWORK_HINT}` : error.message;
    throw uploadError(error.code || error.name, message, error.status);
  }
  return objectKey;
}

/** 2. A signed POST policy; the browser posts a multipart form with the file as the last field. */
async function uploadWithPostPolicy(file, { onProgress }) {
  const { url, fields } = await postJson('/api/post-policy', {});
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', file);
  // XMLHttpRequest, unlike fetch, reports upload progress.
  const response = await sendWithProgress('POST', url, form, onProgress);
  if (response.status !== 201) throw ossError(response.status, response.text);
  // With success_action_status 201, OSS answers with the key it stored: the key field with ${filename}
  // replaced by the file name as the browser sent it.
  return xmlText(response.text, 'PostResponse > Key');
}

/** 3. A presigned PUT URL, sent with fetch and exactly the headers the server returned. */
async function uploadWithPresignedUrl(file, { onProgress }) {
  const { key, url, method, headers } = await postJson('/api/presigned-url', {
    name: file.name,
    type: file.type,
  });
  onProgress(undefined);
  let response;
  try {
    response = await fetch(url, { method, headers, body: file });
  } catch (error) {
    throw uploadError('NetworkError', `${error.message} ${NETWORK_HINT}`);
  }
  if (!response.ok) throw ossError(response.status, await response.text());
  return key;
}

function sendWithProgress(method, url, body, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(method, url);
    request.upload.onprogress = (event) =>
      onProgress(event.lengthComputable ? event.loaded / event.total : undefined);
    request.onload = () => resolve({ status: request.status, text: request.responseText });
    request.onerror = () => reject(uploadError('NetworkError', `the request failed ${NETWORK_HINT}`));
    request.send(body);
  });
}

/** An error from OSS's XML body: `<Error><Code>…</Code><Message>…</Message>…</Error>`. */
function ossError(status, text) {
  const code = xmlText(text, 'Error > Code') ?? `HTTP${status}`;
  return uploadError(code, xmlText(text, 'Error > Message') ?? text.slice(0, 200), status);
}

function xmlText(text, selector) {
  return new DOMParser().parseFromString(text, 'application/xml').querySelector(selector)?.textContent;
}

function uploadError(code, message, status) {
  return Object.assign(new Error(message), { code, status });
}

async function getJson(path) {
  return readJson(await fetch(path));
}

async function postJson(path, body) {
  return readJson(
    await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
}

async function readJson(response) {
  const value = await response.json();
  if (!response.ok) throw uploadError(value.code, value.message, response.status);
  return value;
}

// --- the page ---

async function upload(section) {
  const method = section.dataset.method;
  const file = section.querySelector('input[type=file]').files[0];
  const progress = section.querySelector('progress');
  const button = section.querySelector('button');
  if (!file) {
    setStatus(section, 'error', 'Choose a file first.');
    return;
  }
  // One upload at a time per section: a second click would race the first.
  button.disabled = true;
  progress.value = 0;
  setStatus(section, 'uploading', `Uploading ${file.name} (${formatBytes(file.size)})…`);
  try {
    const key = await uploaders[method](file, {
      key: section.querySelector('input[name=key]')?.value.trim(),
      onProgress: (fraction) => {
        // No fraction (fetch): an indeterminate bar.
        if (fraction === undefined) progress.removeAttribute('value');
        else progress.value = fraction;
      },
    });
    progress.value = 1;
    const stored = await postJson('/api/uploads', { key, method });
    section.dataset.key = stored.key;
    setStatus(section, 'done', `Stored ${stored.key} (${formatBytes(stored.size)}, ${stored.contentType}).`);
    await showUploads();
  } catch (error) {
    progress.value = 0;
    section.dataset.code = error.code;
    setStatus(section, 'error', `Refused: ${error.code}: ${error.message}`);
  } finally {
    button.disabled = false;
  }
}

function setStatus(section, state, text) {
  section.dataset.state = state;
  section.querySelector('.status').textContent = text;
}

async function showUploads() {
  const uploads = await getJson('/api/uploads');
  const rows = uploads.map((upload) => {
    const row = document.createElement('tr');
    const link = Object.assign(document.createElement('a'), { href: upload.url, textContent: upload.key });
    const cells = [
      link,
      methodNames[upload.method],
      formatBytes(upload.size),
      upload.contentType ?? '',
      upload.etag ?? '',
    ];
    for (const content of cells) row.insertCell().append(content);
    row.dataset.key = upload.key;
    return row;
  });
  document.querySelector('#uploads tbody').replaceChildren(...rows);
  document.querySelector('#uploads .empty').hidden = rows.length > 0;
}

function formatBytes(size) {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KiB`;
  return `${(size / 1024 / 1024).toFixed(1)} MiB`;
}

for (const element of document.querySelectorAll('.prefix')) element.textContent = config.prefix;
for (const element of document.querySelectorAll('.max-size'))
  element.textContent = formatBytes(config.maxUploadBytes);
for (const element of document.querySelectorAll('.part-size'))
  element.textContent = formatBytes(config.partSize);
document.querySelector('#target').textContent = config.target;
document.querySelector('#bucket').textContent = config.bucket;
for (const section of document.querySelectorAll('section.method')) {
  section.querySelector('button').addEventListener('click', () => upload(section));
}
await showUploads();
document.body.dataset.ready = 'true';
