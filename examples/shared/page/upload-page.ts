// The page every example serves: one section per upload method, each asking the example's server for what
// it needs (its routes are the same in every framework), then sending the file straight to OSS.
import OSS from 'ali-oss/dist/aliyun-oss-sdk.min.js';
import {
  type MultipartStepRequest,
  type UploadResult,
  uploadFile,
  uploadMultipart,
} from 'oss-direct-upload/client';
import type { CallbackReply, StsUploadGrant } from '../uploads.js';
import { aliOssOptions } from './ali-oss-options.js';

/** ali-oss refreshes on a timer: sooner than the server's MIN_VALIDITY_SECONDS (900 s), so never late. */
const REFRESH_INTERVAL_MS = 600_000;

/** Where an upload was stored, and OSS's answer (the callback route's reply, when it had a callback). */
interface Stored {
  key: string;
  result?: UploadResult;
}

type Upload = (file: File, onProgress: (fraction: number) => void) => Promise<Stored>;

interface Method {
  id: string;
  title: string;
  about: string;
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
      // No upload callback here: the SDK, not the server, would write it.
      const { name } = await client.multipartUpload(`${grant.prefix}${file.name}`, file, {
        mime: file.type || 'application/octet-stream',
        progress: onProgress,
      });
      return { key: name };
    },
  },
  {
    id: 'post',
    title: 'POST policy form',
    about: 'A signed PostObject policy: any name under your prefix, up to the size the server allows.',
    upload: async (file, onProgress) => {
      const form = await postJson<{ url: string; fields: Record<string, string> }>('/api/post-policy');
      const result = await uploadFile(file, form, { onProgress: fractionOf(onProgress) });
      // OSS fills in the key's ${filename} with the file's name.
      return { key: (form.fields.key ?? '').replaceAll('${filename}', file.name), result };
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
      const result = await uploadFile(file, signed, { onProgress: fractionOf(onProgress) });
      return { key: signed.key, result };
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
      const result = await uploadMultipart(file, { sign, onProgress: fractionOf(onProgress) });
      return { key, result };
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
      const { key, result } = await method.upload(file, (fraction) => {
        progress.value = fraction;
      });
      section.dataset.key = key;
      show('done', `Stored ${key}.${result ? confirmation(result) : ''}`);
    } catch (error) {
      const { code, message } = error as { code?: string; message?: string };
      show('error', `Failed: ${code ?? 'Error'}: ${message ?? String(error)}`);
    } finally {
      button.disabled = false;
    }
  });
  return section;
}

/** What OSS relayed from the server's callback route, when the upload had a callback. */
function confirmation({ body, callbackFailed }: UploadResult): string {
  if (callbackFailed) return ' OSS could not confirm it to the server (the callback failed: 203).';
  const reply = callbackReply(body);
  return reply ? ` The server confirmed it: ${reply.upload.size} bytes, ETag ${reply.upload.etag}.` : '';
}

/** The callback route's JSON reply; without a callback OSS answers with nothing, or XML. */
function callbackReply(body: string): CallbackReply | undefined {
  try {
    const value = JSON.parse(body) as Partial<CallbackReply> | null;
    return value?.received === true ? (value as CallbackReply) : undefined;
  } catch {
    return undefined;
  }
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
