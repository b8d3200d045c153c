import { Worker } from 'node:worker_threads';
import type { Repos } from '../db/repos.ts';
import { AUDIT_PAGE, PAGE_LEVELS, indexNodes, windowsFor, type StoredNodes, type SubtreeResult } from './ledger.audit-checks.ts';
import type { HashReply, HashRequest } from './ledger.audit-worker.ts';

/**
 * Pages of the log for auditLog. The main thread reads each page as PostgreSQL's binary COPY
 * output (repos.ledger.auditPage); everything per entry happens on a small pool of worker threads
 * (ledger.audit-worker.ts) that get pages in turn, so it runs on the other core while the main
 * thread waits for the database. A full page that is one perfect subtree comes back checked, as
 * its root and problems; any other page comes back with its leaf hashes.
 */

const WORKERS = 2;

/** The stored interior nodes the page completes (node tuples and their index), for the checks left to the main thread. */
type PageNodes = { nodeData: Buffer; nodes: StoredNodes };
/** data: the entry tuples; leaves: SHA-256 of 0x00 || entry bytes, for each entry in page order (32 bytes each). */
export type LeafPage = PageNodes & { kind: 'leaves'; count: number; data: Buffer; leaves: Buffer };
export type SubtreePage = PageNodes & { kind: 'subtree'; from: number; count: number; result: SubtreeResult };
export type Page = LeafPage | SubtreePage;

const asBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
/** A buffer that owns its whole memory is moved to the worker; anything else is copied. */
const movable = (b: Buffer) => b.byteLength > 0 && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength;

/** `asSubtree(from)`: whether a full page at `from` may be checked whole (the caller needs no root inside it). */
export function openPageReader(repos: Repos, orgId: string, asSubtree: (from: number) => boolean) {
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
  const send = (req: Omit<HashRequest, 'id'>, transfer: ArrayBuffer[]) => {
    // A page read ahead can arrive after the audit ended; it must not start a worker nobody stops.
    if (closed) return Promise.reject(new Error('the audit page reader is closed'));
    const id = nextId++;
    const reply = new Promise<HashReply>((resolve, reject) => waiting.set(id, { resolve, reject }));
    const slot = turn++ % WORKERS;
    workers[slot] ??= start();
    workers[slot].w.postMessage({ id, ...req } satisfies HashRequest, transfer);
    return reply;
  };
  return {
    /** The page of entries [from, from + AUDIT_PAGE) and the stored nodes they complete. */
    async fetch(from: number): Promise<Page> {
      const windows = windowsFor(from, from + AUDIT_PAGE);
      const [data, nodeData] = await Promise.all([repos.ledger.auditPage(orgId, from, AUDIT_PAGE), repos.ledger.auditNodes(orgId, windows)]);
      const whole = from % AUDIT_PAGE === 0 && asSubtree(from);
      // A page checked whole leaves only the nodes above it to the main thread (unless the worker finds it is not full after all).
      const nodes = indexNodes(nodeData, whole ? windows.filter((w) => w.level > PAGE_LEVELS) : windows);
      // The page moves to the worker (and back, when it is to be checked here); the nodes are copied, both sides need them.
      const reply = await send({ from, data, ...(whole ? { nodes: nodeData } : {}) }, movable(data) ? [data.buffer as ArrayBuffer] : []);
      if ('subtree' in reply) return { kind: 'subtree', from, count: reply.count, result: { ...reply.subtree, root: asBuffer(reply.subtree.root) }, nodeData, nodes };
      return { kind: 'leaves', count: reply.count, data: asBuffer(reply.data), leaves: asBuffer(reply.leaves), nodeData, nodes: whole ? indexNodes(nodeData, windows) : nodes };
    },
    async close() {
      closed = true;
      waiting.clear();
      await Promise.all(workers.map(({ w, exited }) => { void w.terminate(); return exited; }));
    },
  };
}
