/**
 * Where ali-oss's V4 signing agrees with the official v2 SDKs, which this library follows
 * (aliyun/alibabacloud-oss-go-sdk-v2, oss/signer/v4.go), read from ali-oss 6.23
 * (lib/common/signUtils.js getCanonicalRequest / fixAdditionalHeaders, lib/common/object/signatureUrlV4.js):
 *
 * 1. Query order. ali-oss sorts the raw names with `localeCompare` (qs.stringify's `sort` option);
 *    v2 sorts the percent-encoded names by byte (Go's sort.Strings). The encodings are the same (RFC 3986:
 *    all but `A-Z a-z 0-9 - . _ ~`; ali-oss encodeString vs Go's url.QueryEscape with %20), so the two
 *    agree exactly when both orders put the request's names in the same sequence: `queryOrdersAgree`.
 *    They part on case ('X-Trace' vs 'x-oss-date'), '_' vs '-', digits vs punctuation, non-ASCII...
 * 2. Empty values. v2 writes a '' value as the bare name; ali-oss writes 'name=' (qs's
 *    strictNullHandling makes only null bare). Generators never give ''; null (bare in both) is used.
 * 3. Additional headers. ali-oss throws when a listed header is missing from the request, v2 drops it;
 *    v2 also drops a listed header whose value is '' (`header.Get(k) != ""`), ali-oss signs it. So only
 *    headers the request carries with a non-empty value are listed (names signed anyway are dropped by
 *    both, and both lower-case, de-duplicate and sort the list).
 * 4. Header trimming. ali-oss uses String.prototype.trim, Go strings.TrimSpace: they differ on U+0085 and
 *    U+FEFF, so header values are printable ASCII padded only with spaces and tabs.
 */
import { createHash, createHmac } from 'node:crypto';
import { V4_AUTH_QUERY_NAMES } from '../support/arbitraries.js';
import { compareBytes, encodeRfc3986 } from './support.js';

/** True when ali-oss's order (localeCompare on raw names) equals v2's (bytes of encoded names). */
export function queryOrdersAgree(userNames: readonly string[]): boolean {
  // The names the signature adds take part in the order too; agreeing on all of them implies agreeing
  // on the subset a given request carries.
  const names = [...userNames, ...V4_AUTH_QUERY_NAMES.filter((name) => name !== 'x-oss-signature')];
  const aliOss = [...names].sort((a, b) => a.localeCompare(b)).map(encodeRfc3986);
  const v2 = names.map(encodeRfc3986).sort(compareBytes);
  return aliOss.every((name, index) => name === v2[index]);
}

/** The V4 signing key by hand with node:crypto, for expectations that must not come from this library. */
export function signingKeyByHand(
  accessKeySecret: string,
  date: string,
  region: string,
  product = 'oss',
): Buffer {
  let key = createHmac('sha256', `aliyun_v4${accessKeySecret}`).update(date).digest();
  for (const part of [region, product, 'aliyun_v4_request'])
    key = createHmac('sha256', key).update(part).digest();
  return key;
}

/** OSS4-HMAC-SHA256 of a canonical request, by hand. */
export function signV4ByHand(o: {
  accessKeySecret: string;
  datetime: string;
  region: string;
  canonicalRequest: string;
}): string {
  const date = o.datetime.slice(0, 8);
  const scope = `${date}/${o.region}/oss/aliyun_v4_request`;
  const hashed = createHash('sha256').update(o.canonicalRequest).digest('hex');
  const stringToSign = `OSS4-HMAC-SHA256\n${o.datetime}\n${scope}\n${hashed}`;
  return createHmac('sha256', signingKeyByHand(o.accessKeySecret, date, o.region))
    .update(stringToSign)
    .digest('hex');
}
