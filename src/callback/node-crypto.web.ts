import type { NodeCrypto } from './node-crypto.js';

interface ProcessWithBuiltins {
  getBuiltinModule?: (id: string) => unknown;
}

/**
 * node-crypto.ts for the web build, with no `import('node:crypto')` for a bundler to resolve: runtimes
 * that have node:crypto all the same (Cloudflare Workers with nodejs_compat, Node running the web build)
 * hand it out through `process.getBuiltinModule`. Elsewhere this rejects, and verifyOssCallback says why.
 */
export async function importNodeCrypto(): Promise<NodeCrypto> {
  // Through globalThis: a bare `process` would make some bundlers inject a polyfill.
  const process = (globalThis as { process?: ProcessWithBuiltins }).process;
  const crypto =
    typeof process?.getBuiltinModule === 'function' ? process.getBuiltinModule('node:crypto') : null;
  if (crypto === null || crypto === undefined) throw new Error('no process.getBuiltinModule("node:crypto")');
  return crypto as NodeCrypto;
}
