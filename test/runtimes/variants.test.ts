// The web build swaps three files for their `.web.ts` siblings (tsup.web.config.ts): each sibling must
// export what the file it replaces exports, typed alike, or a caller would be compiled against one and run
// against the other. Checked by `tsc` (npm run typecheck); the byte-level sameness is the runtimes' tests.
import { expectTypeOf, it } from 'vitest';
import type * as NodeCallbackCrypto from '../../src/callback/node-crypto.js';
import type * as WebCallbackCrypto from '../../src/callback/node-crypto.web.js';
import type * as NodeCrypto from '../../src/signer/crypto.js';
import type * as WebCrypto from '../../src/signer/crypto.web.js';
import type * as NodeProvider from '../../src/sts/provider.js';
import type * as WebProvider from '../../src/sts/provider.web.js';

it('src/signer/crypto.web.ts: the same functions; HmacKey is each file’s own opaque key', () => {
  expectTypeOf<keyof typeof WebCrypto>().toEqualTypeOf<keyof typeof NodeCrypto>();
  expectTypeOf<typeof WebCrypto.sha256Hex>().toEqualTypeOf<typeof NodeCrypto.sha256Hex>();
  expectTypeOf<typeof WebCrypto.base64Utf8>().toEqualTypeOf<typeof NodeCrypto.base64Utf8>();
  expectTypeOf<typeof WebCrypto.hmacKey>().parameters.toEqualTypeOf<Parameters<typeof NodeCrypto.hmacKey>>();
  expectTypeOf<typeof WebCrypto.hmacSha1Base64>().returns.toEqualTypeOf<string>();
  expectTypeOf<typeof WebCrypto.hmacSha256Hex>().returns.toEqualTypeOf<string>();
  expectTypeOf<typeof WebCrypto.deriveSha256Key>().returns.toEqualTypeOf<WebCrypto.HmacKey>();
});

it('src/callback/node-crypto.web.ts and src/sts/provider.web.ts: the same exports, the same types', () => {
  expectTypeOf<typeof WebCallbackCrypto>().toEqualTypeOf<typeof NodeCallbackCrypto>();
  expectTypeOf<typeof WebProvider>().toEqualTypeOf<typeof NodeProvider>();
});
