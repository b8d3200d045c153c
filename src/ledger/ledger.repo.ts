import { and, asc, desc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { DbOrTx } from '../db/database.ts';
import { ledgerAudits, ledgerCheckpoints, ledgerEntries, ledgerKeys } from './ledger.tables.ts';
import { completeNodes, storedNodesFor, type NodeId } from './merkle.ts';

export type LedgerEntryRow = typeof ledgerEntries.$inferSelect;
export type LedgerCheckpointRow = typeof ledgerCheckpoints.$inferSelect;
export type LedgerKeyRow = typeof ledgerKeys.$inferSelect;
export type LedgerAuditRow = typeof ledgerAudits.$inferSelect;
export type NewLedgerAudit = Omit<typeof ledgerAudits.$inferInsert, 'id'>;
export type StoredNode = { level: number; idx: number; hash: Buffer };
/** Entries to append: `entries` holds every entry's bytes back to back (offsets/lengths into it), `leafHashes` 32 bytes each. */
export type EntryBatch = { kinds: string[]; entries: Buffer; offsets: number[]; lengths: number[]; leafHashes: Buffer };

// Namespace of the per-org advisory locks (first key); the second key is a hash of the org id.
const LEDGER_LOCK = 7_461_100;
const nodeKey = (level: number, idx: number) => `${level}/${idx}`;

// Arrays go to drizzle's sql`` as PostgreSQL array literals (a JS array there would become a list of parameters).
const intArray = (xs: number[]) => `{${xs.join(',')}}`;
const textArray = (xs: string[]) => `{${xs.map((x) => `"${x.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;

/** The leaves and stored interior nodes to fetch for `ids` (nodes below FIRST_STORED_LEVEL come from their leaves). */
function splitLeaves(ids: NodeId[]): [number[], NodeId[]] {
  const stored = storedNodesFor(ids);
  return [stored.filter((i) => i.level === 0).map((i) => i.index), stored.filter((i) => i.level > 0)];
}

/**
 * The hot read paths (proofs, audit) go straight to the pg pool with array rows, skipping
 * drizzle's query building and row mapping. Not available inside a transaction. A `name` makes
 * it a prepared statement, planned once per connection: only for small lookups whose plan does
 * not depend on the values (the audit's page scans are planned for their actual bounds each time).
 */
async function rawQuery<R extends unknown[]>(db: DbOrTx, q: { name?: string; text: string; values: unknown[] }): Promise<R[]> {
  const pool = (db as { $client?: pg.Pool }).$client;
  if (!pool) throw new Error('ledger read paths run on the pool, not inside a transaction');
  const res = await pool.query<R>({ ...q, rowMode: 'array' });
  return res.rows;
}

// COPY takes no parameters, so its values are written into the statement: integers checked as
// such and the org id checked as a UUID, which leaves nothing to escape.
const int = (n: number) => {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not an integer: ${n}`);
  return String(n);
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuidLiteral = (id: string) => {
  if (!UUID.test(id)) throw new RangeError('not a UUID');
  return `'${id}'`;
};

/** Runs a `COPY … TO STDOUT` on a pooled connection and returns its whole output. */
async function copyOut(db: DbOrTx, text: string): Promise<Buffer> {
  const pool = (db as { $client?: pg.Pool }).$client;
  if (!pool) throw new Error('ledger read paths run on the pool, not inside a transaction');
  const client = await pool.connect();
  let failed: Error | undefined;
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of client.query(copyTo(text))) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  } catch (e) {
    failed = e as Error;
    throw e;
  } finally {
    // A connection whose COPY failed midway is not reused.
    client.release(failed);
  }
}

export function createLedgerRepo(db: DbOrTx) {
  return {
    /** Serialises appends to one org's log until the transaction ends (any node, any process). */
    async lockOrg(orgId: string) {
      await db.execute(sql`SELECT pg_advisory_xact_lock(${LEDGER_LOCK}, hashtext(${orgId}))`);
    },
    async size(orgId: string): Promise<number> {
      const res = await db.execute<{ size: string }>(sql`SELECT coalesce(max(idx) + 1, 0)::bigint AS size FROM ledger_entries WHERE org_id = ${orgId}`);
      return Number(res.rows[0]?.size ?? 0);
    },
    /**
     * One batch of entries at idx first.. and the interior nodes (level >= 1; leaf hashes live in
     * ledger_entries) they complete, in one statement and one round trip: entry bytes, leaf
     * hashes and node hashes travel as three binary bytea parameters, cut with substring server-side.
     */
    async insertBatch(orgId: string, first: number, batch: EntryBatch, nodes: StoredNode[]) {
      if (!batch.kinds.length) return;
      await db.execute(sql`
        WITH entries AS (
          INSERT INTO ledger_entries (org_id, idx, kind, entry, leaf_hash)
          SELECT ${orgId}::uuid, ${first}::bigint + u.ord - 1, u.kind, substring(${batch.entries}::bytea FROM u.off + 1 FOR u.len),
            substring(${batch.leafHashes}::bytea FROM (u.ord - 1)::int * 32 + 1 FOR 32)
          FROM unnest(${textArray(batch.kinds)}::text[], ${intArray(batch.offsets)}::int[], ${intArray(batch.lengths)}::int[]) WITH ORDINALITY AS u(kind, off, len, ord)
        )
        INSERT INTO ledger_nodes (org_id, level, idx, hash)
        SELECT ${orgId}::uuid, u.level, u.idx, substring(${Buffer.concat(nodes.map((n) => n.hash))}::bytea FROM (u.ord - 1)::int * 32 + 1 FOR 32)
        FROM unnest(${intArray(nodes.map((n) => n.level))}::int[], ${intArray(nodes.map((n) => n.idx))}::bigint[]) WITH ORDINALITY AS u(level, idx, ord)`);
    },
    /** The given nodes, keyed "level/idx", in one query; level 0 is read from the entries' leaf hashes. */
    async nodes(orgId: string, ids: NodeId[]): Promise<Map<string, Buffer>> {
      const out = new Map<string, Buffer>();
      if (!ids.length) return out;
      const [leaves, inner] = splitLeaves(ids);
      const res = await db.execute<{ level: number; idx: string; hash: Buffer }>(sql`
        SELECT n.level, n.idx, n.hash FROM ledger_nodes n
        JOIN unnest(${intArray(inner.map((i) => i.level))}::int[], ${intArray(inner.map((i) => i.index))}::bigint[]) AS w(level, idx)
          ON n.level = w.level AND n.idx = w.idx
        WHERE n.org_id = ${orgId}
        UNION ALL
        SELECT 0, e.idx, e.leaf_hash FROM ledger_entries e WHERE e.org_id = ${orgId} AND e.idx = ANY(${intArray(leaves)}::bigint[])`);
      for (const r of res.rows) out.set(nodeKey(r.level, Number(r.idx)), r.hash);
      completeNodes(ids, out);
      return out;
    },
    /**
     * For proofs, in one round trip on a named prepared statement: the tree size now, the newest
     * checkpoint's size, and the given nodes (level 0 from the entries).
     */
    async proofNodes(orgId: string, ids: NodeId[]): Promise<{ size: number; checkpointSize: number | null; nodes: Map<string, Buffer> }> {
      const [leaves, inner] = splitLeaves(ids);
      const res = await rawQuery<[number, string | null, Buffer | null]>(db, {
        name: 'ledger_proof_nodes',
        // Rows with level -1 and -2 carry the tree size and the newest checkpoint's size in idx.
        text: `SELECT -1 AS level, (SELECT coalesce(max(idx) + 1, 0) FROM ledger_entries WHERE org_id = $1) AS idx, NULL::bytea AS hash
               UNION ALL
               SELECT -2, (SELECT max(tree_size) FROM ledger_checkpoints WHERE org_id = $1), NULL
               UNION ALL
               SELECT w.level, w.idx, (SELECT n.hash FROM ledger_nodes n WHERE n.org_id = $1 AND n.level = w.level AND n.idx = w.idx)
               FROM unnest($2::int[], $3::bigint[]) AS w(level, idx)
               UNION ALL
               SELECT 0, w.idx, (SELECT e.leaf_hash FROM ledger_entries e WHERE e.org_id = $1 AND e.idx = w.idx) FROM unnest($4::bigint[]) AS w(idx)`,
        values: [orgId, inner.map((i) => i.level), inner.map((i) => i.index), leaves],
      });
      let size = 0;
      let checkpointSize: number | null = null;
      const nodes = new Map<string, Buffer>();
      for (const [level, idx, hash] of res) {
        if (level === -1) size = Number(idx);
        else if (level === -2) checkpointSize = idx === null ? null : Number(idx);
        else if (hash) nodes.set(nodeKey(level, Number(idx)), hash);
      }
      completeNodes(ids, nodes);
      return { size, checkpointSize, nodes };
    },
    /** The smallest idx >= from, if any (the audit's check for entries past a gap at the end of a page). */
    async firstIndexFrom(orgId: string, from: number): Promise<number | null> {
      const [row] = await rawQuery<[string | null]>(db, { name: 'ledger_first_index_from', text: 'SELECT min(idx) FROM ledger_entries WHERE org_id = $1 AND idx >= $2', values: [orgId, from] });
      return row?.[0] == null ? null : Number(row[0]);
    },
    /**
     * The entries with idx in [from, from + limit), for the audit, as PostgreSQL's binary COPY
     * output (tuples of idx int8, kind text, entry bytea, leaf_hash bytea; see
     * ledger.audit-checks.ts): the server neither encodes nor aggregates anything and the client
     * gets a few large buffers instead of thousands of rows or one huge string. A bounded range
     * rather than LIMIT, so the plan stays a small scan even when the table's statistics are stale
     * after a bulk append.
     */
    async auditPage(orgId: string, from: number, limit: number): Promise<Buffer> {
      return copyOut(db, `COPY (SELECT idx, kind, entry, leaf_hash FROM ledger_entries
        WHERE org_id = ${uuidLiteral(orgId)} AND idx >= ${int(from)} AND idx < ${int(from + limit)} ORDER BY idx) TO STDOUT (FORMAT binary)`);
    },
    /** Interior nodes of level L with idx in [lo, hi] per window, as binary COPY tuples (level int2, idx int8, hash bytea). */
    async auditNodes(orgId: string, windows: { level: number; lo: number; hi: number }[]): Promise<Buffer> {
      const list = (xs: number[]) => `'{${xs.map(int).join(',')}}'`;
      return copyOut(db, `COPY (SELECT n.level::int2, n.idx, n.hash
        FROM unnest(${list(windows.map((w) => w.level))}::int[], ${list(windows.map((w) => w.lo))}::bigint[], ${list(windows.map((w) => w.hi))}::bigint[]) AS w(level, lo, hi)
        CROSS JOIN LATERAL (SELECT level, idx, hash FROM ledger_nodes WHERE org_id = ${uuidLiteral(orgId)} AND level = w.level AND idx BETWEEN w.lo AND w.hi) n) TO STDOUT (FORMAT binary)`);
    },
    /** Stored interior nodes (for the audit's check that none lies outside the tree). */
    async countNodes(orgId: string): Promise<number> {
      const res = await db.execute<{ n: string }>(sql`SELECT count(*)::bigint AS n FROM ledger_nodes WHERE org_id = ${orgId}`);
      return Number(res.rows[0]?.n ?? 0);
    },
    /** Entries of the given kinds from index `from` on, in index order (the audit's record checks). */
    async entriesOfKinds(orgId: string, kinds: readonly string[], from: number, limit: number): Promise<{ idx: number; kind: string; entry: Buffer }[]> {
      return db.select({ idx: ledgerEntries.idx, kind: ledgerEntries.kind, entry: ledgerEntries.entry }).from(ledgerEntries)
        .where(and(eq(ledgerEntries.orgId, orgId), inArray(ledgerEntries.kind, [...kinds]), gte(ledgerEntries.idx, from)))
        .orderBy(asc(ledgerEntries.idx)).limit(limit);
    },
    async entry(orgId: string, idx: number): Promise<LedgerEntryRow | undefined> {
      const [row] = await db.select().from(ledgerEntries).where(and(eq(ledgerEntries.orgId, orgId), eq(ledgerEntries.idx, idx)));
      return row;
    },
    async firstIndexOfLeaf(orgId: string, leafHash: Buffer): Promise<number | undefined> {
      const [row] = await db.select({ idx: ledgerEntries.idx }).from(ledgerEntries)
        .where(and(eq(ledgerEntries.orgId, orgId), eq(ledgerEntries.leafHash, leafHash))).orderBy(asc(ledgerEntries.idx)).limit(1);
      return row?.idx;
    },
    async insertCheckpoint(row: { orgId: string; treeSize: number; rootHash: Buffer; note: string; keyId: string }): Promise<LedgerCheckpointRow | undefined> {
      const [inserted] = await db.insert(ledgerCheckpoints).values(row).onConflictDoNothing().returning();
      return inserted;
    },
    async checkpointAt(orgId: string, treeSize: number): Promise<LedgerCheckpointRow | undefined> {
      const [row] = await db.select().from(ledgerCheckpoints).where(and(eq(ledgerCheckpoints.orgId, orgId), eq(ledgerCheckpoints.treeSize, treeSize)));
      return row;
    },
    async latestCheckpoint(orgId: string): Promise<LedgerCheckpointRow | undefined> {
      const [row] = await db.select().from(ledgerCheckpoints).where(eq(ledgerCheckpoints.orgId, orgId)).orderBy(desc(ledgerCheckpoints.treeSize)).limit(1);
      return row;
    },
    /** Newest first; `before` is a tree size (keyset pagination). */
    async listCheckpoints(orgId: string, before: number | undefined, limit: number): Promise<LedgerCheckpointRow[]> {
      return db.select().from(ledgerCheckpoints)
        .where(and(eq(ledgerCheckpoints.orgId, orgId), before === undefined ? undefined : lt(ledgerCheckpoints.treeSize, before)))
        .orderBy(desc(ledgerCheckpoints.treeSize)).limit(limit + 1);
    },
    async allCheckpoints(orgId: string): Promise<LedgerCheckpointRow[]> {
      return db.select().from(ledgerCheckpoints).where(eq(ledgerCheckpoints.orgId, orgId)).orderBy(asc(ledgerCheckpoints.treeSize));
    },
    async activeKey(orgId: string): Promise<LedgerKeyRow | undefined> {
      const [row] = await db.select().from(ledgerKeys).where(and(eq(ledgerKeys.orgId, orgId), isNull(ledgerKeys.retiredAt)))
        .orderBy(desc(ledgerKeys.createdAt)).limit(1);
      return row;
    },
    async keys(orgId: string): Promise<LedgerKeyRow[]> {
      return db.select().from(ledgerKeys).where(eq(ledgerKeys.orgId, orgId)).orderBy(asc(ledgerKeys.createdAt));
    },
    async insertKey(row: { orgId: string; keyId: string; name: string; publicKey: Buffer; sealedPrivateKey: string }) {
      await db.insert(ledgerKeys).values(row);
    },
    async retireKeys(orgId: string) {
      await db.update(ledgerKeys).set({ retiredAt: new Date() }).where(and(eq(ledgerKeys.orgId, orgId), isNull(ledgerKeys.retiredAt)));
    },
    /** Serialises key creation and rotation for one org. */
    async lockKeys(orgId: string) {
      await db.execute(sql`SELECT pg_advisory_xact_lock(${LEDGER_LOCK + 1}, hashtext(${orgId}))`);
    },
    async insertAudit(row: NewLedgerAudit): Promise<LedgerAuditRow> {
      const [inserted] = await db.insert(ledgerAudits).values(row).returning();
      return inserted!;
    },
    async latestAudit(orgId: string): Promise<LedgerAuditRow | undefined> {
      const [row] = await db.select().from(ledgerAudits).where(eq(ledgerAudits.orgId, orgId))
        .orderBy(desc(ledgerAudits.finishedAt), desc(ledgerAudits.startedAt)).limit(1);
      return row;
    },
    /** Orgs with at least one entry (for the audit job; crosses tenants by design). */
    async orgsWithEntries(): Promise<string[]> {
      const res = await db.execute<{ org_id: string }>(sql`SELECT DISTINCT org_id FROM ledger_entries`);
      return res.rows.map((r) => r.org_id);
    },
    /** Orgs whose log has grown past their latest checkpoint (for the checkpoint job; crosses tenants by design). */
    async orgsNeedingCheckpoint(): Promise<string[]> {
      const res = await db.execute<{ org_id: string }>(sql`
        SELECT e.org_id FROM (SELECT org_id, max(idx) + 1 AS size FROM ledger_entries GROUP BY org_id) e
        LEFT JOIN (SELECT org_id, max(tree_size) AS size FROM ledger_checkpoints GROUP BY org_id) c ON c.org_id = e.org_id
        WHERE c.size IS NULL OR c.size < e.size`);
      return res.rows.map((r) => r.org_id);
    },
  };
}
export type LedgerRepo = ReturnType<typeof createLedgerRepo>;
