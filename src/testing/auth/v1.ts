import { LATEST_TIME_MS } from '../../oss/time.js';
import { RequestHeaders } from '../../signer/request-headers.js';
import { signV1 } from '../../signer/v1.js';
import { accessDenied, invalidArgument } from '../errors.js';
import type { LocalOssState, OssRequest, Principal } from '../state.js';
import {
  checkClockSkew,
  checkUrlValidity,
  lookUpAccessKey,
  sameSignature,
  signatureMismatch,
} from './principal.js';

export function verifyHeaderV1(state: LocalOssState, request: OssRequest, authorization: string): Principal {
  const idAndSignature = authorization.slice('OSS '.length);
  const colon = idAndSignature.indexOf(':');
  if (colon <= 0)
    throw invalidArgument('Authorization header is invalid: expected "OSS AccessKeyId:Signature".');
  const accessKeyId = idAndSignature.slice(0, colon);
  const provided = idAndSignature.slice(colon + 1);
  // Browsers cannot set Date, so ali-oss sends x-oss-date alone and signs it in the Date line.
  const date = request.headers.date ?? request.headers['x-oss-date'];
  const requestTime = date === undefined ? Number.NaN : Date.parse(date);
  if (date === undefined || Number.isNaN(requestTime)) {
    throw accessDenied('OSS authentication requires a valid Date or x-oss-date header.');
  }
  checkClockSkew(state, requestTime, date);
  return checkSignature(state, request, {
    accessKeyId,
    token: request.headers['x-oss-security-token'],
    date,
    provided,
  });
}

export function verifyPresignedV1(state: LocalOssState, request: OssRequest): Principal {
  const { query } = request;
  const accessKeyId = query.OSSAccessKeyId;
  const expires = query.Expires ?? '';
  const provided = query.Signature ?? '';
  if (!accessKeyId || !/^\d{1,12}$/.test(expires) || Number(expires) * 1000 > LATEST_TIME_MS) {
    throw invalidArgument('A V1 presigned URL needs OSSAccessKeyId, Expires (Unix seconds) and Signature.');
  }
  checkUrlValidity(state, Number(expires) * 1000);
  const signedQuery: Record<string, string | null> = Object.create(null);
  for (const [name, value] of Object.entries(query)) {
    if (name !== 'OSSAccessKeyId' && name !== 'Expires' && name !== 'Signature') signedQuery[name] = value;
  }
  return checkSignature(
    state,
    { ...request, query: signedQuery },
    { accessKeyId, token: query['security-token'], date: expires, provided },
  );
}

/** Recomputes what OSS signs in V1 (header or URL auth, by `date`) and compares it with what was sent. */
function checkSignature(
  state: LocalOssState,
  request: OssRequest,
  signed: { accessKeyId: string; token: string | null | undefined; date: string; provided: string },
): Principal {
  const { credentials, principal } = lookUpAccessKey(state, signed.accessKeyId, signed.token);
  const { stringToSign, signature } = signV1(
    {
      method: request.method,
      headers: RequestHeaders.fromRecord(request.headers),
      date: signed.date,
      bucket: request.bucket,
      key: request.key,
      query: Object.entries(request.query),
      subResources: undefined,
    },
    credentials.v1Key,
  );
  if (!sameSignature(signature, signed.provided))
    throw signatureMismatch(signed.accessKeyId, signed.provided, stringToSign);
  return principal;
}
