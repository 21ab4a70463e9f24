// The part of ali-oss's browser build (a UMD bundle without types) that the page uses.
declare module 'ali-oss/dist/aliyun-oss-sdk.min.js' {
  interface MultipartUploadOptions {
    partSize?: number;
    mime?: string;
    progress?: (fraction: number) => void;
  }
  export default class OSS {
    constructor(options: Record<string, unknown>);
    multipartUpload(name: string, file: Blob, options?: MultipartUploadOptions): Promise<{ name: string }>;
  }
}
