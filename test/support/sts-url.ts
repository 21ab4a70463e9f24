import type { LocalOss } from '../../src/testing/index.js';

/**
 * The STS provider's `endpoint` for a local OSS endpoint started with `roleArn`: the one place that knows
 * the shape of `stsEndpoint` (`'127.0.0.1:PORT'` until the local endpoint takes the base-URL form).
 */
export function stsUrl(oss: LocalOss): string {
  const { stsEndpoint } = oss;
  if (!stsEndpoint) throw new Error('the local endpoint was started without roleArn: it serves no STS');
  return stsEndpoint.includes('://') ? stsEndpoint : `http://${stsEndpoint}`;
}
