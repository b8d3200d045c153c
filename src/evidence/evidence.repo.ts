import { and, desc, eq, ilike, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.ts';
import { evidenceControls, evidenceItems } from './evidence.tables.ts';
import type { EvidenceRow } from './evidence.record.ts';

export type EvidenceFilter = { controlId?: string; status?: EvidenceRow['status']; kind?: EvidenceRow['kind']; q?: string; seriesId?: string };
export type LatestEvidence = { controlId: string; kind: EvidenceRow['kind']; checkId: string | null; checkStatus: EvidenceRow['checkStatus']; periodEnd: Date | null; collectedAt: Date };

export function createEvidenceRepo(db: DbOrTx) {
  return {
    /** Serialises version numbering within one series (two uploads of a new version at once get 2 and 3). */
    async lockSeries(orgId: string, seriesId: string) {
      await db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`evidence:${orgId}:${seriesId}`}, 0))`);
    },
    async latestInSeries(orgId: string, seriesId: string): Promise<EvidenceRow | undefined> {
      const [row] = await db.select().from(evidenceItems)
        .where(and(eq(evidenceItems.orgId, orgId), eq(evidenceItems.seriesId, seriesId))).orderBy(desc(evidenceItems.version)).limit(1);
      return row;
    },
    /** New versions and their control links: one statement for the versions, one for the links. */
    async insertMany(items: readonly { values: typeof evidenceItems.$inferInsert & { id: string }; controlIds: readonly string[] }[]): Promise<EvidenceRow[]> {
      if (!items.length) return [];
      const rows = await db.insert(evidenceItems).values(items.map((i) => i.values)).returning();
      // Ids are given by the caller, so the links need not rely on the order RETURNING gives.
      const links = items.flatMap((item) => item.controlIds.map((controlId) => ({ orgId: item.values.orgId, evidenceId: item.values.id, controlId })));
      if (links.length) await db.insert(evidenceControls).values(links);
      return rows;
    },
    /** Ties versions to their log entries, all in one statement. */
    async setLedgerIndexes(orgId: string, pairs: readonly { id: string; index: number }[]) {
      if (!pairs.length) return;
      await db.execute(sql`UPDATE ${evidenceItems} SET ledger_index = v.idx
        FROM unnest(${`{${pairs.map((p) => p.id).join(',')}}`}::uuid[], ${`{${pairs.map((p) => p.index).join(',')}}`}::bigint[]) AS v(id, idx)
        WHERE ${evidenceItems.orgId} = ${orgId} AND ${evidenceItems.id} = v.id`);
    },
    async find(orgId: string, id: string): Promise<EvidenceRow | undefined> {
      const [row] = await db.select().from(evidenceItems).where(and(eq(evidenceItems.orgId, orgId), eq(evidenceItems.id, id)));
      return row;
    },
    async findMany(orgId: string, ids: readonly string[]): Promise<EvidenceRow[]> {
      if (!ids.length) return [];
      return db.select().from(evidenceItems).where(and(eq(evidenceItems.orgId, orgId), inArray(evidenceItems.id, [...ids])));
    },
    /** Unpurged versions holding any of these files (at most 50 per file asked for). */
    async findByShas(orgId: string, sha256s: readonly string[]): Promise<EvidenceRow[]> {
      if (!sha256s.length) return [];
      return db.select().from(evidenceItems)
        .where(and(eq(evidenceItems.orgId, orgId), inArray(evidenceItems.sha256, [...sha256s]), isNull(evidenceItems.purgedAt))).limit(50 * sha256s.length);
    },
    async controlIds(orgId: string, evidenceIds: readonly string[]): Promise<Map<string, string[]>> {
      const out = new Map<string, string[]>(evidenceIds.map((id) => [id, []]));
      if (!evidenceIds.length) return out;
      const rows = await db.select().from(evidenceControls)
        .where(and(eq(evidenceControls.orgId, orgId), inArray(evidenceControls.evidenceId, [...evidenceIds])));
      for (const r of rows) out.get(r.evidenceId)?.push(r.controlId);
      return out;
    },
    /** Newest first; the cursor is (created_at, id) of the last row. */
    async list(orgId: string, f: EvidenceFilter, after: [string, string] | undefined, limit: number): Promise<EvidenceRow[]> {
      const linked = f.controlId
        ? inArray(evidenceItems.id, db.select({ id: evidenceControls.evidenceId }).from(evidenceControls)
          .where(and(eq(evidenceControls.orgId, orgId), eq(evidenceControls.controlId, f.controlId))))
        : undefined;
      return db.select().from(evidenceItems).where(and(
        eq(evidenceItems.orgId, orgId), linked,
        f.status ? eq(evidenceItems.status, f.status) : undefined,
        f.kind ? eq(evidenceItems.kind, f.kind) : undefined,
        f.seriesId ? eq(evidenceItems.seriesId, f.seriesId) : undefined,
        f.q ? or(ilike(evidenceItems.title, `%${f.q.replace(/[%_\\]/g, '\\$&')}%`), ilike(evidenceItems.fileName, `%${f.q.replace(/[%_\\]/g, '\\$&')}%`)) : undefined,
        after ? sql`(${evidenceItems.createdAt}, ${evidenceItems.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined,
      )).orderBy(desc(evidenceItems.createdAt), desc(evidenceItems.id)).limit(limit + 1);
    },
    /** Accept or reject once: only a submitted version can be reviewed. False when it was not submitted. */
    async review(orgId: string, id: string, v: { status: 'accepted' | 'rejected'; reason: string | null; reviewedBy: string | null }): Promise<EvidenceRow | undefined> {
      const [row] = await db.update(evidenceItems).set({ status: v.status, reviewReason: v.reason, reviewedBy: v.reviewedBy, reviewedAt: sql`now()` })
        .where(and(eq(evidenceItems.orgId, orgId), eq(evidenceItems.id, id), eq(evidenceItems.status, 'submitted'))).returning();
      return row;
    },
    async setLegalHold(orgId: string, id: string, hold: boolean, reason: string | null): Promise<EvidenceRow | undefined> {
      const [row] = await db.update(evidenceItems).set({ legalHold: hold, legalHoldReason: reason })
        .where(and(eq(evidenceItems.orgId, orgId), eq(evidenceItems.id, id), isNull(evidenceItems.purgedAt))).returning();
      return row;
    },
    /** Versions past their retention date, not on hold and not yet purged, across orgs (the purge job). */
    async dueForPurge(today: string, limit: number): Promise<EvidenceRow[]> {
      return db.select().from(evidenceItems)
        .where(and(lt(evidenceItems.retentionUntil, today), isNull(evidenceItems.purgedAt), eq(evidenceItems.legalHold, false)))
        .orderBy(evidenceItems.retentionUntil).limit(limit);
    },
    async markPurged(orgId: string, id: string): Promise<boolean> {
      const rows = await db.update(evidenceItems).set({ purgedAt: sql`now()` })
        .where(and(eq(evidenceItems.orgId, orgId), eq(evidenceItems.id, id), isNull(evidenceItems.purgedAt), eq(evidenceItems.legalHold, false)))
        .returning({ id: evidenceItems.id });
      return rows.length === 1;
    },
    /** Whether any unpurged version in any org still points at these bytes (the blob store is shared and content-addressed). */
    async blobStillUsed(sha256: string): Promise<boolean> {
      const rows = await db.select({ id: evidenceItems.id }).from(evidenceItems)
        .where(and(eq(evidenceItems.sha256, sha256), isNull(evidenceItems.purgedAt))).limit(1);
      return rows.length > 0;
    },
    /** Per control: its accepted evidence newest first, one row per check (latest) and the newest of the rest. */
    async latestForControls(orgId: string): Promise<LatestEvidence[]> {
      const res = await db.execute<{ control_id: string; kind: EvidenceRow['kind']; check_id: string | null; check_status: EvidenceRow['checkStatus']; period_end: string | null; collected_at: string }>(sql`
        SELECT DISTINCT ON (c.control_id, coalesce(e.check_id::text, '')) c.control_id, e.kind, e.check_id, e.check_status, e.period_end, e.collected_at
        FROM ${evidenceControls} c JOIN ${evidenceItems} e ON e.org_id = c.org_id AND e.id = c.evidence_id
        WHERE c.org_id = ${orgId} AND e.status = 'accepted' AND e.purged_at IS NULL
        ORDER BY c.control_id, coalesce(e.check_id::text, ''), coalesce(e.period_end, e.collected_at) DESC, e.collected_at DESC`);
      return res.rows.map((r) => ({
        controlId: r.control_id, kind: r.kind, checkId: r.check_id, checkStatus: r.check_status,
        periodEnd: r.period_end ? new Date(r.period_end) : null, collectedAt: new Date(r.collected_at),
      }));
    },
  };
}
export type EvidenceRepo = ReturnType<typeof createEvidenceRepo>;
