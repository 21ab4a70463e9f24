import { encodeRfc3986 } from '../oss/encode.js';
import { deriveSha256Key, type HmacKey, hmacKey } from './crypto.js';

/** How many V4 signing days, regions and products one credentials object keeps keys for. */
const MAX_SCOPES = 8;

/**
 * Validated credentials and what is derived from them on first use: the V1 HMAC key, V4 signing keys by
 * scope, the encoded token. One lives exactly as long as the caller's credentials object (see
 * options/credentials.ts), so nothing derived from a secret outlives it.
 */
export class SigningCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** An empty token counts as none. */
  readonly securityToken: string | undefined;
  /** STS expiry in milliseconds since the epoch. */
  readonly expiresAt: number | undefined;
  #v1Key: HmacKey | undefined;
  #encodedToken: string | undefined;
  readonly #scopes: ScopeV4[] = [];

  constructor(accessKeyId: string, accessKeySecret: string, securityToken?: string, expiresAt?: number) {
    this.accessKeyId = accessKeyId;
    this.accessKeySecret = accessKeySecret;
    this.securityToken = securityToken || undefined;
    this.expiresAt = expiresAt;
  }

  get v1Key(): HmacKey {
    this.#v1Key ??= hmacKey(this.accessKeySecret);
    return this.#v1Key;
  }

  /** The security token percent-encoded for a URL (it is hundreds of characters, the same on every call). */
  get encodedToken(): string {
    this.#encodedToken ??= encodeRfc3986(this.securityToken ?? '');
    return this.#encodedToken;
  }

  /** The V4 scope of a signing day, region and product, with its signing key; the most recent kept. */
  scopeV4(date: string, region: string, product: string): ScopeV4 {
    const scopes = this.#scopes;
    const last = scopes[scopes.length - 1];
    if (last !== undefined && last.date === date && last.region === region && last.product === product)
      return last;
    const index = scopes.findIndex((s) => s.date === date && s.region === region && s.product === product);
    const found =
      index < 0 ? createScopeV4(this, date, region, product) : (scopes.splice(index, 1)[0] as ScopeV4);
    if (scopes.length >= MAX_SCOPES) scopes.shift();
    scopes.push(found);
    return found;
  }

  /** Never shows the secret or the token, whoever logs or serialises these credentials. */
  toJSON(): { accessKeyId: string } {
    return { accessKeyId: this.accessKeyId };
  }
}

/** What one V4 signature (header, URL or form) is scoped to, and the key that signs within it. */
export interface ScopeV4 {
  /** `yyyymmdd` */
  readonly date: string;
  readonly region: string;
  readonly product: string;
  /** `yyyymmdd/region/product/aliyun_v4_request` */
  readonly scope: string;
  /** `x-oss-credential`: the AccessKey ID, `/` and the scope. */
  readonly credential: string;
  /** The credential percent-encoded for a URL. */
  readonly encodedCredential: string;
  readonly signingKey: HmacKey;
}

function createScopeV4(
  credentials: SigningCredentials,
  date: string,
  region: string,
  product: string,
): ScopeV4 {
  const scope = `${date}/${region}/${product}/aliyun_v4_request`;
  const credential = `${credentials.accessKeyId}/${scope}`;
  return {
    date,
    region,
    product,
    scope,
    credential,
    encodedCredential: encodeRfc3986(credential),
    signingKey: signingKeyV4(credentials.accessKeySecret, date, region, product),
  };
}

/** HMAC chain `aliyun_v4` + secret → date → region → product → `aliyun_v4_request`. */
export function signingKeyV4(secret: string, date: string, region: string, product: string): HmacKey {
  const dateKey = deriveSha256Key(`aliyun_v4${secret}`, date);
  return deriveSha256Key(deriveSha256Key(deriveSha256Key(dateKey, region), product), 'aliyun_v4_request');
}
