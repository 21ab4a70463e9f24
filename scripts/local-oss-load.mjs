// `npm run load:local-oss` (builds, then runs this with --expose-gc): the local endpoint under hostile
// load. Prints how long 2 MB hostile bodies take to be refused while normal requests flow (and how the
// normal ones fare meanwhile), and the memory that 10,000 never-completed multipart uploads keep. The fast
// versions of these checks are regression tests in test/unit/testing/hostile-input.test.ts and
// test/unit/testing/uploads.test.ts; this script gives the figures.

import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import { presignUrl } from 'oss-direct-upload';
import { createLocalOss } from 'oss-direct-upload/testing';

const MB2 = 2 * 1024 * 1024;
const BUCKET = 'local-bucket';
const agent = new Agent({ keepAlive: true, maxSockets: 16 });

function exchange(url, { method = 'GET', headers = {}, body } = {}) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({
          status: res.statusCode,
          code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1],
          text,
          ms: performance.now() - started,
        });
      });
    });
    req.end(body);
  });
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function hostileBodies() {
  const oss = await createLocalOss();
  const location = {
    credentials: oss.credentials,
    bucket: BUCKET,
    region: oss.region,
    endpoint: oss.url,
    pathStyle: true,
  };
  const initiate = presignUrl({ ...location, key: 'load/big.bin', method: 'POST', query: { uploads: null } });
  const uploadId = /<UploadId>(\w+)</.exec((await exchange(initiate.url, initiate)).text)?.[1];
  const complete = presignUrl({ ...location, key: 'load/big.bin', method: 'POST', query: { uploadId } });
  const boundary = 'b0undary';
  const policy = Buffer.from(
    `{"expiration":"2100-01-01T00:00:00Z","conditions":${'['.repeat(1_400_000)}`,
  ).toString('base64');
  const field = (name, value) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const form = (fields, file) =>
    `${fields}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\n${file}\r\n--${boundary}--\r\n`;
  const formHeaders = { 'content-type': `multipart/form-data; boundary=${boundary}` };
  const baseline = presignUrl({ ...location, key: 'load/baseline.bin', method: 'PUT' });
  const shapes = [
    {
      name: 'baseline: PutObject of 2 MB, nothing to parse',
      method: 'PUT',
      url: baseline.url,
      headers: baseline.headers,
      body: Buffer.alloc(MB2),
    },
    {
      name: 'CompleteMultipartUpload, <Part> never closed',
      url: complete.url,
      headers: complete.headers,
      body: `<CompleteMultipartUpload>${'<Part>'.repeat(MB2 / 6)}</CompleteMultipartUpload>`,
    },
    {
      name: 'CompleteMultipartUpload, <ETag> never closed',
      url: complete.url,
      headers: complete.headers,
      body: `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>${'<ETag>'.repeat(MB2 / 6)}</Part></CompleteMultipartUpload>`,
    },
    {
      name: 'PostObject, a file of fake delimiters',
      url: `${oss.url}/${BUCKET}`,
      headers: formHeaders,
      body: form(field('key', 'load/form.txt'), `\r\n--${boundary}X`.repeat(MB2 / 12)),
    },
    {
      name: 'PostObject, a signed policy nested 1.4 million deep',
      url: `${oss.url}/${BUCKET}`,
      headers: formHeaders,
      body: form(
        field('key', 'load/nested.txt') +
          field('OSSAccessKeyId', oss.credentials.accessKeyId) +
          field('policy', policy) +
          field(
            'Signature',
            createHmac('sha1', oss.credentials.accessKeySecret).update(policy).digest('base64'),
          ),
        'x',
      ),
    },
  ];
  const get = presignUrl({ ...location, key: 'load/normal.txt' });
  const put = presignUrl({ ...location, key: 'load/normal.txt', method: 'PUT' });
  await exchange(put.url, { method: 'PUT', headers: put.headers, body: 'normal' });
  console.log('2 MB hostile bodies, 4 at a time for 20 rounds, next to reads of a small object:');
  for (const shape of shapes) {
    // Encoded once: the client shares this process and its event loop with the endpoint.
    shape.body = Buffer.from(shape.body);
    const hostile = [];
    const normal = [];
    let flowing = true;
    const reader = (async () => {
      while (flowing) normal.push((await exchange(get.url, { headers: get.headers })).ms);
    })();
    for (let round = 0; round < 20; round++) {
      const answers = await Promise.all(
        Array.from({ length: 4 }, () =>
          exchange(shape.url, { method: shape.method ?? 'POST', headers: shape.headers, body: shape.body }),
        ),
      );
      for (const answer of answers) {
        if (answer.status >= 500 || (shape.method === undefined && answer.status < 400)) {
          throw new Error(`${shape.name}: answered ${answer.status}`);
        }
        hostile.push(answer.ms);
      }
    }
    flowing = false;
    await reader;
    const last = await exchange(shape.url, {
      method: shape.method ?? 'POST',
      headers: shape.headers,
      body: shape.body,
    });
    console.log(
      `  ${shape.name}: ${last.code ?? last.status}, p50 ${percentile(hostile, 50).toFixed(0)} ms, max ${Math.max(...hostile).toFixed(0)} ms;` +
        ` ${normal.length} reads meanwhile, p50 ${percentile(normal, 50).toFixed(1)} ms, p99 ${percentile(normal, 99).toFixed(1)} ms`,
    );
  }
  await oss.close();
}

