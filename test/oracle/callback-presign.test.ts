/**
 * The `callback` option of a presigned URL against ali-oss, which builds the callback parameters itself
 * (`signatureUrl(name, { callback })`, V1): given ali-oss's own `callback` value as a string, with its
 * `callback-var` in the query, presignUrl writes the same URL, byte for byte in every parameter.
 */
import { describe, expect, it } from 'vitest';
import { presignUrl } from '../../src/index.js';
import { aliOssClient } from './ali-oss.js';
import { expectSameParams, paramValue, parseUrl, useFakeDate } from './support.js';

const setDate = useFakeDate();
const credentials = { accessKeyId: 'LTAI5tOracleCallback', accessKeySecret: 'oracle-callback-secret' };
const now = new Date('2026-02-03T04:05:06.000Z');

const cases = [
  { url: 'https://app.example.com/oss-callback?id=1&sig=a+b', body: 'object=${object}&size=${size}' },
  {
    url: 'http://203.0.113.7:8080/cb',
    body: '{"object":${object},"uid":${x:uid},"name":${x:name}}',
    contentType: 'application/json',
    host: 'app.example.com',
    customValue: { uid: '42', name: '张三 & co' },
  },
];

describe('presignUrl with a callback vs ali-oss signatureUrl', () => {
  it.each(cases)('%j', (callback) => {
    setDate(now);
    const client = aliOssClient({ credentials, bucket: 'examplebucket', region: 'oss-cn-hangzhou' });
    const theirs = parseUrl(client.signatureUrl('photos/a b.png', { method: 'PUT', expires: 600, callback }));
    const callbackVar = paramValue(theirs.params, 'callback-var');
    const ours = presignUrl({
      signatureVersion: 'v1',
      bucket: 'examplebucket',
      region: 'cn-hangzhou',
      credentials,
      key: 'photos/a b.png',
      method: 'PUT',
      expiresIn: 600,
      now,
      callback: paramValue(theirs.params, 'callback') as string,
      ...(callbackVar !== undefined && { query: { 'callback-var': callbackVar } }),
    });
    const got = parseUrl(ours.url);
    expectSameParams(got.params, theirs.params);
    expect(got.origin).toBe(theirs.origin);
    expect(paramValue(got.params, 'Signature')).toBeDefined();
    expect(callbackVar === undefined).toBe(callback.customValue === undefined);
  });
});
