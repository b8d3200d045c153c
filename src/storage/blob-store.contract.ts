// The behaviour every BlobStore must have, run by local-blob-store.test.ts and s3-blob-store.test.ts
// against a real directory and a real S3-compatible server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import zlib from 'node:zlib';
import { InvalidInputError, NotFoundError, PayloadTooLargeError } from '../lib/errors.ts';
import type { BlobStore, StoredBlob } from './blob-store.ts';

export type StoreFixture = {
  store: BlobStore;
  /** Temporary objects present right now (files in tmp/, keys under tmp/). */
  temporary(): Promise<string[]>;
  /** Addresses of the stored blobs. */
  stored(): Promise<string[]>;
  /** Changes whenever the stored copy is rewritten (inode and mtime; S3 LastModified and ETag). */
  identity(sha256: string): Promise<string>;
  /** Wait this long before a second write so a rewrite would show in `identity` (S3 timestamps have 1 s resolution). */
  rewriteVisibleAfterMs: number;
  /** Bytes past which a put is a multipart upload (0: not applicable). */
  multipartFromBytes: number;
};

const MB = 1024 * 1024;
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

export function blobStoreContract(fixture: () => StoreFixture) {
  // Blobs of earlier tests stay; a failed put must add none and leave no temporary object.
  const snapshot = () => fixture().stored();
  const nothingLeft = async (storedBefore: string[]) => {
    const f = fixture();
    assert.deepEqual(await f.temporary(), [], 'no temporary objects left');
    assert.deepEqual(await f.stored(), storedBefore, 'no blob added');
  };

  test('round trip: hash, size, bytes, ranges, stat; temporary object removed', async () => {
    const { store, temporary } = fixture();
    const bytes = crypto.randomBytes(3 * MB + 17);
    const blob = await store.put(Readable.from([bytes.subarray(0, MB), bytes.subarray(MB)]), { maxBytes: 10 * MB });
    assert.equal(blob.sha256, sha(bytes));
    assert.equal(blob.size, bytes.length);
    assert.equal(blob.deduplicated, false);
    assert.deepEqual(await buffer(await store.open(blob.sha256)), bytes);
    assert.deepEqual(await buffer(await store.open(blob.sha256, { start: 10, end: 19 })), bytes.subarray(10, 20));
    assert.deepEqual(await buffer(await store.open(blob.sha256, { start: bytes.length - 5 })), bytes.subarray(bytes.length - 5));
    assert.deepEqual(await store.stat(blob.sha256), { size: bytes.length });
    assert.deepEqual(await temporary(), []);
  });

  test('sniffs the media type from the bytes', async () => {
    const { store } = fixture();
    const cases: [string, Buffer][] = [
      ['image/png', tinyPng()],
      ['application/pdf', Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1')],
      ['text/plain', Buffer.from('Quarterly access review — approved by the CISO.\r\n\tAll 42 accounts checked.\n')],
      ['application/octet-stream', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7 + 1) % 251))],
      ['application/octet-stream', Buffer.alloc(0)],
    ];
    for (const [mediaType, bytes] of cases) {
      const blob = await store.put(Readable.from([bytes]), { maxBytes: MB });
      assert.equal(blob.mediaType, mediaType, `${mediaType} for ${bytes.subarray(0, 8).toString('hex')}`);
      assert.equal(blob.size, bytes.length);
    }
  });

  test('identical content is stored once and never rewritten', async () => {
    const f = fixture();
    const bytes = crypto.randomBytes(256 * 1024);
    const first = await f.store.put(Readable.from([bytes]), { maxBytes: MB });
    const before = await f.identity(first.sha256);
    await sleep(f.rewriteVisibleAfterMs);
    const second = await f.store.put(Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]), { maxBytes: MB });
    assert.equal(second.sha256, first.sha256);
    assert.equal(second.deduplicated, true);
    assert.equal(second.mediaType, first.mediaType);
    assert.equal(await f.identity(first.sha256), before, 'the stored copy was not rewritten');
    assert.deepEqual((await f.stored()).filter((s) => s === first.sha256), [first.sha256]);
    assert.deepEqual(await f.temporary(), []);
  });

  test('concurrent puts of the same content leave one object, and exactly one reports it new', async () => {
    const f = fixture();
    const bytes = crypto.randomBytes(512 * 1024);
    const storedBefore = await snapshot();
    const results = await Promise.all(Array.from({ length: 6 }, () => f.store.put(Readable.from([bytes]), { maxBytes: MB })));
    assert.equal(new Set(results.map((r) => r.sha256)).size, 1);
    assert.equal(results.filter((r) => !r.deduplicated).length, 1);
    assert.deepEqual(await f.stored(), [...storedBefore, sha(bytes)].sort());
    assert.deepEqual(await f.temporary(), []);
    assert.deepEqual(await buffer(await f.store.open(sha(bytes))), bytes);
  });

  test('exactly maxBytes is accepted; one byte more is PayloadTooLargeError and leaves nothing', async () => {
    const storedBefore = await snapshot();
    const { store } = fixture();
    const limit = 300 * 1024;
    const ok = await store.put(Readable.from([crypto.randomBytes(limit)]), { maxBytes: limit });
    assert.equal(ok.size, limit);
    assert.equal(await store.delete(ok.sha256), true);
    await assert.rejects(store.put(Readable.from([crypto.randomBytes(limit), Buffer.from([1])]), { maxBytes: limit }), PayloadTooLargeError);
    await nothingLeft(storedBefore);
  });

  test('a large stream over the limit stops early (multipart where the store uses it) and leaves nothing', async () => {
    const storedBefore = await snapshot();
    const { store, multipartFromBytes } = fixture();
    const limit = Math.max(multipartFromBytes * 2 + MB, 4 * MB);
    const source = generated(limit * 4);
    await assert.rejects(store.put(source.stream, { maxBytes: limit }), (e: unknown) => e instanceof PayloadTooLargeError && e.status === 413 && e.code === 'payload_too_large');
    assert.ok(source.sent() < limit * 2, `stopped reading after ${source.sent()} bytes`);
    await nothingLeft(storedBefore);
  });

  test('a source that fails midway leaves nothing', async () => {
    const storedBefore = await snapshot();
    const { store, multipartFromBytes } = fixture();
    const broken = generated(multipartFromBytes * 2 + 2 * MB, { failAtEnd: new Error('disk on the client side went away') });
    await assert.rejects(store.put(broken.stream, { maxBytes: 100 * MB }), /went away/);
    await nothingLeft(storedBefore);
  });

  test('an aborted put (client disconnect) leaves nothing', async () => {
    const storedBefore = await snapshot();
    const { store, multipartFromBytes } = fixture();
    const controller = new AbortController();
    const abortAt = multipartFromBytes * 2 + MB;
    const endless = generated(Number.MAX_SAFE_INTEGER, { onProgress: (n) => n >= abortAt && controller.abort() });
    await assert.rejects(store.put(endless.stream, { maxBytes: 100 * MB, signal: controller.signal }), { name: 'AbortError' });
    await nothingLeft(storedBefore);
    const already = AbortSignal.abort();
    await assert.rejects(store.put(Readable.from([Buffer.from('x')]), { maxBytes: MB, signal: already }), { name: 'AbortError' });
    await nothingLeft(storedBefore);
  });

  test('delete (authorised purges), missing blobs, bad addresses', async () => {
    const storedBefore = await snapshot();
    const { store } = fixture();
    const blob = await store.put(Readable.from([Buffer.from('to be purged')]), { maxBytes: MB });
    assert.equal(await store.delete(blob.sha256), true);
    assert.equal(await store.stat(blob.sha256), null);
    assert.equal(await store.delete(blob.sha256), false);
    await assert.rejects(store.open(blob.sha256), NotFoundError);
    await assert.rejects(store.open('../../etc/passwd'), InvalidInputError);
    await assert.rejects(store.stat('A'.repeat(64)), InvalidInputError);
    await nothingLeft(storedBefore);
  });

  test('300 MB streams through with peak RSS growth under 100 MB', async (t) => {
    const { store } = fixture();
    const size = 300 * MB;
    const source = generated(size);
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 10);
    let blob: StoredBlob;
    try {
      blob = await store.put(source.stream, { maxBytes: size });
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    assert.equal(blob.size, size);
    assert.equal(blob.sha256, source.sha256());
    assert.equal((await store.stat(blob.sha256))?.size, size);
    const growthMb = (peak - baseline) / MB;
    t.diagnostic(`peak RSS growth ${growthMb.toFixed(1)} MB`);
    assert.ok(growthMb < 100, `peak RSS grew by ${growthMb.toFixed(1)} MB`);
    assert.equal(await store.delete(blob.sha256), true);
  });
}

