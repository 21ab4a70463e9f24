// Install footprint, offline. This package: `npm pack --dry-run` lists exactly the files `npm install`
// unpacks, and it has no dependencies. The alternatives: their dependency tree is resolved from this
// repository's package-lock.json with Node's lookup rule (nested node_modules first, then each parent),
// following dependencies, optionalDependencies and required peerDependencies (what npm >= 7 installs),
// and the bytes are the sizes of the files on disk in each package's folder (nested node_modules
// excluded, they are counted as packages of their own). Versions are the ones locked here; a fresh
// install may resolve slightly newer ones.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function folderBytes(folder) {
  let bytes = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.name === 'node_modules' && entry.isDirectory()) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) bytes += folderBytes(path);
    else if (entry.isFile()) bytes += statSync(path).size;
  }
  return bytes;
}

function resolveInLock(packages, fromPath, name) {
  let base = fromPath;
  for (;;) {
    const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

function dependencyTree(packages, names) {
  const seen = new Set();
  const pending = names.map((name) => resolveInLock(packages, '', name));
  while (pending.length > 0) {
    const path = pending.pop();
    if (!path || seen.has(path)) continue;
    seen.add(path);
    const entry = packages[path];
    const optionalPeers = entry.peerDependenciesMeta ?? {};
    const required = Object.keys(entry.peerDependencies ?? {}).filter(
      (name) => !optionalPeers[name]?.optional,
    );
    const wanted = [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...required,
    ];
    for (const name of wanted) pending.push(resolveInLock(packages, path, name));
  }
  return [...seen];
}

function treeFootprint(packages, names) {
  const paths = dependencyTree(packages, names);
  return {
    packages: paths.length,
    bytes: paths.reduce((sum, path) => sum + folderBytes(join(root, path)), 0),
  };
}

export function measureFootprint() {
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  );
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const { packages } = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const ours = {
    name: 'oss-direct-upload',
    packages: 1 + Object.keys(manifest.dependencies ?? {}).length,
    bytes: packed.unpackedSize,
    tarballBytes: packed.size,
  };
  const stsPeers = treeFootprint(packages, ['@alicloud/sts20150401', '@alicloud/credentials']);
  return {
    ours,
    oursWithStsPeers: {
      name: 'oss-direct-upload + its optional peers for the STS provider',
      packages: ours.packages + stsPeers.packages,
      bytes: ours.bytes + stsPeers.bytes,
    },
    aliOss: { name: 'ali-oss', ...treeFootprint(packages, ['ali-oss']) },
    aws: {
      name: '@aws-sdk/s3-request-presigner + @aws-sdk/client-s3',
      ...treeFootprint(packages, ['@aws-sdk/s3-request-presigner', '@aws-sdk/client-s3']),
    },
  };
}
