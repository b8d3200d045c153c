import { Worker } from 'node:worker_threads';
import type { Repos } from '../db/repos.ts';
import type { HashReply, HashRequest } from './ledger.audit-worker.ts';

/**
 * Pages of the log for auditLog. The main thread reads each page as one base64 string
 * (repos.ledger.auditPage); decoding it and hashing every entry, most of an audit's CPU, happens
 * on a small pool of worker threads (ledger.audit-worker.ts), so it runs on the other core while
 * the main thread folds the previous page into the tree. Pages go to the workers in turn.
 */

export const AUDIT_PAGE = 5_000;
export const HASH = 32;
const WORKERS = 2;

type Window = { level: number; lo: number; hi: number };
/** data: the packed entries (see auditPage); indexes only when they are not from, from + 1, ... */
export type AuditPage = { count: number; data: Buffer; indexes?: number[] };
/**
 * leaves: SHA-256 of 0x00 || entry bytes, for each entry in page order (32 bytes each).
 * nodes: per level, the offset in `packed` of each stored hash by idx - lo (undefined where none is stored).
 */
export type Page = { entries: AuditPage; packed: Buffer; leaves: Buffer; nodes: Map<number, { lo: number; at: (number | undefined)[] }> };

/** Stored interior nodes completed by leaves [from, to): at level L, indexes whose end falls in (from, to]. */
function windowsFor(from: number, to: number): Window[] {
  const windows: Window[] = [];
  for (let level = 1, w = 2; w <= to; level++, w *= 2) {
    const lo = Math.ceil((from + 1) / w) - 1;
    const hi = Math.floor(to / w) - 1;
    if (hi >= lo) windows.push({ level, lo, hi });
  }
  return windows;
}

const asBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

function nodeIndex(packed: Buffer, windows: Window[]): Page['nodes'] {
  const nodes: Page['nodes'] = new Map(windows.map((w) => [w.level, { lo: w.lo, at: [] }]));
  for (let off = 0; off + 10 + HASH <= packed.length; off += 10 + HASH) {
    const win = nodes.get(packed.readInt16BE(off))!;
    win.at[Number(packed.readBigInt64BE(off + 2)) - win.lo] = off + 10;
  }
  return nodes;
}

export function openPageReader(repos: Repos, orgId: string) {
  let nextId = 0;
  const waiting = new Map<number, { resolve: (r: HashReply) => void; reject: (e: Error) => void }>();
  // Started on first use, so a log of one page costs one worker.
  const workers: { w: Worker; exited: Promise<void> }[] = [];
  const start = () => {
    const w = new Worker(new URL('./ledger.audit-worker.ts', import.meta.url));
    const exited = new Promise<void>((done) => w.once('exit', () => done()));
    w.on('message', (reply: HashReply) => {
      const req = waiting.get(reply.id);
      waiting.delete(reply.id);
      req?.resolve(reply);
    });
    // A worker that dies fails every page still expected (cheaper than tracking which worker has which).
    w.on('error', (e) => { for (const r of waiting.values()) r.reject(e); waiting.clear(); });
    return { w, exited };
  };
  let turn = 0;
  let closed = false;
  const hash = (count: number, base64: string) => {
    // A page read ahead can arrive after the audit ended; it must not start a worker nobody stops.
    if (closed) return Promise.reject(new Error('the audit page reader is closed'));
    const id = nextId++;
    const reply = new Promise<HashReply>((resolve, reject) => waiting.set(id, { resolve, reject }));
    const slot = turn++ % WORKERS;
    workers[slot] ??= start();
    workers[slot].w.postMessage({ id, count, base64 } satisfies HashRequest);
    return reply;
  };
  return {
    /** The page of entries [from, from + AUDIT_PAGE) with their leaf hashes and the stored nodes they complete. */
    async fetch(from: number): Promise<Page> {
      const windows = windowsFor(from, from + AUDIT_PAGE);
      const [page, packed] = await Promise.all([repos.ledger.auditPage(orgId, from, AUDIT_PAGE), repos.ledger.auditNodes(orgId, windows)]);
      const hashed = await hash(page.count, page.base64);
      const entries: AuditPage = { count: page.count, data: asBuffer(hashed.data), ...(page.indexes ? { indexes: page.indexes } : {}) };
      return { entries, packed, leaves: asBuffer(hashed.leaves), nodes: nodeIndex(packed, windows) };
    },
    async close() {
      closed = true;
      waiting.clear();
      await Promise.all(workers.map(({ w, exited }) => { void w.terminate(); return exited; }));
    },
  };
}