/**
 * A stream of `total` pseudo-random bytes made on demand (never held whole), with its SHA-256.
 * `failAtEnd` destroys it with that error instead of ending; `onProgress` sees the bytes sent so far.
 */
export function generated(total: number, opts: { failAtEnd?: Error; onProgress?: (sent: number) => void; chunkBytes?: number } = {}) {
  const chunkBytes = opts.chunkBytes ?? 64 * 1024;
  const seed = crypto.randomBytes(chunkBytes);
  const hash = crypto.createHash('sha256');
  let sent = 0;
  const stream = new Readable({
    read() {
      if (sent >= total) {
        if (opts.failAtEnd) this.destroy(opts.failAtEnd);
        else this.push(null);
        return;
      }
      const chunk = Buffer.from(seed.subarray(0, Math.min(chunkBytes, total - sent)));
      // A counter in every chunk, so no two chunks (and no two generated streams) are alike.
      if (chunk.length >= 4) chunk.writeUInt32BE(Math.floor(sent / chunkBytes) % 2 ** 32, 0);
      hash.update(chunk);
      sent += chunk.length;
      this.push(chunk);
      opts.onProgress?.(sent);
    },
  });
  return { stream, sent: () => sent, sha256: () => hash.digest('hex') };
}

/** A valid 1×1 PNG, built here rather than shipped as a fixture file. */
function tinyPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(zlib.crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.from([0, 0x2a, 0x7f, 0xd4]))), chunk('IEND', Buffer.alloc(0)),
  ]);
}
