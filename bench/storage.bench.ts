// Evidence file storage: 1,000 puts of 1 MB (distinct random content) into the local blob store,
// against the disk's sequential write throughput measured here in the same directory (the same
// total bytes written with fs write calls into one file, then fsync). The store fsyncs every file
// and its directory before acknowledging, so this measures what a durable upload costs.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createLocalBlobStore } from '../src/storage/local-blob-store.ts';
import { sequentialWrite } from './disk.ts';
import { report } from './report.ts';
import { distinctContent } from './upload-load.ts';

const N = 1000;
const SIZE = 1024 * 1024;
const IN_FLIGHT = 8;
const TOTAL = N * SIZE;
const MB = 1024 * 1024;

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'attest-bench-storage-'));
const seed = crypto.randomBytes(SIZE);
/** Distinct content per index without generating 1 GB of randomness inside the timed part. */
const content = (i: number) => distinctContent(seed, i);
const sequential = (first: number) => sequentialWrite(dir, N, (i) => content(first + i));

try {
  const diskBefore = await sequential(N);
  const store = createLocalBlobStore(dir);
  let next = 0;
  let deduplicated = 0;
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < N) {
      const blob = await store.put(Readable.from([content(next++)]), { maxBytes: SIZE });
      if (blob.deduplicated) deduplicated++;
    }
  }));
  const storeMs = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  if (deduplicated) throw new Error(`${deduplicated} puts were deduplicated; the content was meant to be distinct`);
  const diskAfter = await sequential(2 * N);
  const disk = (diskBefore + diskAfter) / 2;
  const storeRate = TOTAL / MB / (storeMs / 1000);
  const ratio = storeRate / disk;
  report(
    'evidence puts into the local store (1,000 × 1 MB distinct, 8 in flight, fsynced)',
    `${storeRate.toFixed(0)} MB/s (${(N / (storeMs / 1000)).toFixed(0)} puts/s) vs sequential write + fsync ${disk.toFixed(0)} MB/s (before ${diskBefore.toFixed(0)}, after ${diskAfter.toFixed(0)}): ${(ratio * 100).toFixed(0)}%; process CPU ${(cpuMs / storeMs * 100).toFixed(0)}% of wall time`,
    '≥ 60% of sequential write',
    ratio >= 0.6,
  );
} finally {
  await fs.rm(dir, { recursive: true, force: true });
}
