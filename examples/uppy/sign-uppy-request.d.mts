// Types of sign-uppy-request.mjs, for the tests.
import type { OssCredentials, PresignedRequest, presignMultipart, presignUrl } from '../../src/index.js';

export declare function signUppyRequest(
  sign: { presignMultipart: typeof presignMultipart; presignUrl: typeof presignUrl },
  options: { prefix: string; bucket: string; region: string; endpoint?: string; credentials: OssCredentials },
  request: { method: string; key: string; uploadId?: string; partNumber?: number; contentType?: string },
): PresignedRequest & { key?: string };
