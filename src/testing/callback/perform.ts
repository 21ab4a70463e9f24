import { fillBodyTemplate } from '../../oss/callback.js';
import type { LocalOssState, OssRequest, OssResponse } from '../state.js';
import { xmlResponse } from '../xml.js';
import type { UploadCallback } from './read.js';
import { sendCallback } from './send.js';
import { callbackVariables, type StoredUpload } from './variables.js';

/**
 * The answer to an upload that asked for a callback, once its object is stored: the body template
 * filled in and POSTed to each callback URL in turn until one succeeds. The uploader then gets the
 * application's JSON reply (200, with the object's ETag), or 203 CallbackFailed: stored, not confirmed.
 */
export async function performCallback(
  state: LocalOssState,
  callback: UploadCallback,
  request: OssRequest,
  stored: Omit<StoredUpload, 'clientIp' | 'requestId'>,
): Promise<OssResponse> {
  const { config } = callback;
  const variable = callbackVariables(
    { ...stored, clientIp: request.clientIp, requestId: request.requestId },
    callback.vars,
  );
  const body = Buffer.from(fillBodyTemplate(config.body, config.bodyType, variable));
  let failure = '';
  for (const url of config.urls) {
    const reply = await sendCallback(state.callbackKey, url, config, body);
    if (reply.ok) {
      return {
        status: 200,
        headers: { etag: stored.etag, 'content-type': 'application/json' },
        body: reply.body,
      };
    }
    failure = reply.message;
  }
  return xmlResponse(
    203,
    'Error',
    [
      ['Code', 'CallbackFailed'],
      ['Message', failure],
      ['RequestId', request.requestId],
      ['HostId', request.host],
    ],
    { etag: stored.etag },
  );
}
