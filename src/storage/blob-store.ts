import crypto from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import { InvalidInputError, PayloadTooLargeError } from '../lib/errors.ts';

/**
 * Content-addressed file storage shared by the evidence domain and the Trust Hub: a file is
 * stored once under its SHA-256 and never overwritten. Implementations: local-blob-store.ts
 * (data directory, the default) and s3-blob-store.ts (an S3-compatible bucket).
 */
export type StoredBlob = {
  /** Lower-case hex SHA-256 of the bytes: the blob's address. */
  sha256: string;
  size: number;
  /** Sniffed from the bytes, never taken from the client. */
  mediaType: string;
  /** True when these exact bytes were already stored; the existing copy was kept untouched. */
  deduplicated: boolean;
};

export type PutOptions = {
  /** The put fails with PayloadTooLargeError as soon as the stream goes past this many bytes. */
  maxBytes: number;
  /** Aborting (a client that disconnected) stops the put and removes what it wrote. */
  signal?: AbortSignal;
};

/** Inclusive byte offsets, as in an HTTP Range header; `end` defaults to the last byte. Check them against stat() first. */
export type ByteRange = { start: number; end?: number };

export interface BlobStore {
  readonly kind: 'local' | 's3';
  /** Streams `source` to a temporary object while hashing, then moves it to its address. On failure nothing is left behind. */
  put(source: Readable, opts: PutOptions): Promise<StoredBlob>;
  /** Throws NotFoundError when absent. */
  open(sha256: string, range?: ByteRange): Promise<Readable>;
  stat(sha256: string): Promise<{ size: number } | null>;
  /** Only for retention purges the caller has authorised. Returns false when there was nothing to delete. */
  delete(sha256: string): Promise<boolean>;
  /** Removes temporary objects older than `olderThanMs` that a crashed process left behind; returns how many. */
  sweepTemporary(olderThanMs: number): Promise<number>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function assertSha256(sha256: string): void {
  if (!SHA256_HEX.test(sha256)) throw new InvalidInputError('Not a SHA-256 file address.', [{ path: 'sha256', message: 'Expected 64 lower-case hex characters.' }]);
}

/** Enough of the head for file-type to recognise container formats (zip-based Office files look past the first entry). */
const SNIFF_BYTES = 64 * 1024;

/**
 * Pass-through that hashes, counts and keeps the first bytes for sniffing. It fails the pipeline
 * with PayloadTooLargeError the moment the count passes the limit, so an oversized upload is
 * never written out in full.
 */
export class BlobMeter extends Transform {
  readonly maxBytes: number;
  #hash = crypto.createHash('sha256');
  #size = 0;
  #head: Buffer[] = [];
  #headBytes = 0;

  constructor(maxBytes: number) {
    super();
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new RangeError(`maxBytes must be a non-negative integer, got ${maxBytes}`);
    this.maxBytes = maxBytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#size += chunk.length;
    if (this.#size > this.maxBytes) {
      callback(new PayloadTooLargeError(this.maxBytes));
      return;
    }
    this.#hash.update(chunk);
    if (this.#headBytes < SNIFF_BYTES) {
      const take = chunk.subarray(0, SNIFF_BYTES - this.#headBytes);
      // A copy: the source may reuse its buffer for the next chunk.
      this.#head.push(Buffer.from(take));
      this.#headBytes += take.length;
    }
    callback(null, chunk);
  }

  /** Call once the pipeline has finished. */
  async result(): Promise<{ sha256: string; size: number; mediaType: string }> {
    return { sha256: this.#hash.digest('hex'), size: this.#size, mediaType: await sniffMediaType(Buffer.concat(this.#head)) };
  }
}

/** Magic-number detection (file-type), then a plain-text heuristic, else application/octet-stream. */
export async function sniffMediaType(head: Buffer): Promise<string> {
  if (head.length === 0) return 'application/octet-stream';
  const detected = await fileTypeFromBuffer(head);
  if (detected) return detected.mime;
  return looksLikeText(head) ? 'text/plain' : 'application/octet-stream';
}

// Text has no control characters other than tab, newline, form feed, carriage return and escape.
const TEXT_CONTROLS = new Set([0x09, 0x0a, 0x0c, 0x0d, 0x1b]);

function looksLikeText(head: Buffer): boolean {
  for (const byte of head) if ((byte < 0x20 && !TEXT_CONTROLS.has(byte)) || byte === 0x7f) return false;
  try {
    // stream: true tolerates a multi-byte character cut off at the end of the sniffed head.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** Runs tasks with the same key one after another, so one process never races itself to an address. */
export class KeyedSerializer {
  #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const next = previous.then(task);
    const tail = next.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return next;
  }
}
