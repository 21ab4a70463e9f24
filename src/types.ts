/** Long-term or STS credentials. Never logged, never copied into a result. */
export interface OssCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  /** STS security token: added to what is signed and sent. */
  securityToken?: string | undefined;
  /** STS expiry: a URL or policy that would outlive it is refused. */
  expiration?: string | Date | undefined;
}

/** Where the object lives and how its URL is addressed. */
export interface OssLocation {
  bucket: string;
  /** `'cn-hangzhou'`; `'oss-cn-hangzhou'` is accepted and normalised. With CloudBox, the CloudBox id. */
  region: string;
  /**
   * Custom base URL: an internal or accelerate endpoint (`'https://oss-cn-hangzhou-internal.aliyuncs.com'`),
   * a CNAME (`'https://files.example.com'` with `cname: true`) or a local endpoint
   * (`'http://127.0.0.1:9000'` with `pathStyle: true`). A bare host means https.
   */
  endpoint?: string | undefined;
  /** The endpoint is the bucket's own domain: the bucket is not added to the host. */
  cname?: boolean | undefined;
  /** Address the bucket in the path (`endpoint/bucket/key`) instead of the host. */
  pathStyle?: boolean | undefined;
  /** V4 signing product: `'oss'` (default) or `'oss-cloudbox'`. */
  product?: string | undefined;
}

/** `'v4'` (default, OSS4-HMAC-SHA256) or `'v1'` (HMAC-SHA1). */
export type SignatureVersion = 'v4' | 'v1';
