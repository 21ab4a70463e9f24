// The examples as a user starts them: each entry point as a process (through tsx, which maps the package
// name to src/ as tsconfig.json says), with no OSS variables set, so against a local endpoint it starts.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { REQUIRED_VARIABLES } from '../../examples/shared/env.mjs';
import { aliOssOptions } from '../../examples/shared/page/ali-oss-options.js';
import type { StsUploadGrant } from '../../examples/shared/uploads.js';

const AliOss = createRequire(import.meta.url)('ali-oss') as new (
  options: object,
) => {
  put(name: string, body: Buffer): Promise<{ res: { status: number } }>;
};

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const started: Started[] = [];

afterEach(() => {
  for (const { child } of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Runs `script` (with `args`) as `node --import tsx`, without the OSS variables of this environment. */
function run(script: string, args: string[] = [], env: Record<string, string> = {}): Started {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: '0', ...env };
  for (const name of REQUIRED_VARIABLES) if (!(name in env)) delete childEnv[name];
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const running = { child, output: () => output, exited };
  started.push(running);
  return running;
}

/** The page URL the process prints once it serves. */
async function pageUrl({ output, exited }: Started): Promise<string> {
  for (let waited = 0; waited < 60_000; waited += 100) {
    const url = /Open (http:\/\/127\.0\.0\.1:\d+)\//.exec(output())?.[1];
    if (url) return url;
    const code = await Promise.race([
      exited,
      new Promise((resolve) => setTimeout(() => resolve('running'), 100)),
    ]);
    if (code !== 'running') throw new Error(`exited (${code}) before serving:\n${output()}`);
  }
  throw new Error(`no URL printed within 60 s:\n${output()}`);
}

/** The output once it holds `text`, or after 5 s (output from a pipe may come after a reply on a socket). */
async function printed({ output }: Started, text: string): Promise<string> {
  for (let waited = 0; waited < 5000 && !output().includes(text); waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return output();
}

describe('npm run example -- <name> (examples/run.ts)', () => {
  it('serves the example against a local endpoint that calls it back, and stops on SIGTERM', async () => {
    const example = run('examples/run.ts', ['hono']);
    const url = await pageUrl(example);
    expect(example.output()).toContain('Local OSS endpoint (in memory, bucket "local-bucket")');
    expect(example.output()).toContain(
      `Upload callbacks (POST form, presigned PUT, multipart) go to ${url}/api/oss-callback`,
    );
    const response = await fetch(`${url}/api/presigned-url`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'run.txt', type: 'text/plain' }),
    });
    const signed = (await response.json()) as {
      url: string;
      method: string;
      headers: Record<string, string>;
    };
    const put = await fetch(signed.url, { method: signed.method, headers: signed.headers, body: 'hello' });
    // The endpoint's callback, verified with its key, reached the route; its reply came back.
    expect(await put.json()).toMatchObject({
      received: true,
      upload: { object: 'uploads/user-42/run.txt', size: 5, user: 'user-42' },
    });
    const logged = 'OSS confirmed uploads/user-42/run.txt (5 bytes, text/plain)';
    expect(await printed(example, logged)).toContain(logged);
    example.child.kill('SIGTERM');
    expect(await example.exited).toBe(0);
  }, 90_000);

  it('names the examples when given none it knows', async () => {
    const example = run('examples/run.ts', ['rails']);
    expect(await example.exited).toBe(1);
    expect(example.output()).toContain(
      'Usage: npm run example -- <express|fastify|hono|koa|nextjs|function-compute>',
    );
  });

  it('says which variables are missing when only some are set, rather than starting', async () => {
    const example = run('examples/run.ts', ['express'], { OSS_BUCKET: 'my-bucket' });
    expect(await example.exited).toBe(1);
    expect(example.output()).toContain('To use real OSS, also set OSS_REGION, ALIBABA_CLOUD_ACCESS_KEY_ID');
  });

  it('says to set PORT when the port is taken', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      const example = run('examples/run.ts', ['koa'], { PORT: String(port) });
      expect(await example.exited).toBe(1);
      expect(example.output()).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(example.output()).toContain(`PORT=${port + 1}`);
    } finally {
      holder.close();
    }
  }, 90_000);
});

describe('examples/sts/server.mjs', () => {
  it('hands out credentials for the local endpoint that write under the prefix only', async () => {
    const example = run('examples/sts/server.mjs');
    const url = await pageUrl(example);
    const response = await fetch(`${url}/api/sts-credentials`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const grant = (await response.json()) as StsUploadGrant;
    expect(grant).toMatchObject({ bucket: 'local-bucket', prefix: 'uploads/demo-user/' });
    // ali-oss on Node addresses an IP endpoint through the Host header, without sldEnable.
    const client = new AliOss({ ...aliOssOptions(grant), sldEnable: false });
    expect((await client.put('uploads/demo-user/a.txt', Buffer.from('hello'))).res.status).toBe(200);
    await expect(client.put('uploads/other-user/a.txt', Buffer.from('hello'))).rejects.toMatchObject({
      status: 403,
    });
    example.child.kill('SIGINT');
    expect(await example.exited).toBe(0);
  }, 90_000);
});

describe('examples/demo/server.mjs', () => {
  it('says to set PORT when the port is taken', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      const demo = run('examples/demo/server.mjs', [], { PORT: String(port) });
      expect(await demo.exited).toBe(1);
      expect(demo.output()).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    } finally {
      holder.close();
    }
  }, 90_000);
});
