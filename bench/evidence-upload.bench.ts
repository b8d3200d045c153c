// Evidence uploads through the HTTP API: 1,000 multipart uploads of 1 MB (distinct random bytes,
// 8 in flight, API token; the client in a worker thread) to the real server on loopback, on a throwaway embedded PostgreSQL,
// against the disk's sequential write throughput measured by this script in the same directory
// (the blob store's). Each upload is durable when answered: file and directory fsynced, then the
// evidence row and its log entry committed. Also reports where the server's time went.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildServer } from '../src/http/server.ts';
import { report } from './report.ts';
import { startThrowawayApp, type ThrowawayApp } from './throwaway-app.ts';
import { distinctContent, type UploadInput, type UploadResult } from './upload-load.ts';

const N = 1000;
const SIZE = 1024 * 1024;
const IN_FLIGHT = 8;
const MB = 1024 * 1024;
const log = (m: string) => process.stderr.write(`  [evidence-upload] ${m}\n`);
const now = () => Number(process.hrtime.bigint()) / 1e6;

const seed = crypto.randomBytes(SIZE);
const content = (i: number) => distinctContent(seed, i);

/** The same 1,000 MB written with write calls into one file, then one fsync (as bench/storage.bench.ts). */
async function sequentialWrite(dir: string): Promise<number> {
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, 'sequential.bin');
  const chunks = Array.from({ length: 16 }, (_, i) => content(N + i));
  const start = now();
  const handle = await fs.open(file, 'w');
  try {
    for (let i = 0; i < N; i++) await handle.write(chunks[i % chunks.length]!);
    await handle.sync();
  } finally {
    await handle.close();
  }
  const ms = now() - start;
  await fs.rm(file);
  return (N * SIZE) / MB / (ms / 1000);
}

/** Runs the upload client (bench/upload-load.ts) in a worker thread; `first` numbers the distinct contents. */
function inWorker(input: UploadInput, first: number): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./upload-load.ts', import.meta.url), { workerData: { input, first } });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

let bench: ThrowawayApp | null = null;
let http_: Awaited<ReturnType<typeof buildServer>> | null = null;
try {
  bench = await startThrowawayApp({ work: false, prefix: 'attest-bench-upload-', log });
  const { config } = bench;
  const s = bench.app.services;
  const { org, user } = await s.accounts.bootstrap({ orgName: 'Bench Org', email: 'bench@example.com', name: 'bench', password: crypto.randomBytes(18).toString('base64url') });
  const actor = { userId: user.id, email: user.email, ip: null };
  const control = await s.controls.create(org.id, {
    code: 'BENCH-1', title: 'Benchmark control', description: '', ownerUserId: null, frequency: 'monthly', nature: 'detective',
    automation: 'manual', lifecycle: 'operating', scope: [], requirements: [],
  }, actor);
  const { secret } = await s.tokens.create(org.id, { name: 'bench', scope: 'write', expiresInDays: 1 }, { ...actor, role: 'owner' });

  // Where the server's time goes: the streamed store put (multipart parsing, hashing, write, fsyncs)
  // and the record (controls check, row insert, log append, commit), summed over all uploads.
  const spent = { put: 0, record: 0 };
  const put = s.blobs.put.bind(s.blobs);
  s.blobs.put = async (...args) => { const t0 = now(); try { return await put(...args); } finally { spent.put += now() - t0; } };
  const recordFile = s.evidence.recordFile;
  s.evidence.recordFile = async (...args) => { const t0 = now(); try { return await recordFile(...args); } finally { spent.record += now() - t0; } };

  http_ = await buildServer(s, { logger: false });
  const address = await http_.listen({ port: 0, host: '127.0.0.1' });
  const target = new URL(`/api/v1/orgs/${org.id}/evidence/files`, address);
  const blobsDir = path.join(config.dataDir, 'blobs');
  const diskBefore = await sequentialWrite(blobsDir);
  const input: UploadInput = { url: target.toString(), token: secret, controlId: control.id, count: N, inFlight: IN_FLIGHT, size: SIZE };
  const cpuStart = process.cpuUsage();
  const { ms } = await inWorker(input, 0);
  const cpu = process.cpuUsage(cpuStart);
  const diskAfter = await sequentialWrite(blobsDir);
  // The platform's ceiling, with the same client: a bare HTTP server that only hashes each body.
  const bare = http.createServer((req, res) => {
    const hash = crypto.createHash('sha256');
    req.on('data', (c: Buffer) => hash.update(c));
    req.on('end', () => { hash.digest(); res.writeHead(201).end('{}'); });
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const ceiling = await inWorker({ ...input, url: `http://127.0.0.1:${(bare.address() as AddressInfo).port}/` }, N);
  await new Promise((r) => bare.close(r));
  const ceilingRate = (N * SIZE) / MB / (ceiling.ms / 1000);
  const listed = await s.evidence.list(org.id, { limit: 1 });
  if ((await s.ledger.status(org.id)).treeSize < N || !listed.items.length) throw new Error('not every upload was recorded');
  const disk = (diskBefore + diskAfter) / 2;
  const rate = (N * SIZE) / MB / (ms / 1000);
  const ratio = rate / disk;
  const perUpload = (v: number) => (v / N).toFixed(1);
  log(`load: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; per upload (ms, summed over ${IN_FLIGHT} in flight): store put ${perUpload(spent.put)}, record ${perUpload(spent.record)}, wall ${(ms / N).toFixed(1)}`);
  report(
    'evidence uploads through the API (1,000 × 1 MB distinct, multipart, 8 in flight, fsynced + logged)',
    `${rate.toFixed(0)} MB/s (${(N / (ms / 1000)).toFixed(0)} uploads/s) vs sequential write + fsync ${disk.toFixed(0)} MB/s (before ${diskBefore.toFixed(0)}, after ${diskAfter.toFixed(0)}): ${(ratio * 100).toFixed(0)}%; the same client against a bare server that only SHA-256-hashes each body: ${ceilingRate.toFixed(0)} MB/s (${(ceilingRate / disk * 100).toFixed(0)}%); per upload in flight: store put ${perUpload(spent.put)} ms, record + log ${perUpload(spent.record)} ms; process CPU ${(((cpu.user + cpu.system) / 1000) / ms * 100).toFixed(0)}% of wall; load ${os.loadavg()[0]!.toFixed(1)}`,
    '≥ 60% of sequential write',
    ratio >= 0.6,
  );
} finally {
  await http_?.close().catch(() => undefined);
  await bench?.close();
}
