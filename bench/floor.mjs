// The floor: the raw node:crypto work a presigned URL cannot avoid, done the cheapest way node:crypto
// offers. V1: one HMAC-SHA1 of the string to sign. V4: one SHA-256 of the canonical request (one-shot
// `crypto.hash`) and one HMAC-SHA256 with the day's signing key (derived once a day, so not per call).
// HMAC keys are prepared KeyObjects. The strings are built before timing, one per key of the ring, at a
// fixed time, with the minimal signer's builders; the bench checks that each floor signature is the one
// the library puts in its URL for that key and time, so the floor hashes exactly what a URL signs.

import { createHmac } from 'node:crypto';
import {
  isoBasic,
  presignedCanonicalRequestV4,
  secretKeyV1,
  sha256Hex,
  signingKeyV4,
  stringToSignHeadV4,
  stringToSignV1,
} from './minimal-signer.mjs';

/**
 * The floor task of one presigned-URL case (`bucket`, `region`, `credentials`, `method`, `contentType`,
 * `expiresIn`, `signatureVersion`) over `keys`, signed at `now`.
 */
export function floorTask(signedCase, keys, now) {
  const { credentials, region, signatureVersion } = signedCase;
  if (signatureVersion === 'v1') {
    const expires = Math.floor(now.getTime() / 1000) + signedCase.expiresIn;
    return {
      setup:
        ({ createHmac, secretKey }) =>
        (stringToSign) =>
          createHmac('sha1', secretKey).update(stringToSign).digest('base64'),
      deps: { createHmac, secretKey: secretKeyV1(credentials) },
      inputs: keys.map((key) => stringToSignV1({ ...signedCase, key, expires })),
    };
  }
  const datetime = isoBasic(now);
  return {
    setup:
      ({ createHmac, sha256Hex, signingKey, head }) =>
      (canonicalRequest) =>
        createHmac('sha256', signingKey)
          .update(`${head}${sha256Hex(canonicalRequest)}`)
          .digest('hex'),
    deps: {
      createHmac,
      sha256Hex,
      signingKey: signingKeyV4(credentials, datetime.slice(0, 8), region),
      head: stringToSignHeadV4(datetime, region),
    },
    inputs: keys.map((key) => presignedCanonicalRequestV4({ ...signedCase, key }, datetime)),
  };
}
