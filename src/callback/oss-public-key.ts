/**
 * The key OSS signs callbacks with, as served at {@link OSS_PUBLIC_KEY_URL} (RSA, 512 bits). Bundled so
 * that verifying OSS's callbacks needs no network. It verifies the signatures of real OSS callbacks
 * (the OSS API reference's example and the `callback-verify-*` conformance vectors).
 */
export const OSS_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAKs/JBGzwUB2aVht4crBx3oIPBLNsjGs
C0fTXv+nvlmklvkcolvpvXLTjaxUHR3W9LXxQ2EHXAJfCB+6H2YF1k8CAwEAAQ==
-----END PUBLIC KEY-----
`;

/** Where OSS says its key is (`x-oss-pub-key-url`, base64); OSS also sends the `http:` form of it. */
export const OSS_PUBLIC_KEY_URL = 'https://gosspublic.alicdn.com/callback_pub_key_v1.pem';

/** The key URLs fetched by default: OSS's own host, over https. */
export const DEFAULT_ALLOWED_KEY_URLS: readonly string[] = ['https://gosspublic.alicdn.com/'];
