// The page every example serves: one section per upload method, each asking the example's server for what
// it needs (its routes are the same in every framework), then sending the file straight to OSS.
import OSS from 'ali-oss/dist/aliyun-oss-sdk.min.js';
import { type MultipartStepRequest, uploadFile, uploadMultipart } from 'oss-direct-upload/client';
import type { StsUploadGrant } from '../uploads.js';
import { aliOssOptions } from './ali-oss-options.js';

/** ali-oss refreshes on a timer: sooner than the server's MIN_VALIDITY_SECONDS (900 s), so never late. */
const REFRESH_INTERVAL_MS = 600_000;

type Upload = (file: File, onProgress: (fraction: number) => void) => Promise<string>;

interface Method {
  id: string;
  title: string;
  about: string;
  /** Uploads the file and resolves to the key it was stored under. */
  upload: Upload;
}

const METHODS: Method[] = [
  {
    id: 'sts',
    title: 'STS credentials + ali-oss',
    about: 'Temporary credentials that may only write under your prefix; ali-oss uploads in parts.',
    upload: async (file, onProgress) => {
      const grant = await postJson<StsUploadGrant>('/api/sts-credentials');
      const client = new OSS({
        ...aliOssOptions(grant),
        refreshSTSToken: async () => {
          const next = await postJson<StsUploadGrant>('/api/sts-credentials');
          return {
            accessKeyId: next.accessKeyId,
            accessKeySecret: next.accessKeySecret,
            stsToken: next.securityToken,
          };
        },
        refreshSTSTokenInterval: REFRESH_INTERVAL_MS,
      });
      const { name } = await client.multipartUpload(`${grant.prefix}${file.name}`, file, {
        mime: file.type || 'application/octet-stream',
        progress: onProgress,
      });
      return name;
    },
  },
  {
    id: 'post',
    title: 'POST policy form',
    about: 'A signed PostObject policy: any name under your prefix, up to the size the server allows.',
    upload: async (file, onProgress) => {
      const form = await postJson<{ url: string; fields: Record<string, string> }>('/api/post-policy');
      const { body } = await uploadFile(file, form, { onProgress: fractionOf(onProgress) });
      // With success_action_status 201, OSS answers with the key it stored.
      return new DOMParser().parseFromString(body, 'application/xml').querySelector('Key')?.textContent ?? '';
    },
  },
  {
    id: 'presign',
    title: 'Presigned PUT URL',
    about: "A URL for one request: this file's name and content type, valid 10 minutes.",
    upload: async (file, onProgress) => {
      const signed = await postJson<{
        key: string;
        url: string;
        method: string;
        headers: Record<string, string>;
      }>('/api/presigned-url', { name: file.name, type: file.type });
      await uploadFile(file, signed, { onProgress: fractionOf(onProgress) });
      return signed.key;
    },
  },
  {
    id: 'multipart',
    title: 'Presigned multipart',
    about: 'The server signs each step (start, every part, complete); parts go in parallel, retried alone.',
    upload: async (file, onProgress) => {
      let key = '';
      const sign = async (step: MultipartStepRequest) => {
        const signed = await postJson<{
          key: string;
          url: string;
          method: string;
          headers: Record<string, string>;
        }>('/api/multipart', { name: file.name, type: file.type, ...step });
        key = signed.key;
        return signed;
      };
      await uploadMultipart(file, { sign, onProgress: fractionOf(onProgress) });
      return key;
    },
  },
];

/** Builds the page into `root`: a section per method, each with its file input, button and progress. */
export function mountUploadPage(root: HTMLElement): void {
  root.replaceChildren(
    element('h1', 'Direct upload to OSS'),
    element('p', 'The file goes from this page straight to the bucket; the server only signs.'),
    ...METHODS.map(methodSection),
  );
}

function methodSection(method: Method): HTMLElement {
  const input = Object.assign(document.createElement('input'), { type: 'file' });
  const button = Object.assign(element('button', 'Upload'), { type: 'button' });
  const progress = Object.assign(document.createElement('progress'), { max: 1, value: 0 });
  const status = element('p', '');
  status.setAttribute('role', 'status');
  const section = element('section', '');
  section.id = method.id;
  section.append(element('h2', method.title), element('p', method.about), input, button, progress, status);

  const show = (state: string, text: string) => {
    section.dataset.state = state;
    status.textContent = text;
  };
  button.addEventListener('click', async () => {
    const file = input.files?.[0];
    if (!file) return show('error', 'Choose a file first.');
    // One upload at a time per section: a second click would race the first.
    button.disabled = true;
    progress.value = 0;
    show('uploading', `Uploading ${file.name} (${file.size} bytes)...`);
    try {
      const key = await method.upload(file, (fraction) => {
        progress.value = fraction;
      });
      section.dataset.key = key;
      show('done', `Stored ${key}.`);
    } catch (error) {
      const { code, message } = error as { code?: string; message?: string };
      show('error', `Failed: ${code ?? 'Error'}: ${message ?? String(error)}`);
    } finally {
      button.disabled = false;
    }
  });
  return section;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text: string): HTMLElementTagNameMap[K] {
  return Object.assign(document.createElement(tag), { textContent: text });
}

/** The client reports bytes; the progress bar wants a fraction. */
function fractionOf(onProgress: (fraction: number) => void) {
  return ({ loaded, total }: { loaded: number; total: number }) =>
    onProgress(total === 0 ? 1 : loaded / total);
}

/** POSTs JSON to one of the example's routes; an error answer ({ code, message }) is thrown. */
async function postJson<T>(path: string, body: object = {}): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const value = await response.json();
  if (!response.ok) throw Object.assign(new Error(value.message), { code: value.code });
  return value as T;
}
