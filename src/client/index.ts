export type {
  MultipartResult,
  MultipartStepRequest,
  PostForm,
  SignedRequest,
  UploadError,
  UploadFileOptions,
  UploadMultipartOptions,
  UploadProgress,
  UploadResult,
} from './types.js';
export { uploadFile } from './upload-file.js';
export { uploadMultipart } from './upload-multipart.js';
