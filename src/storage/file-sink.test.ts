import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileRunSink, RUN_BYTES } from './file-sink.ts';

const chunksOf = (bytes: Buffer, size: number) => Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));

test('writes 64 KiB chunks to a real file in runs of RUN_BYTES, one write each, and syncs once', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'attest-sink-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const bytes = crypto.randomBytes(3.5 * RUN_BYTES);
  const handle = await fs.open(path.join(dir, 'f'), 'wx');
  const calls = { writev: 0, write: 0, sync: 0 };
  const writev = handle.writev.bind(handle);
  handle.writev = ((buffers: Buffer[]) => { calls.writev++; return writev(buffers); }) as typeof handle.writev;
  const write = handle.write.bind(handle);
  handle.write = ((...args: Parameters<typeof handle.write>) => { calls.write++; return write(...args); }) as typeof handle.write;
  const sync = handle.sync.bind(handle);
  handle.sync = () => { calls.sync++; return sync(); };
  try {
    await pipeline(Readable.from(chunksOf(bytes, 64 * 1024)), new FileRunSink(handle));
  } finally {
    await handle.close();
  }
  assert.deepEqual(calls, { writev: 0, write: 4, sync: 1 });
  assert.ok((await fs.readFile(path.join(dir, 'f'))).equals(bytes));
});

test('an empty stream makes an empty, synced file', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'attest-sink-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const handle = await fs.open(path.join(dir, 'f'), 'wx');
  try {
    await pipeline(Readable.from([]), new FileRunSink(handle));
  } finally {
    await handle.close();
  }
  assert.equal((await fs.stat(path.join(dir, 'f'))).size, 0);
});

test('a short write goes on from the byte where it stopped', async () => {
  // A handle that accepts at most 100,000 bytes per call, as a kernel may under a signal.
  const written: Buffer[] = [];
  const handle = {
    async write(buffer: Buffer, offset: number, length: number) {
      const take = buffer.subarray(offset, offset + Math.min(length, 100_000));
      written.push(Buffer.from(take));
      return { bytesWritten: take.length, buffer };
    },
    async sync() {},
  } as unknown as fs.FileHandle;
  const bytes = crypto.randomBytes(RUN_BYTES + 12_345);
  await pipeline(Readable.from(chunksOf(bytes, 70_000)), new FileRunSink(handle));
  assert.ok(Buffer.concat(written).equals(bytes));
});

test('chunks larger than a run and chunks that straddle runs come out byte for byte', async () => {
  const written: Buffer[] = [];
  const handle = {
    async write(buffer: Buffer, offset: number, length: number) { written.push(Buffer.from(buffer.subarray(offset, offset + length))); return { bytesWritten: length, buffer }; },
    async sync() {},
  } as unknown as fs.FileHandle;
  const bytes = crypto.randomBytes(3 * RUN_BYTES + 7);
  const sizes = [10, RUN_BYTES - 10, 1, 2 * RUN_BYTES + 5, 1];
  const chunks: Buffer[] = [];
  let at = 0;
  for (const n of sizes) {
    chunks.push(bytes.subarray(at, at + n));
    at += n;
  }
  await pipeline(Readable.from(chunks), new FileRunSink(handle));
  assert.ok(Buffer.concat(written).equals(bytes));
  assert.deepEqual(written.map((w) => w.length), [RUN_BYTES, RUN_BYTES, RUN_BYTES, 7]);
});

test('a write that accepts nothing fails the stream instead of spinning', async () => {
  const handle = { write: async (buffer: Buffer) => ({ bytesWritten: 0, buffer }), sync: async () => {} } as unknown as fs.FileHandle;
  await assert.rejects(pipeline(Readable.from([Buffer.alloc(RUN_BYTES)]), new FileRunSink(handle)), /accepted no bytes/);
});
