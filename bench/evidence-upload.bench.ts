// Evidence uploads through the HTTP API: 1,000 multipart uploads of 1 MB (distinct random bytes, an
// API token; the client in a worker thread) to the real server on loopback, on a throwaway embedded
// PostgreSQL, at 8 and at 32 in flight, against the disk's sequential write throughput measured by
// this script in the blob store's directory. Each upload is durable when answered: file and
// directories fsynced, then the evidence row and its log entry committed. The same client also
// runs against two reference servers (upload-references.ts) that show what the machine can do at
// most, and the script reports where the server's time went.
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildServer } from '../src/http/server.ts';
import { sequentialWrite } from './disk.ts';
import { cpuPer, machineCpu } from './machine-cpu.ts';
import { report } from './report.ts';
import { startThrowawayApp, type ThrowawayApp } from './throwaway-app.ts';
import { hashOnlyServer, minimalDurableServer, type ReferenceServer } from './upload-references.ts';
import { distinctContent, type UploadInput, type UploadResult } from './upload-load.ts';

const N = 1000;
const SIZE = 1024 * 1024;
const CONCURRENCY = [8, 32];
const MB = 1024 * 1024;
const log = (m: string) => process.stderr.write(`  [evidence-upload] ${m}\n`);
const now = () => performance.now();

const seed = crypto.randomBytes(SIZE);
const rate = (r: UploadResult) => (N * SIZE) / MB / (r.ms / 1000);

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
  // and the record (the group-committed row insert, log append and commit), summed over the uploads.
  const spent = { put: 0, record: 0 };
  const put = s.blobs.put.bind(s.blobs);
  s.blobs.put = async (...args) => { const t0 = now(); try { return await put(...args); } finally { spent.put += now() - t0; } };
  const recordFile = s.evidence.recordFile;
  s.evidence.recordFile = async (...args) => { const t0 = now(); try { return await recordFile(...args); } finally { spent.record += now() - t0; } };

  http_ = await buildServer(s, { logger: false });
  const address = await http_.listen({ port: 0, host: '127.0.0.1' });
  const input = (url: string, inFlight: number): UploadInput => ({ url, token: secret, controlId: control.id, count: N, inFlight, size: SIZE });
  const blobsDir = path.join(config.dataDir, 'blobs');
  const disk = (first: number) => sequentialWrite(blobsDir, N, (i) => distinctContent(seed, first + i));

  const diskBefore = await disk(10 * N);
  const ours: { inFlight: number; mbps: number; put: number; record: number; cpu: number; machineMs: number | null }[] = [];
  for (const [round, inFlight] of CONCURRENCY.entries()) {
    spent.put = 0;
    spent.record = 0;
    const cpuStart = process.cpuUsage();
    const machineStart = machineCpu();
    const result = await inWorker(input(new URL(`/api/v1/orgs/${org.id}/evidence/files`, address).toString(), inFlight), round * N);
    const cpu = process.cpuUsage(cpuStart);
    ours.push({ inFlight, mbps: rate(result), put: spent.put / N, record: spent.record / N, cpu: (cpu.user + cpu.system) / 1000 / result.ms, machineMs: cpuPer(machineStart, machineCpu(), N) });
    log(`${inFlight} in flight: ${rate(result).toFixed(0)} MB/s; per upload (ms, summed over those in flight): store put ${(spent.put / N).toFixed(1)}, record ${(spent.record / N).toFixed(1)}; load ${os.loadavg()[0]!.toFixed(1)}`);
  }
  const diskAfter = await disk(11 * N);
  if ((await s.ledger.status(org.id)).treeSize < N * CONCURRENCY.length) throw new Error('not every upload was recorded');

  // The machine's ceilings with the same client and bodies: hashing only, and the least durable store.
  const references: { name: string; inFlight: number; mbps: number; machineMs: number | null }[] = [];
  const refs: [string, () => Promise<ReferenceServer>][] = [
    ['hash only', hashOnlyServer],
    ['minimal durable store', () => minimalDurableServer(path.join(bench!.dir, 'reference-store'))],
  ];
  for (const [name, start] of refs) {
    for (const inFlight of CONCURRENCY) {
      const server = await start();
      try {
        const machineStart = machineCpu();
        const result = await inWorker(input(server.url, inFlight), (2 + references.length) * N);
        references.push({ name, inFlight, mbps: rate(result), machineMs: cpuPer(machineStart, machineCpu(), N) });
      } finally {
        await server.close();
      }
    }
  }

  const diskRate = (diskBefore + diskAfter) / 2;
  const pct = (mbps: number) => `${(mbps / diskRate * 100).toFixed(0)}%`;
  const best = Math.max(...ours.map((o) => o.mbps));
  const ms = (v: number | null) => (v === null ? '?' : v.toFixed(1));
  const refText = refs.map(([name]) => `${name} ${references.filter((r) => r.name === name).map((r) => `${r.mbps.toFixed(0)} (${pct(r.mbps)}, ${ms(r.machineMs)} ms CPU)`).join(' / ')}`).join(', ');
  // What the target allows: the machine's cores divided over the uploads a second it asks for.
  const cores = machineCpu()?.cores ?? os.availableParallelism();
  const budget = (cores * 1000) / (0.6 * diskRate);
  report(
    'evidence uploads through the API (1,000 × 1 MB distinct, multipart, fsynced + logged; 8 / 32 in flight)',
    `${ours.map((o) => `${o.mbps.toFixed(0)} MB/s`).join(' / ')} vs sequential write + fsync ${diskRate.toFixed(0)} MB/s (before ${diskBefore.toFixed(0)}, after ${diskAfter.toFixed(0)}): ${ours.map((o) => pct(o.mbps)).join(' / ')}; `
      + `machine CPU per upload ${ours.map((o) => ms(o.machineMs)).join(' / ')} ms (the target leaves ${budget.toFixed(1)} ms on ${cores} cores); `
      + `same client, reference servers (MB/s, 8 / 32 in flight): ${refText}; `
      + `per upload in flight (8 / 32): store put ${ours.map((o) => o.put.toFixed(1)).join(' / ')} ms, record + log ${ours.map((o) => o.record.toFixed(1)).join(' / ')} ms; process CPU ${ours.map((o) => `${(o.cpu * 100).toFixed(0)}%`).join(' / ')} of wall; load ${os.loadavg()[0]!.toFixed(1)}`,
    '≥ 60% of sequential write',
    best / diskRate >= 0.6,
  );
} finally {
  await http_?.close().catch(() => undefined);
  await bench?.close();
}
