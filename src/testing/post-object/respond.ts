import { checkHeaderText } from '../headers.js';
import { objectLocation } from '../objects.js';
import type { OssResponse } from '../state.js';
import { xmlResponse } from '../xml.js';

/** Checked before the file is stored: the redirect becomes a Location header. */
export function checkSuccessFields(fields: ReadonlyMap<string, string>): void {
  const redirect = fields.get('success_action_redirect');
  if (redirect !== undefined) checkHeaderText('success_action_redirect', redirect);
}

/** What a stored form upload answers: a redirect, or `success_action_status` (default 204). */
export function successResponse(
  fields: ReadonlyMap<string, string>,
  object: { bucket: string; key: string; etag: string; host: string },
): OssResponse {
  const { bucket, key, etag } = object;
  const redirect = fields.get('success_action_redirect');
  if (redirect) {
    const query = new URLSearchParams({ bucket, key, etag });
    return {
      status: 303,
      headers: { etag, location: `${redirect}${redirect.includes('?') ? '&' : '?'}${query}` },
    };
  }
  const status = Number(fields.get('success_action_status'));
  if (status === 200) return { status, headers: { etag } };
  if (status !== 201) return { status: 204, headers: { etag } };
  return xmlResponse(
    status,
    'PostResponse',
    [
      ['Bucket', bucket],
      ['Location', objectLocation(object.host, { bucket, key })],
      ['Key', key],
      ['ETag', etag],
    ],
    { etag },
  );
}
