// Where node:crypto is missing, or has no MD5 (Web Crypto runtimes, a FIPS build of OpenSSL),
// verifyOssCallback fails with UNSUPPORTED_RUNTIME, not a TypeError or a module that fails to load.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { base64, rsaKey, signCallback } from '../../support/callback.js';

const key = rsaKey();
const body = 'object=a.jpg';
const request = {
  url: '/cb',
  headers: {
    authorization: signCallback(key.privateKey, '/cb', body),
    'x-oss-pub-key-url': base64('https://gosspublic.alicdn.com/callback_pub_key_v1.pem'),
  },
  body,
};

/** verifyOssCallback loaded afresh, with node:crypto replaced by `factory`. */
async function verifyWith(factory: () => Promise<Partial<typeof import('node:crypto')>> | never) {
  vi.resetModules();
  vi.doMock('node:crypto', factory);
  const { verifyOssCallback } = await import('../../../src/callback/verify-oss-callback.js');
  return verifyOssCallback;
}

describe('a runtime without RSA/MD5', () => {
  afterEach(() => {
    vi.doUnmock('node:crypto');
    vi.resetModules();
  });

  it('no node:crypto at all -> UNSUPPORTED_RUNTIME (the module itself loads)', async () => {
    const verifyOssCallback = await verifyWith(() => {
      throw new Error('No such built-in module: node:crypto');
    });
    await expect(verifyOssCallback(request)).rejects.toMatchObject({
      name: 'OssSignError',
      code: 'UNSUPPORTED_RUNTIME',
      message: expect.stringContaining('MD5'),
    });
    await expect(verifyOssCallback(request, { publicKey: key.publicKey })).rejects.toMatchObject({
      code: 'UNSUPPORTED_RUNTIME',
    });
  });

  it('node:crypto without MD5 -> UNSUPPORTED_RUNTIME', async () => {
    const verifyOssCallback = await verifyWith(async () => {
      const actual = await vi.importActual<typeof import('node:crypto')>('node:crypto');
      return {
        ...actual,
        verify: () => {
          throw Object.assign(new Error('error:0308010C:digital envelope routines::unsupported'), {
            code: 'ERR_OSSL_EVP_UNSUPPORTED',
          });
        },
      };
    });
    await expect(verifyOssCallback(request, { publicKey: key.publicKey })).rejects.toMatchObject({
      code: 'UNSUPPORTED_RUNTIME',
    });
  });

  it('the real node:crypto verifies (the mocks above are what fails)', async () => {
    vi.resetModules();
    const { verifyOssCallback } = await import('../../../src/callback/verify-oss-callback.js');
    expect((await verifyOssCallback(request, { publicKey: key.publicKey })).body).toBe(body);
  });
});
