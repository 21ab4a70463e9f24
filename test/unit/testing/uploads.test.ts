/**
 * Multipart uploads that are never completed stay within bounds: a cap on their number, on the bytes of
 * their parts, and a lifetime by the endpoint's clock. What is dropped first is the oldest.
 */
import { describe, expect, test } from 'vitest';
import { ServiceError } from '../../../src/testing/errors.js';
import { MAX_UPLOADS_IN_PROGRESS, UPLOAD_LIFETIME_MS } from '../../../src/testing/limits.js';
import { type MultipartUpload, UploadRegistry } from '../../../src/testing/uploads.js';

function upload(initiatedAt: number): MultipartUpload {
  return { bucket: 'b', key: 'k', headers: {}, parts: new Map(), partBytes: 0, initiatedAt };
}

function part(size: number) {
  return { body: Buffer.alloc(size), etag: '"E"', lastModified: '' };
}

describe('UploadRegistry', () => {
  test(`10,000 uploads never completed: at most ${MAX_UPLOADS_IN_PROGRESS} kept, the newest`, () => {
    const registry = new UploadRegistry(() => 0, 1024);
    for (let i = 0; i < 10_000; i++) registry.start(`id-${i}`, upload(0));
    expect(registry.size).toBe(MAX_UPLOADS_IN_PROGRESS);
    expect(registry.get('id-0')).toBeUndefined();
    expect(registry.get(`id-${10_000 - MAX_UPLOADS_IN_PROGRESS - 1}`)).toBeUndefined();
    expect(registry.get(`id-${10_000 - MAX_UPLOADS_IN_PROGRESS}`)).toBeDefined();
    expect(registry.get('id-9999')).toBeDefined();
  });

  test('an upload expires a day after it was initiated, by the clock given', () => {
    let now = 1_000_000;
    const registry = new UploadRegistry(() => now, 1024);
    registry.start('old', upload(now));
    now += UPLOAD_LIFETIME_MS / 2;
    registry.start('young', upload(now));
    now += UPLOAD_LIFETIME_MS / 2 - 1;
    expect(registry.get('old')).toBeDefined();
    now += 1;
    expect(registry.get('old')).toBeUndefined();
    expect(registry.get('young')).toBeDefined();
    expect(registry.size).toBe(1);
  });

  test('an upload whose clock went back still expires on its own age', () => {
    const now = 10 * UPLOAD_LIFETIME_MS;
    const registry = new UploadRegistry(() => now, 1024);
    registry.start('later', upload(now));
    registry.start('earlier', upload(now - UPLOAD_LIFETIME_MS));
    expect(registry.get('earlier')).toBeUndefined();
    expect(registry.get('later')).toBeDefined();
  });

  test('the parts of one upload are at most maxObjectSize; a replaced part counts once', () => {
    const registry = new UploadRegistry(() => 0, 1000);
    registry.start('u', upload(0));
    registry.putPart('u', 1, part(600));
    registry.putPart('u', 1, part(700));
    expect(registry.partBytes).toBe(700);
    registry.putPart('u', 2, part(300));
    expect(() => registry.putPart('u', 3, part(1))).toThrow(ServiceError);
    expect(registry.partBytes).toBe(1000);
    expect(registry.get('u')?.parts.size).toBe(2);
  });

  test('parts of all uploads beyond 4 x maxObjectSize drop the oldest other uploads', () => {
    const registry = new UploadRegistry(() => 0, 1000);
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      registry.start(id, upload(0));
      registry.putPart(id, 1, part(900));
    }
    expect(registry.get('a')).toBeUndefined();
    expect(['b', 'c', 'd', 'e'].every((id) => registry.get(id) !== undefined)).toBe(true);
    expect(registry.partBytes).toBe(3600);
    registry.end('b');
    expect(registry.partBytes).toBe(2700);
  });
});
