import { createHash } from 'node:crypto';
import { crc64 } from './crc64.js';
import { type ImageInfo, imageInfo } from './image-info.js';

/** An object just stored by an upload that asked for a callback. */
export interface StoredUpload {
  operation: 'PutObject' | 'PostObject' | 'CompleteMultipartUpload';
  bucket: string;
  key: string;
  /** As the response's ETag header gives it, quoted. */
  etag: string;
  body: Buffer;
  contentType: string;
  /** Of the upload request. */
  clientIp: string;
  requestId: string;
}

/**
 * The value of each `${name}` of the body template for this upload, `undefined` where OSS has none: the
 * image variables of an object that is not an image, the Content-MD5 of a multipart object, the VPC of a
 * request that did not come through one. Computed on first use only.
 */
export function callbackVariables(
  upload: StoredUpload,
  vars: Readonly<Record<string, string>>,
): (name: string) => string | undefined {
  let image: ImageInfo | undefined;
  let imageRead = false;
  const imageOf = (): ImageInfo | undefined => {
    if (!imageRead) image = imageInfo(upload.body);
    imageRead = true;
    return image;
  };
  return (name) => {
    if (name.startsWith('x:')) return Object.hasOwn(vars, name) ? vars[name] : undefined;
    switch (name) {
      case 'bucket':
        return upload.bucket;
      case 'object':
        return upload.key;
      case 'etag':
        return upload.etag.replaceAll('"', '');
      case 'size':
        return String(upload.body.length);
      case 'mimeType':
        return upload.contentType;
      case 'imageInfo.height': {
        const info = imageOf();
        return info && String(info.height);
      }
      case 'imageInfo.width': {
        const info = imageOf();
        return info && String(info.width);
      }
      case 'imageInfo.format':
        return imageOf()?.format;
      case 'crc64':
        return crc64(upload.body);
      case 'contentMd5':
        return upload.operation === 'CompleteMultipartUpload'
          ? undefined
          : createHash('md5').update(upload.body).digest('base64');
      case 'clientIp':
        return upload.clientIp;
      case 'reqId':
        return upload.requestId;
      case 'operation':
        return upload.operation;
    }
    return undefined; // vpcId: the local endpoint is not reached through a VPC
  };
}
