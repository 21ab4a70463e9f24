import { createHash } from 'node:crypto';
import { MAX_EXPIRES_IN } from '../../options/timing.js';
import { encodeKeyPath } from '../../oss/encode.js';
import { parseIsoBasic } from '../../oss/time.js';
import type { SigningCredentials } from '../../signer/keys.js';
import { RequestHeaders } from '../../signer/request-headers.js';
import { ALGORITHM_V4, canonicalQueryV4, canonicalUriV4, signV4, UNSIGNED_PAYLOAD } from '../../signer/v4.js';
import { accessDenied, invalidArgument, ServiceError } from '../errors.js';
import type { LocalOssState, OssRequest, Principal } from '../state.js';
import {
  checkClockSkew,
  checkUrlValidity,
  lookUpAccessKey,
  sameSignature,
  signatureMismatch,
} from './principal.js';

/** The parts of a V4 credential: `AccessKeyId/yyyymmdd/region/product/aliyun_v4_request`. */
interface CredentialV4 {
  accessKeyId: string;
  date: string;
  product: string;
}

/** Splits a V4 credential and checks its scope against the request date and this endpoint's region. */
export function parseCredentialV4(state: LocalOssState, credential: string, datetime: string): CredentialV4 {
  const [accessKeyId = '', date = '', region = '', product = '', terminator, ...rest] = credential.split('/');
  if (!accessKeyId || terminator !== 'aliyun_v4_request' || rest.length > 0) {
    throw invalidArgument(`Invalid credential: ${credential}`);
  }
  if (date !== datetime.slice(0, 8)) {
    throw accessDenied(`Invalid signing date in credential: ${date} is not the date of ${datetime}.`);
  }
  if (region !== state.region) {
    throw accessDenied(`Invalid signing region in credential: expected ${state.region}, got ${region}.`);
  }
  if (product !== 'oss')
    throw accessDenied(`Invalid signing product in credential: expected oss, got ${product}.`);
  return { accessKeyId, date, product };
}

/** The V4 signing key's scope for credentials that parseCredentialV4 accepted. */
export function scopeOf(state: LocalOssState, credentials: SigningCredentials, credential: CredentialV4) {
  return credentials.scopeV4(credential.date, state.region, credential.product);
}

/** `host;x-custom` as the list of (lower-case) additional header names it is. */
function headerNames(list: string | null | undefined): string[] {
  return (list ?? '')
    .split(';')
    .filter(Boolean)
    .map((name) => name.toLowerCase());
}

/** Recomputes the V4 signature of the request as received and compares it with the one provided. */
function checkSignature(
  state: LocalOssState,
  request: OssRequest,
  signed: {
    credential: CredentialV4;
    credentials: SigningCredentials;
    datetime: string;
    query: Readonly<Record<string, string | null>>;
    additionalHeaders: readonly string[];
    provided: string;
  },
): void {
  const { canonicalRequest, stringToSign, signature } = signV4(
    {
      method: request.method,
      canonicalUri: canonicalUriV4(
        request.bucket,
        request.key === undefined ? undefined : encodeKeyPath(request.key),
      ),
      canonicalQuery: canonicalQueryV4(Object.entries(signed.query)),
      headers: RequestHeaders.fromRecord(request.headers),
      additionalHeaders: signed.additionalHeaders,
    },
    signed.datetime,
    scopeOf(state, signed.credentials, signed.credential),
  );
  if (!sameSignature(signature, signed.provided)) {
    throw signatureMismatch(signed.credential.accessKeyId, signed.provided, stringToSign, canonicalRequest);
  }
}

export function verifyHeaderV4(state: LocalOssState, request: OssRequest, authorization: string): Principal {
  const fields = new Map<string, string>();
  for (const item of authorization.slice(ALGORITHM_V4.length + 1).split(',')) {
    const at = item.indexOf('=');
    if (at > 0) fields.set(item.slice(0, at).trim(), item.slice(at + 1).trim());
  }
  const credentialText = fields.get('Credential');
  const provided = fields.get('Signature');
  if (credentialText === undefined || provided === undefined) {
    throw invalidArgument('Authorization header is invalid: it needs Credential and Signature.');
  }
  const datetime = request.headers['x-oss-date'] ?? '';
  const requestTime = parseIsoBasic(datetime);
  if (requestTime === undefined) {
    throw accessDenied('V4 signed requests need an x-oss-date header in the form 20231216T162057Z.');
  }
  const payloadHash = request.headers['x-oss-content-sha256'];
  if (payloadHash === undefined) {
    throw new ServiceError(
      400,
      'InvalidRequest',
      'Missing required header for this request: x-oss-content-sha256',
    );
  }
  checkClockSkew(state, requestTime, datetime);
  const credential = parseCredentialV4(state, credentialText, datetime);
  const { credentials, principal } = lookUpAccessKey(
    state,
    credential.accessKeyId,
    request.headers['x-oss-security-token'],
  );
  const additionalHeaders = headerNames(fields.get('AdditionalHeaders'));
  checkSignature(state, request, {
    credential,
    credentials,
    datetime,
    query: request.query,
    additionalHeaders,
    provided,
  });
  if (
    payloadHash !== UNSIGNED_PAYLOAD &&
    payloadHash !== createHash('sha256').update(request.body).digest('hex')
  ) {
    throw invalidArgument('The x-oss-content-sha256 you specified did not match what we received.');
  }
  return principal;
}

export function verifyPresignedV4(state: LocalOssState, request: OssRequest): Principal {
  const { query } = request;
  const version = query['x-oss-signature-version'];
  const credentialText = query['x-oss-credential'];
  const datetime = query['x-oss-date'] ?? '';
  const expiresText = query['x-oss-expires'] ?? '';
  const provided = query['x-oss-signature'] ?? '';
  if (version !== ALGORITHM_V4 || !credentialText) {
    throw invalidArgument(
      `A V4 presigned URL needs x-oss-signature-version=${ALGORITHM_V4} and x-oss-credential.`,
    );
  }
  const signedAt = parseIsoBasic(datetime);
  if (signedAt === undefined) throw invalidArgument('x-oss-date must be in the form 20231216T162057Z.');
  const expires = /^\d{1,7}$/.test(expiresText) ? Number(expiresText) : Number.NaN;
  if (!(expires >= 1 && expires <= MAX_EXPIRES_IN)) {
    throw invalidArgument(`x-oss-expires must be a whole number of seconds, 1..${MAX_EXPIRES_IN}.`);
  }
  checkUrlValidity(state, signedAt + expires * 1000, signedAt);
  const credential = parseCredentialV4(state, credentialText, datetime);
  const { credentials, principal } = lookUpAccessKey(
    state,
    credential.accessKeyId,
    query['x-oss-security-token'],
  );
  const signedQuery: Record<string, string | null> = Object.create(null);
  for (const [name, value] of Object.entries(query))
    if (name !== 'x-oss-signature') signedQuery[name] = value;
  const additionalHeaders = headerNames(query['x-oss-additional-headers']);
  checkSignature(state, request, {
    credential,
    credentials,
    datetime,
    query: signedQuery,
    additionalHeaders,
    provided,
  });
  return principal;
}
