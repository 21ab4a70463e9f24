import { checkPrimitiveInput } from './options/primitive.js';
import { signatureV1 } from './signer/v1.js';

export interface ComputeSignatureV1Options {
  accessKeySecret: string;
}

/** base64(HMAC-SHA1(accessKeySecret, stringToSign)): the V1 signature of a request, URL or POST policy. */
export function computeSignatureV1(stringToSign: string, options: ComputeSignatureV1Options): string {
  const { accessKeySecret } = checkPrimitiveInput(stringToSign, options, 'computeSignatureV1');
  return signatureV1(stringToSign, accessKeySecret);
}
