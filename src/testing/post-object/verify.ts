import { parseIsoBasic } from '../../oss/time.js';
import { signatureV1 } from '../../signer/v1.js';
import { ALGORITHM_V4, signatureV4 } from '../../signer/v4.js';
import { anonymousDenied, lookUpAccessKey, sameSignature, signatureMismatch } from '../auth/principal.js';
import { parseCredentialV4, scopeOf } from '../auth/v4.js';
import { accessDenied, invalidArgument } from '../errors.js';
import { type LocalOssState, MAX_CLOCK_SKEW_MS, type Principal } from '../state.js';

/** Checks the V1 or V4 signature of a form's policy; an unsigned form is anonymous, so refused. */
export function verifyFormSignature(
  state: LocalOssState,
  fields: ReadonlyMap<string, string>,
): { policy: string; principal: Principal } {
  const policy = fields.get('policy');
  const token = fields.get('x-oss-security-token');
  const version = fields.get('x-oss-signature-version');
  if (version !== undefined) {
    const credentialText = fields.get('x-oss-credential');
    const datetime = fields.get('x-oss-date') ?? '';
    const provided = fields.get('x-oss-signature');
    if (version !== ALGORITHM_V4) throw invalidArgument(`x-oss-signature-version must be ${ALGORITHM_V4}.`);
    if (credentialText === undefined || provided === undefined || policy === undefined) {
      throw invalidArgument(
        'A V4 form needs policy, x-oss-credential, x-oss-date and x-oss-signature fields.',
      );
    }
    const signedAt = parseIsoBasic(datetime);
    if (signedAt === undefined) throw invalidArgument('x-oss-date must be in the form 20231216T162057Z.');
    if (signedAt - state.nowMs() > MAX_CLOCK_SKEW_MS) {
      throw accessDenied(
        'Invalid according to Policy: x-oss-date is more than 15 minutes ahead of the server.',
      );
    }
    const credential = parseCredentialV4(state, credentialText, datetime);
    const { credentials, principal } = lookUpAccessKey(state, credential.accessKeyId, token);
    // V4 signs the base64 policy itself.
    const expected = signatureV4(policy, scopeOf(state, credentials, credential).signingKey);
    if (!sameSignature(expected, provided)) throw signatureMismatch(credential.accessKeyId, provided, policy);
    return { policy, principal };
  }
  const accessKeyId = fields.get('ossaccesskeyid');
  if (accessKeyId === undefined) throw anonymousDenied();
  const provided = fields.get('signature');
  if (policy === undefined || provided === undefined) {
    throw invalidArgument('A form with OSSAccessKeyId needs policy and Signature fields.');
  }
  const { credentials, principal } = lookUpAccessKey(state, accessKeyId, token);
  if (!sameSignature(signatureV1(policy, credentials.v1Key), provided))
    throw signatureMismatch(accessKeyId, provided, policy);
  return { policy, principal };
}
