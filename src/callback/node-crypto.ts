// node:crypto for verifyOssCallback, imported on first use. The web build takes node-crypto.web.ts instead
// (tsup.web.config.ts): a bundler for the browser or the edge must not meet an import of node:crypto.

export type NodeCrypto = typeof import('node:crypto');

export function importNodeCrypto(): Promise<NodeCrypto> {
  return import('node:crypto');
}
