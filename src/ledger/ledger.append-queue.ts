import type { Repos, Transact } from '../db/repos.ts';
import type { EntryBatch, StoredNode } from './ledger.repo.ts';
import { toBase64 } from './codec.ts';
import { FIRST_STORED_LEVEL, appendLeafHash, leafHash, type CompactRange } from './merkle.ts';

/**
 * Appends to the evidence log, batched. Concurrent `append` calls are queued per org and written
 * in batches of up to MAX_BATCH: one transaction per batch takes the org's advisory lock (so other
 * processes serialise too), reads the tree size, and inserts the entries and the interior nodes
 * they complete with one statement. A caller is resolved only after its batch's COMMIT.
 *
 * Two things keep PostgreSQL and Node busy at the same time: while batch N's inserts and COMMIT
 * run on the server, the next batch's leaf hashes and parameters are prepared; and the compact
 * range of the tree is kept in memory after each commit, so a batch needs no node lookup when
 * the tree size under the lock is the one this process last wrote (nodes never change once
 * written, so equal size means an identical range; any other writer changes the size).
 */

export type AppendResult = { index: number; leafHash: string };
export type QueuedEntry = { entry: Buffer; kind: string };

const MAX_BATCH = 2_000;

type Pending = QueuedEntry & { resolve: (r: AppendResult) => void; reject: (e: unknown) => void };
type Prepared = { items: Pending[] | QueuedEntry[]; leaves: Buffer[]; batch: EntryBatch };

function prepare(items: QueuedEntry[]): Prepared {
  const leaves = items.map((it) => leafHash(it.entry));
  const offsets: number[] = [];
  const lengths: number[] = [];
  let off = 0;
  for (const it of items) { offsets.push(off); lengths.push(it.entry.length); off += it.entry.length; }
  const batch = { kinds: items.map((it) => it.kind), entries: Buffer.concat(items.map((it) => it.entry), off), offsets, lengths, leafHashes: Buffer.concat(leaves) };
  return { items, leaves, batch };
}

export function createAppendQueue(deps: { transact: Transact; compactRange: (r: Repos, orgId: string, size: number) => Promise<CompactRange> }) {
  const queues = new Map<string, Pending[]>();
  const flushing = new Map<string, Promise<void>>();
  /** The range this process last committed, per org (see above for why reusing it is safe). */
  const committed = new Map<string, CompactRange>();

  /** Writes a prepared batch at the end of the log inside tx; `meanwhile` runs once the inserts are on their way. */
  async function write(tx: Repos, orgId: string, p: Prepared, meanwhile?: () => void) {
    await tx.ledger.lockOrg(orgId);
    const size = await tx.ledger.size(orgId);
    const known = committed.get(orgId);
    const range = known && known.size === size ? { size, hashes: known.hashes.slice() } : await deps.compactRange(tx, orgId, size);
    const nodes: StoredNode[] = [];
    for (const h of p.leaves) appendLeafHash(range, h, (n, hash) => { if (n.level >= FIRST_STORED_LEVEL) nodes.push({ level: n.level, idx: n.index, hash }); });
    const inserts = tx.ledger.insertBatch(orgId, size, p.batch, nodes);
    meanwhile?.();
    await inserts;
    return { range, results: p.leaves.map((h, i) => ({ index: size + i, leafHash: toBase64(h) })) };
  }

  function take(orgId: string): Prepared | null {
    const queue = queues.get(orgId);
    if (!queue?.length) return null;
    return prepare(queue.splice(0, MAX_BATCH));
  }

  async function flush(orgId: string): Promise<void> {
    let next = take(orgId);
    while (next) {
      const current = next;
      next = null;
      try {
        const { range, results } = await deps.transact((tx) => write(tx, orgId, current, () => { next = take(orgId); }));
        committed.set(orgId, range);
        for (const [i, p] of (current.items as Pending[]).entries()) p.resolve(results[i]!);
      } catch (e) {
        committed.delete(orgId);
        for (const p of current.items as Pending[]) p.reject(e);
      }
      // Synchronously with the emptiness check, so an append arriving after it starts a new flush.
      next ??= take(orgId);
    }
    queues.delete(orgId);
    flushing.delete(orgId);
  }

  return {
    /** Queues an entry; resolves with its index once the batch holding it has committed. */
    append(orgId: string, item: QueuedEntry): Promise<AppendResult> {
      return new Promise<AppendResult>((resolve, reject) => {
        const queue = queues.get(orgId) ?? [];
        queue.push({ ...item, resolve, reject });
        queues.set(orgId, queue);
        if (!flushing.has(orgId)) {
          // Let appends arriving in the same tick join the first batch.
          flushing.set(orgId, new Promise<void>((done) => setImmediate(done)).then(() => flush(orgId)));
        }
      });
    },

    /** Appends inside a transaction the caller holds; commits or rolls back with it (so the range is not remembered). */
    async appendTx(tx: Repos, orgId: string, items: QueuedEntry[]): Promise<AppendResult[]> {
      return (await write(tx, orgId, prepare(items))).results;
    },

    /** Waits for queued appends to be written (used on shutdown). */
    async drain() {
      while (flushing.size) await Promise.allSettled(flushing.values());
    },
  };
}
