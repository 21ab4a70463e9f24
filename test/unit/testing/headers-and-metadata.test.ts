/**
 * What the endpoint sends back in headers comes from clients (metadata, form fields, response-*
 * overrides): OSS's rules decide what is stored, and what is stored can always be sent, so no request
 * resets the connection. OSS refuses metadata values that are not printable ASCII (EC 0011-00000005)
 * and names other than letters, digits and '-' (EC 0011-00000004); other headers it keeps as sent, and
 * non-ASCII text goes back as its UTF-8 bytes.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type PresignUrlOptions, presignUrl } from '../../../src/presign-url.js';
import { createLocalOss, type LocalOss } from '../../../src/testing/index.js';
import { aliOss, BUCKET, localTarget, postV1Form, rejection, send } from '../../support/clients.js';

let oss: LocalOss;

beforeAll(async () => {
  oss = await createLocalOss();
});

afterAll(() => oss.close());

function signed(options: Omit<PresignUrlOptions, 'credentials' | 'bucket' | 'region' | 'endpoint'>) {
  return presignUrl({ ...localTarget(oss), ...options } as PresignUrlOptions);
}

/** UTF-8 text as the Latin-1 string of its bytes: how Node sends (and receives) a non-ASCII header. */
function utf8Bytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

function textOf(header: string | string[] | undefined): string {
  return Buffer.from(String(header), 'latin1').toString('utf8');
}

describe('metadata (x-oss-meta-*)', () => {
  test('a form whose metadata value is 中文 is refused (EC 0011-00000005), nothing stored', async () => {
    const response = await postV1Form(oss, {
      conditions: [['starts-with', '$key', 'meta/']],
      fields: { key: 'meta/chinese.txt', 'x-oss-meta-name': '中文' },
    });
    expect([response.status, response.code]).toEqual([400, 'InvalidArgument']);
    expect(response.body.toString()).toContain('<EC>0011-00000005</EC>');
    expect(oss.getObject(BUCKET, 'meta/chinese.txt')).toBeUndefined();
  });

  test('a PUT whose metadata value is UTF-8 bytes is refused the same way', async () => {
    const client = aliOss(oss.credentials, { endpoint: oss.url });
    const error = await rejection(
      client.put('meta/put.txt', Buffer.from('x'), { headers: { 'x-oss-meta-name': utf8Bytes('中文') } }),
    );
    expect([error.status, error.code]).toEqual([400, 'InvalidArgument']);
    expect(oss.getObject(BUCKET, 'meta/put.txt')).toBeUndefined();
  });

  test('names other than letters, digits and "-" (EC 0011-00000004), and more than 8 KB (EC 0011-00000002), are refused', async () => {
    const client = aliOss(oss.credentials, { endpoint: oss.url });
    const underscore = await rejection(client.put('meta/a.txt', Buffer.from('x'), { meta: { my_key: 'v' } }));
    expect([underscore.status, underscore.code]).toEqual([400, 'InvalidArgument']);
    const large = await rejection(
      client.put('meta/b.txt', Buffer.from('x'), { meta: { big: 'v'.repeat(8192) } }),
    );
    expect([large.status, large.code]).toEqual([400, 'InvalidArgument']);
    await client.put('meta/c.txt', Buffer.from('x'), { meta: { 'Mixed-Case9': 'printable, ASCII: ok' } });
    expect((await client.head('meta/c.txt')).res.headers['x-oss-meta-mixed-case9']).toBe(
      'printable, ASCII: ok',
    );
  });
});

describe('other stored headers and overrides: any text without control characters', () => {
  const disposition = 'attachment; filename="中文 报告.txt"';

  test('a form field with non-ASCII text is stored as text and sent back as UTF-8', async () => {
    const response = await postV1Form(oss, {
      conditions: [['starts-with', '$key', 'text/']],
      fields: { key: 'text/form.txt', 'Content-Disposition': disposition },
    });
    expect(response.status).toBe(204);
    expect(oss.getObject(BUCKET, 'text/form.txt')?.headers['content-disposition']).toBe(disposition);
    const read = await send(signed({ key: 'text/form.txt' }).url);
    expect(read.status).toBe(200);
    expect(textOf(read.headers['content-disposition'])).toBe(disposition);
    // And a client that is not this test reads it too.
    const head = await aliOss(oss.credentials, { endpoint: oss.url }).head('text/form.txt');
    expect(textOf(head.res.headers['content-disposition'])).toBe(disposition);
  });

  test('a PUT header sent as UTF-8 bytes comes back as the same bytes', async () => {
    const put = signed({ key: 'text/put.txt', method: 'PUT' });
    const headers = { ...put.headers, 'content-disposition': utf8Bytes(disposition) };
    expect((await send(put.url, { method: 'PUT', headers, body: 'x' })).status).toBe(200);
    expect(oss.getObject(BUCKET, 'text/put.txt')?.headers['content-disposition']).toBe(disposition);
    const read = await send(signed({ key: 'text/put.txt' }).url);
    expect(textOf(read.headers['content-disposition'])).toBe(disposition);
  });

  test('a response-content-disposition override with non-ASCII text is sent as UTF-8', async () => {
    await aliOss(oss.credentials, { endpoint: oss.url }).put('text/override.txt', Buffer.from('x'));
    const url = signed({ key: 'text/override.txt', query: { 'response-content-disposition': disposition } });
    const read = await send(url.url);
    expect(read.status).toBe(200);
    expect(textOf(read.headers['content-disposition'])).toBe(disposition);
  });

  test.each([
    { what: 'CR LF', value: 'text/plain\r\nSet-Cookie: a=b' },
    { what: 'a NUL', value: 'text/plain\u0000' },
    { what: 'DEL', value: 'text/plain\u007f' },
  ])('an override with $what is InvalidArgument, not a reset', async ({ value }) => {
    await aliOss(oss.credentials, { endpoint: oss.url }).put('text/control.txt', Buffer.from('x'));
    const read = await send(
      signed({ key: 'text/control.txt', query: { 'response-content-type': value } }).url,
    );
    expect([read.status, read.code]).toEqual([400, 'InvalidArgument']);
  });

  test.each([
    { field: 'Content-Disposition', value: 'attachment\r\nX-Injected: 1' },
    { field: 'success_action_redirect', value: 'http://app.localhost/done\r\nX-Injected: 1' },
    { field: 'Cache-Control', value: 'no-cache\u0000' },
  ])('a form whose $field holds a control character is refused, nothing stored', async ({ field, value }) => {
    const key = `text/${field}.txt`;
    const response = await postV1Form(oss, {
      conditions: [['starts-with', '$key', 'text/']],
      fields: { key, [field]: value },
    });
    expect([response.status, response.code]).toEqual([400, 'InvalidArgument']);
    expect(oss.getObject(BUCKET, key)).toBeUndefined();
  });
});

describe('V1 URLs whose Expires no date can hold', () => {
  test.each([
    { expires: '99999999999999', status: 400 },
    { expires: '253402300800', status: 400 },
    { expires: '1e10', status: 400 },
    { expires: '-1', status: 400 },
    { expires: '', status: 400 },
    { expires: '0', status: 403 },
  ])('Expires=$expires: $status', async ({ expires, status }) => {
    const url = `${oss.url}/${BUCKET}/x.txt?OSSAccessKeyId=${oss.credentials.accessKeyId}&Expires=${expires}&Signature=x`;
    const response = await send(url);
    expect(response.status).toBe(status);
    expect(response.code).toMatch(/^(InvalidArgument|AccessDenied)$/);
  });
});
