import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';

/**
 * The web build of the one entry point, for runtimes without node:crypto (workerd, the Vercel Edge runtime,
 * browsers): the same modules, except each file below is replaced by its `.web.ts` sibling. Built after
 * tsup.config.ts (which cleans dist/); its types are the Node build's (package.json `exports`).
 */
const WEB_VARIANTS = [
  // Hashing on @noble/hashes instead of node:crypto.
  'src/signer/crypto.ts',
  // verifyOssCallback's RSA/MD5 through process.getBuiltinModule, not an import of node:crypto.
  'src/callback/node-crypto.ts',
  // The STS provider (a Node SDK) refuses with UNSUPPORTED_RUNTIME.
  'src/sts/provider.ts',
];

function webVariants(): Plugin {
  const variants = new Map(
    WEB_VARIANTS.map((file) => [resolve(file), resolve(file.replace(/\.ts$/, '.web.ts'))]),
  );
  return {
    name: 'web-variants',
    setup(build) {
      const used = new Set<string>();
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        const source = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
        const variant = variants.get(source);
        if (variant === undefined) return undefined;
        used.add(source);
        return { path: variant };
      });
      build.onEnd((result) => {
        // A renamed or moved file would otherwise put node:crypto back into the web build unnoticed.
        for (const [source, variant] of variants) {
          if (!existsSync(variant) || !used.has(source)) {
            result.errors.push({
              id: 'web-variants',
              pluginName: 'web-variants',
              text: `tsup.web.config.ts: ${source} was not replaced by ${variant}`,
              location: null,
              notes: [],
              detail: undefined,
            });
          }
        }
      });
    },
  };
}

export default defineConfig({
  entry: { index: 'src/index.ts' },
  outDir: 'dist/web',
  format: ['esm', 'cjs'],
  dts: false,
  clean: false,
  target: 'es2022',
  platform: 'neutral',
  sourcemap: false,
  splitting: false,
  // A Node built-in reaching this build would then show as `node:...`, which no web bundler resolves.
  removeNodeProtocol: false,
  // @noble/hashes is bundled: the package keeps no runtime dependency (docs/runtimes.md says why). Its
  // license asks for its notice in every copy: here, and in full in LICENSE.
  noExternal: ['@noble/hashes'],
  banner: {
    js: '/*! Bundles @noble/hashes (https://github.com/paulmillr/noble-hashes): MIT License, Copyright (c) 2022 Paul Miller (https://paulmillr.com). Full text in LICENSE. */',
  },
  esbuildPlugins: [webVariants()],
});
