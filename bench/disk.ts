// The disk's sequential write throughput, the yardstick of the storage and upload benchmarks.
import fs from 'node:fs/promises';
import path from 'node:path';

const MB = 1024 * 1024;

/**
 * MB/s for `count` buffers of 1 MB written with write calls into one new file in `dir`, then one
 * fsync: the best case for the disk (no per-file work, one sync). `chunk(i)` gives the bytes.
 */
export async function sequentialWrite(dir: string, count: number, chunk: (i: number) => Buffer): Promise<number> {
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, 'sequential.bin');
  const chunks = Array.from({ length: 16 }, (_, i) => chunk(i));
  const start = performance.now();
  const handle = await fs.open(file, 'w');
  let bytes = 0;
  try {
    for (let i = 0; i < count; i++) bytes += (await handle.write(chunks[i % chunks.length]!)).bytesWritten;
    await handle.sync();
  } finally {
    await handle.close();
  }
  const ms = performance.now() - start;
  await fs.rm(file);
  return bytes / MB / (ms / 1000);
}
