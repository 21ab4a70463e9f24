/** What verifyOssCallback takes and returns, shared by its entry and the verifier it loads lazily. */

export interface VerifyOssCallbackOptions {
  /** A PEM RSA public key that alone verifies callbacks (tests, the local endpoint); no key URL is read. */
  publicKey?: string | undefined;
  /**
   * URL prefixes a key named by `x-oss-pub-key-url` may be fetched from, default
   * `['https://gosspublic.alicdn.com/']`. OSS's own key is bundled and needs no entry.
   */
  allowedKeyUrls?: readonly string[] | undefined;
  /** The path (and query, with a '?') OSS called, when a proxy rewrote it before this server. */
  path?: string | undefined;
  /** How long fetching an allow-listed key may take, default 3000 ms. */
  fetchTimeoutMs?: number | undefined;
}

export interface VerifiedOssCallback {
  /** The body, as OSS sent and signed it (UTF-8). */
  body: string;
  /** The body parsed per its Content-Type: an object for a form, the value for JSON, else `undefined`. */
  params: unknown;
}
