import { OssSignError } from '../errors.js';

type PeerName = '@alicloud/sts20150401' | '@alicloud/credentials';

// Literal specifiers, so that bundlers of the user's app see (and include) these optional peers.
const importers: Record<PeerName, () => Promise<unknown>> = {
  '@alicloud/sts20150401': () => import('@alicloud/sts20150401'),
  '@alicloud/credentials': () => import('@alicloud/credentials'),
};

/**
 * Loads an optional peer dependency on first use and returns its CommonJS `module.exports`.
 * Both peers are CommonJS: Node's ESM loader wraps them as `{ default: module.exports }`, while a
 * CommonJS build (or a bundler's interop) may hand over `module.exports` itself, whose `default` is
 * the class. Either way, the object returned here has `default` = the class, plus the named exports.
 */
export async function loadPeer(name: PeerName): Promise<Record<string, unknown>> {
  let namespace: unknown;
  try {
    namespace = await importers[name]();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    throw new OssSignError(
      'MISSING_PEER_DEPENDENCY',
      `${name} could not be loaded${typeof code === 'string' ? ` (${code})` : ''}; createStsCredentialProvider needs it: npm install ${name}`,
      { cause: error },
    );
  }
  const wrapped = (namespace as { default?: unknown }).default;
  const exports = wrapped !== null && typeof wrapped === 'object' ? wrapped : namespace;
  if (typeof (exports as { default?: unknown }).default !== 'function') {
    throw new OssSignError(
      'MISSING_PEER_DEPENDENCY',
      `${name} has no default export class: install a current ${name}`,
    );
  }
  return exports as Record<string, unknown>;
}
