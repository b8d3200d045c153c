import { and, asc, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.ts';
import { ledgerAudits, ledgerCheckpoints, ledgerEntries, ledgerKeys, ledgerNodes } from './ledger.tables.ts';
import type { NodeId } from './merkle.ts';

export type LedgerEntryRow = typeof ledgerEntries.$inferSelect;
export type LedgerCheckpointRow = typeof ledgerCheckpoints.$inferSelect;
export type LedgerKeyRow = typeof ledgerKeys.$inferSelect;
export type LedgerAuditRow = typeof ledgerAudits.$inferSelect;
export type NewLedgerAudit = Omit<typeof ledgerAudits.$inferInsert, 'id'>;
export type StoredNode = { level: number; idx: number; hash: Buffer };

// Namespace of the per-org advisory locks (first key); the second key is a hash of the org id.
const LEDGER_LOCK = 7_461_100;
const nodeKey = (level: number, idx: number) => `${level}/${idx}`;

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
    async insertEntries(rows: { orgId: string; idx: number; kind: string; entry: Buffer; leafHash: Buffer }[]) {
      if (rows.length) await db.insert(ledgerEntries).values(rows);
    },
    async insertNodes(orgId: string, nodes: StoredNode[]) {
      if (nodes.length) await db.insert(ledgerNodes).values(nodes.map((n) => ({ orgId, ...n })));
    },
    /** The given stored nodes, keyed "level/idx", in one query. */
    async nodes(orgId: string, ids: NodeId[]): Promise<Map<string, Buffer>> {
      const out = new Map<string, Buffer>();
      if (!ids.length) return out;
      const res = await db.execute<{ level: number; idx: string; hash: Buffer }>(sql`
        SELECT n.level, n.idx, n.hash FROM ledger_nodes n
        JOIN unnest(${`{${ids.map((i) => i.level).join(',')}}`}::int[], ${`{${ids.map((i) => i.index).join(',')}}`}::bigint[]) AS w(level, idx)
          ON n.level = w.level AND n.idx = w.idx
        WHERE n.org_id = ${orgId}`);
      for (const r of res.rows) out.set(nodeKey(r.level, Number(r.idx)), r.hash);
      return out;
    },
    /** Stored nodes with level L and index in [lo, hi] for each given (L, lo, hi): one audit window. */
    async nodesInWindows(orgId: string, windows: { level: number; lo: number; hi: number }[]): Promise<Map<string, Buffer>> {
      const out = new Map<string, Buffer>();
      if (!windows.length) return out;
      const arr = (f: (w: { level: number; lo: number; hi: number }) => number) => `{${windows.map(f).join(',')}}`;
      const res = await db.execute<{ level: number; idx: string; hash: Buffer }>(sql`
        SELECT n.level, n.idx, n.hash FROM ledger_nodes n
        JOIN unnest(${arr((w) => w.level)}::int[], ${arr((w) => w.lo)}::bigint[], ${arr((w) => w.hi)}::bigint[]) AS w(level, lo, hi)
          ON n.level = w.level AND n.idx BETWEEN w.lo AND w.hi
        WHERE n.org_id = ${orgId}`);
      for (const r of res.rows) out.set(nodeKey(r.level, Number(r.idx)), r.hash);
      return out;
    },
    async countNodes(orgId: string): Promise<number> {
      const res = await db.execute<{ n: string }>(sql`SELECT count(*)::bigint AS n FROM ledger_nodes WHERE org_id = ${orgId}`);
      return Number(res.rows[0]?.n ?? 0);
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
    /** Entries with idx >= from, in order; for streaming the whole log. */
    async entriesFrom(orgId: string, from: number, limit: number): Promise<LedgerEntryRow[]> {
      return db.select().from(ledgerEntries).where(and(eq(ledgerEntries.orgId, orgId), sql`${ledgerEntries.idx} >= ${from}`))
        .orderBy(asc(ledgerEntries.idx)).limit(limit);
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
