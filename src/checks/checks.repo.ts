import { and, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.ts';
import { checkControls, checkRuns, checks } from './checks.tables.ts';

export type CheckRow = typeof checks.$inferSelect;
export type NewCheck = typeof checks.$inferInsert;
export type CheckPatch = Partial<Pick<NewCheck, 'name' | 'config' | 'sealedSecrets' | 'intervalMinutes' | 'timeoutSeconds' | 'enabled' | 'nextRunAt'>>;
export type CheckRunRow = typeof checkRuns.$inferSelect;
export type NewCheckRun = typeof checkRuns.$inferInsert;
export type DueCheck = { orgId: string; id: string };

export function createChecksRepo(db: DbOrTx) {
  const one = (orgId: string, id: string) => and(eq(checks.orgId, orgId), eq(checks.id, id));
  return {
    async insert(values: NewCheck, controlIds: readonly string[]): Promise<CheckRow> {
      const [row] = await db.insert(checks).values(values).returning();
      if (controlIds.length) await db.insert(checkControls).values(controlIds.map((controlId) => ({ orgId: row!.orgId, checkId: row!.id, controlId })));
      return row!;
    },
    async find(orgId: string, id: string, opts: { lock?: boolean } = {}): Promise<CheckRow | undefined> {
      const q = db.select().from(checks).where(one(orgId, id));
      const [row] = opts.lock ? await q.for('update') : await q;
      return row;
    },
    async list(orgId: string, opts: { includeDisabled: boolean }): Promise<CheckRow[]> {
      return db.select().from(checks).where(and(eq(checks.orgId, orgId), opts.includeDisabled ? undefined : eq(checks.enabled, true)))
        .orderBy(checks.name, checks.id).limit(2000);
    },
    /** Bumps the version only when the caller saw the current one; undefined otherwise. */
    async update(orgId: string, id: string, version: number, patch: CheckPatch): Promise<CheckRow | undefined> {
      const [row] = await db.update(checks).set({ ...patch, version: sql`${checks.version} + 1`, updatedAt: sql`now()` })
        .where(and(one(orgId, id), eq(checks.version, version))).returning();
      return row;
    },
    async setControls(orgId: string, checkId: string, controlIds: readonly string[]) {
      await db.delete(checkControls).where(and(eq(checkControls.orgId, orgId), eq(checkControls.checkId, checkId)));
      if (controlIds.length) await db.insert(checkControls).values(controlIds.map((controlId) => ({ orgId, checkId, controlId })));
    },
    async controlIds(orgId: string, checkIds: readonly string[]): Promise<Map<string, string[]>> {
      const out = new Map<string, string[]>(checkIds.map((id) => [id, []]));
      if (!checkIds.length) return out;
      const rows = await db.select().from(checkControls).where(and(eq(checkControls.orgId, orgId), inArray(checkControls.checkId, [...checkIds])));
      for (const r of rows) out.get(r.checkId)?.push(r.controlId);
      for (const ids of out.values()) ids.sort();
      return out;
    },
    /**
     * The scheduler's claim, across orgs: due enabled checks are locked with SKIP LOCKED (a
     * concurrent tick on another node skips them) and their next run moved one interval on,
     * all in one statement, so each due check is handed out once.
     */
    async claimDue(limit: number): Promise<DueCheck[]> {
      const res = await db.execute<{ org_id: string; id: string }>(sql`
        WITH due AS (
          SELECT org_id, id FROM checks WHERE enabled AND next_run_at <= now()
          ORDER BY next_run_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
        UPDATE checks c SET next_run_at = now() + make_interval(mins => c.interval_minutes)
        FROM due WHERE c.org_id = due.org_id AND c.id = due.id
        RETURNING c.org_id, c.id`);
      return res.rows.map((r) => ({ orgId: r.org_id, id: r.id }));
    },
    async recordResult(orgId: string, id: string, r: { status: CheckRunRow['status']; at: Date; nextRunAt?: Date }) {
      await db.update(checks).set({ lastStatus: r.status, lastRunAt: r.at, ...(r.nextRunAt ? { nextRunAt: r.nextRunAt } : {}) })
        .where(and(one(orgId, id), or(sql`${checks.lastRunAt} IS NULL`, lt(checks.lastRunAt, r.at))));
    },
    async insertRun(values: NewCheckRun): Promise<CheckRunRow> {
      const [row] = await db.insert(checkRuns).values(values).returning();
      return row!;
    },
    async runs(orgId: string, checkId: string, after: [string, string] | undefined, limit: number): Promise<CheckRunRow[]> {
      const cursor = after ? sql`(${checkRuns.startedAt}, ${checkRuns.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined;
      return db.select().from(checkRuns).where(and(eq(checkRuns.orgId, orgId), eq(checkRuns.checkId, checkId), cursor))
        .orderBy(desc(checkRuns.startedAt), desc(checkRuns.id)).limit(limit + 1);
    },
  };
}
export type ChecksRepo = ReturnType<typeof createChecksRepo>;