/** Heap and external memory after collection; buffers are released over a few collections. */
async function retained() {
  for (let i = 0; i < 4; i++) {
    globalThis.gc?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

async function unfinishedUploads(warmUp) {
  const oss = await createLocalOss({ maxObjectSize: 1024 * 1024 });
  const location = {
    credentials: oss.credentials,
    bucket: BUCKET,
    region: oss.region,
    endpoint: oss.url,
    pathStyle: true,
  };
  let started = 0;
  const startOne = async (withPart) => {
    const key = `load/unfinished-${started++}.bin`;
    const initiate = presignUrl({ ...location, key, method: 'POST', query: { uploads: null } });
    const uploadId = /<UploadId>(\w+)</.exec((await exchange(initiate.url, initiate)).text)?.[1];
    if (!withPart) return;
    const part = presignUrl({ ...location, key, method: 'PUT', query: { uploadId, partNumber: '1' } });
    await exchange(part.url, { method: 'PUT', headers: part.headers, body: Buffer.alloc(64 * 1024) });
  };
  const batches = async (count, withPart) => {
    for (let i = 0; i < count; i += 50)
      await Promise.all(Array.from({ length: 50 }, () => startOne(withPart)));
  };
  if (warmUp) {
    // The same code paths on an endpoint thrown away, so that what the measured one keeps is data.
    await batches(2_000, true);
    await oss.close();
    return;
  }
  const megabytes = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
  console.log(
    'Multipart uploads never completed (maxObjectSize 1 MiB), memory kept (heap + external, after GC):',
  );
  const warm = await retained();
  const row = [];
  let done = 0;
  for (const total of [1_000, 5_000, 10_000]) {
    await batches(total - done, false);
    done = total;
    row.push(`${total.toLocaleString('en')}: ${megabytes((await retained()) - warm)}`);
  }
  console.log(`  initiated, no part, after ${row.join(', ')}`);
  await batches(10_000, true);
  console.log(
    `  10,000 more, one 64 KiB part each (640 MB sent): ${megabytes((await retained()) - warm)}` +
      ' (bounds: 1,000 uploads; parts at most 4 x maxObjectSize = 4 MiB)',
  );
  await oss.close();
}

if (!globalThis.gc) console.log('(run with --expose-gc for memory figures after collection)');
await hostileBodies();
await unfinishedUploads(true);
await unfinishedUploads(false);
agent.destroy();
