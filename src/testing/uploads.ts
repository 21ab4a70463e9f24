import { ServiceError } from './errors.js';
import { MAX_PENDING_PARTS_FACTOR, MAX_UPLOADS_IN_PROGRESS, UPLOAD_LIFETIME_MS } from './limits.js';

export interface UploadedPart {
  body: Buffer;
  etag: string;
  lastModified: string;
}

export interface MultipartUpload {
  bucket: string;
  key: string;
  /** What the object gets on completion: Content-Type, metadata and the like. */
  headers: Record<string, string>;
  parts: Map<number, UploadedPart>;
  /** The bytes of its parts together. */
  partBytes: number;
  /** By the endpoint's clock, in milliseconds since the epoch. */
  initiatedAt: number;
}

/**
 * The multipart uploads in progress, oldest first, kept within bounds: an upload lives a day from its
 * initiation (by the endpoint's clock), at most {@link MAX_UPLOADS_IN_PROGRESS} are kept, and their parts
 * together hold at most {@link MAX_PENDING_PARTS_FACTOR} times `maxObjectSize`. Beyond those, the oldest
 * upload is dropped, as a lifecycle rule would abort it: its ID then gets `NoSuchUpload`.
 */
export class UploadRegistry {
  readonly #uploads = new Map<string, MultipartUpload>();
  readonly #nowMs: () => number;
  readonly #maxObjectSize: number;
  #partBytes = 0;

  constructor(nowMs: () => number, maxObjectSize: number) {
    this.#nowMs = nowMs;
    this.#maxObjectSize = maxObjectSize;
  }

  /** How many uploads are in progress, and the bytes of their parts. */
  get size(): number {
    return this.#uploads.size;
  }

  get partBytes(): number {
    return this.#partBytes;
  }

  start(uploadId: string, upload: MultipartUpload): void {
    this.#dropExpired();
    for (const oldest of this.#uploads.keys()) {
      if (this.#uploads.size < MAX_UPLOADS_IN_PROGRESS) break;
      this.end(oldest);
    }
    this.#uploads.set(uploadId, upload);
  }

  get(uploadId: string): MultipartUpload | undefined {
    this.#dropExpired();
    const upload = this.#uploads.get(uploadId);
    return upload !== undefined && this.#expired(upload) ? undefined : upload;
  }

  /**
   * Adds or replaces a part. An upload's parts together are at most `maxObjectSize`, the largest object
   * the endpoint keeps; room for them is made by dropping the oldest other uploads.
   */
  putPart(uploadId: string, partNumber: number, part: UploadedPart): void {
    const upload = this.#uploads.get(uploadId);
    if (upload === undefined) return;
    const growth = part.body.length - (upload.parts.get(partNumber)?.body.length ?? 0);
    if (upload.partBytes + growth > this.#maxObjectSize) {
      throw new ServiceError(
        400,
        'EntityTooLarge',
        `The parts of this upload would exceed ${this.#maxObjectSize} bytes, the largest object this local endpoint keeps (its maxObjectSize option).`,
      );
    }
    upload.parts.set(partNumber, part);
    upload.partBytes += growth;
    this.#partBytes += growth;
    const budget = MAX_PENDING_PARTS_FACTOR * this.#maxObjectSize;
    for (const oldest of this.#uploads.keys()) {
      if (this.#partBytes <= budget) break;
      if (oldest !== uploadId) this.end(oldest);
    }
  }

  end(uploadId: string): void {
    const upload = this.#uploads.get(uploadId);
    if (upload === undefined) return;
    this.#partBytes -= upload.partBytes;
    this.#uploads.delete(uploadId);
  }

  #expired(upload: MultipartUpload): boolean {
    return this.#nowMs() - upload.initiatedAt >= UPLOAD_LIFETIME_MS;
  }

  /** Oldest first, so the sweep stops at the first upload still live. */
  #dropExpired(): void {
    for (const [uploadId, upload] of this.#uploads) {
      if (!this.#expired(upload)) break;
      this.end(uploadId);
    }
  }
}
