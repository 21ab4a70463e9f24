// The checks every runtime goes through: the official vectors, the random sample byte for byte with the
// Node build, verifyOssCallback (works with node:crypto, UNSUPPORTED_RUNTIME without), and the STS
// provider's refusal.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { callbackVerifyCalls, conformanceCases, randomCalls, stsCall } from './calls.js';
import { type BuiltPackage, buildPackage } from './package.js';
import { type Call, decode, encode, type Outcome, runCalls } from './runner.js';

export interface RuntimeUnderTest {
  /** The files of the package the runtime loaded (as its bundler or import map chose them). */
  packageFiles: string[];
  /** Runs runner.ts's `runCalls` inside the runtime, on that build. */
  run(calls: string): Promise<string>;
  /** The same runtime with node:crypto available (workerd with nodejs_compat), where there is one. */
  runWithNodeCrypto?: ((calls: string) => Promise<string>) | undefined;
  close(): Promise<void>;
}

const RANDOM_CALLS_PER_FUNCTION = 30;

export function runtimeSuite(start: (pkg: BuiltPackage) => Promise<RuntimeUnderTest>): void {
  let pkg: BuiltPackage | undefined;
  let runtime: RuntimeUnderTest | undefined;
  let nodeBuild: Record<string, unknown>;

  beforeAll(async () => {
    pkg = await buildPackage();
    nodeBuild = await pkg.importNodeBuild();
    runtime = await start(pkg);
  }, 120_000);

  afterAll(async () => {
    await runtime?.close();
    await pkg?.remove();
  }, 30_000);

  /** The outcomes in the runtime and with the Node build, as text and parsed. */
  async function outcomes(calls: Call[], where: 'run' | 'runWithNodeCrypto' = 'run') {
    const text = encode(calls);
    const runIn = runtime?.[where];
    if (!runIn) throw new Error(`the runtime did not start (${where})`);
    const [here, node] = await Promise.all([runIn(text), runCalls(nodeBuild, text)]);
    return { here, node, hereOutcomes: decode(here) as Outcome[], nodeOutcomes: decode(node) as Outcome[] };
  }

  it('runs the web build, which imports nothing', async () => {
    expect(runtime?.packageFiles).toEqual(['dist/web/index.js']);
    const code = await readFile(join(pkg?.packageDir ?? '', 'dist/web/index.js'), 'utf8');
    expect(code).not.toMatch(/^\s*import\b|\bimport\s*\(|\brequire\s*\(/m);
  });

  it('signs every official vector with the official values, and as the Node build does', async () => {
    const cases = conformanceCases();
    const { here, node, hereOutcomes } = await outcomes(cases.map((c) => c.call));
    let checked = 0;
    cases.forEach((c, index) => {
      const outcome = hereOutcomes[index];
      expect(outcome, c.id).toHaveProperty('value');
      for (const [what, actual, expected] of c.official((outcome as { value: unknown }).value)) {
        expect(actual, `${c.id}: ${what}`).toEqual(expected);
        checked++;
      }
    });
    expect(checked).toBeGreaterThanOrEqual(cases.length);
    expect(here).toBe(node);
  });

  it('gives the Node build’s bytes on a random sample of every signing function', async () => {
    const calls = randomCalls(RANDOM_CALLS_PER_FUNCTION);
    const { here, node, hereOutcomes, nodeOutcomes } = await outcomes(calls);
    expect(hereOutcomes).toHaveLength(calls.length);
    hereOutcomes.forEach((outcome, index) => {
      if (encode(outcome) !== encode(nodeOutcomes[index])) {
        expect({ call: calls[index], outcome }).toEqual({ call: calls[index], outcome: nodeOutcomes[index] });
      }
    });
    expect(here).toBe(node);
    // The sample signs, rather than only failing validation: every function returns values.
    for (const fn of new Set(calls.map((call) => call.fn))) {
      const signed = nodeOutcomes.filter((outcome, index) => calls[index]?.fn === fn && 'value' in outcome);
      expect(signed.length, fn).toBeGreaterThanOrEqual(RANDOM_CALLS_PER_FUNCTION / 3);
    }
  });

  it('verifyOssCallback: UNSUPPORTED_RUNTIME without node:crypto, OSS’s signatures checked with it', async () => {
    const calls = callbackVerifyCalls();
    const { hereOutcomes, nodeOutcomes } = await outcomes(calls);
    for (const outcome of hereOutcomes) {
      expect(outcome).toEqual({
        error: expect.objectContaining({
          ossSignError: true,
          name: 'OssSignError',
          code: 'UNSUPPORTED_RUNTIME',
        }),
      });
    }
    // With node:crypto (the Node build here): the two forms verify, the changed body does not.
    expect(nodeOutcomes.map((outcome) => ('value' in outcome ? 'valid' : outcome.error.code))).toEqual(
      calls.map((_call, index) => (index % 3 === 2 ? 'CALLBACK_SIGNATURE_INVALID' : 'valid')),
    );
    if (runtime?.runWithNodeCrypto) {
      const withNodeCrypto = await outcomes(calls, 'runWithNodeCrypto');
      expect(withNodeCrypto.here).toBe(withNodeCrypto.node);
    }
  });

  it('createStsCredentialProvider refuses with UNSUPPORTED_RUNTIME (the Node build makes a provider)', async () => {
    const { hereOutcomes, nodeOutcomes } = await outcomes([
      stsCall,
      { fn: 'createUploadPolicy', args: [{ bucket: 'b-1', prefix: 'u/1/' }] },
    ]);
    expect(hereOutcomes[0]).toEqual({
      error: expect.objectContaining({ ossSignError: true, code: 'UNSUPPORTED_RUNTIME' }),
    });
    expect((hereOutcomes[0] as { error: { message: string } }).error.message).toMatch(/Node\.js/);
    expect(nodeOutcomes[0]).toHaveProperty('value');
    // The rest of the STS module is plain data: the same policy everywhere.
    expect(hereOutcomes[1]).toEqual(nodeOutcomes[1]);
    expect(hereOutcomes[1]).toHaveProperty('value');
  });
}
