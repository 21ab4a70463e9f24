import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { callbackStringToVerify } from '../../callback/string-to-verify.js';
import { type CallbackConfig, splitCallbackUrl } from '../../oss/callback.js';
import { type CallbackKey, signCallback } from './key.js';

/** OSS waits this long for the application's whole reply, then gives up. */
const TIMEOUT_MS = 5000;
/** The largest reply OSS takes. */
const MAX_REPLY_BYTES = 1024 * 1024;
const CONNECT_FAILED = 'Error status : -1. OSS can not connect to your callbackUrl, please check it.';

/** The application's JSON reply, or why OSS counts the call as failed (the message of its 203). */
export type CallbackReply = { ok: true; body: Buffer } | { ok: false; message: string };

/**
 * One callback request, as OSS sends it: POST of the filled body to one URL of `callbackUrl`, with the
 * Host of `callbackHost`, signed with the endpoint's key (`authorization`, and `x-oss-pub-key-url` naming
 * where the key is). Succeeds only with a 200 whose Content-Length is given and whose body is JSON.
 */
export async function sendCallback(
  key: CallbackKey,
  target: string,
  config: CallbackConfig,
  body: Buffer,
): Promise<CallbackReply> {
  let url: URL;
  try {
    const { scheme = 'http', authority, target: path } = splitCallbackUrl(target);
    url = new URL(`${scheme.toLowerCase()}://${authority}${path.startsWith('/') ? path : `/${path}`}`);
  } catch {
    return { ok: false, message: CONNECT_FAILED };
  }
  const headers = {
    host: config.host ?? url.host,
    'content-type': config.bodyType,
    'content-length': String(body.length),
    authorization: signCallback(key, callbackStringToVerify(url.pathname, url.search, body)),
    'x-oss-pub-key-url': Buffer.from(key.url).toString('base64'),
    'user-agent': 'http-client/0.0.1',
    connection: 'close',
  };
  // Aborted after 5 s, or when the endpoint closes.
  const abort = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, TIMEOUT_MS);
  const stop = () => abort.abort();
  key.closing.signal.addEventListener('abort', stop);
  try {
    const response = await post(url, headers, body, config.sni, abort.signal);
    return await judge(response);
  } catch {
    return {
      ok: false,
      message: timedOut
        ? `Error status : -1 ${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)} reply timeout, cost:${TIMEOUT_MS}ms, timeout:${TIMEOUT_MS}ms.`
        : CONNECT_FAILED,
    };
  } finally {
    clearTimeout(timer);
    key.closing.signal.removeEventListener('abort', stop);
  }
}

function post(
  url: URL,
  headers: Record<string, string>,
  body: Buffer,
  sni: boolean,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const options = { method: 'POST', headers, agent: false as const, signal };
    // OSS sends SNI only when callbackSNI asks for it; an empty servername sends none.
    const request =
      url.protocol === 'https:'
        ? httpsRequest(url, { ...options, servername: sni ? url.hostname : '' }, resolve)
        : httpRequest(url, options, resolve);
    request.on('error', reject);
    request.end(body);
  });
}

/** An abort (timeout, or the endpoint closing) destroys the response, which ends the read below with an error. */
async function judge(response: IncomingMessage): Promise<CallbackReply> {
  const { statusCode = 0 } = response;
  const length = response.headers['content-length'];
  const failed = (message: string): CallbackReply => {
    response.destroy();
    return { ok: false, message };
  };
  if (statusCode !== 200) return failed(`Error status : ${statusCode}.`);
  if (length === undefined) return failed('Error status : 400.User server missing content-length.');
  if (!/^\d+$/.test(length))
    return failed('Error status : 400.User server return invalid content-length value.');
  if (Number(length) > MAX_REPLY_BYTES) {
    return failed('Error status : 400.User server return too long content-length value.');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const reply = Buffer.concat(chunks);
  return isJson(reply)
    ? { ok: true, body: reply }
    : { ok: false, message: 'Response body is not valid json format.' };
}

/** Strict: UTF-8 without a byte order mark (OSS refuses `\ufeff{...}` too), then JSON. */
function isJson(bytes: Buffer): boolean {
  try {
    JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes));
    return true;
  } catch {
    return false;
  }
}
