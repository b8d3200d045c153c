import { and, asc, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.ts';
import { controls } from '../controls/controls.tables.ts';
import { users } from '../accounts/accounts.tables.ts';
import { evidenceControls, evidenceItems } from '../evidence/evidence.tables.ts';
import { securityEvents } from '../security-log/security-log.tables.ts';
import { ledgerEntries } from '../ledger/ledger.tables.ts';
import { EVIDENCE_REVIEWED } from '../evidence/evidence.record.ts';
import { controlHealthStates, controlHealthTransitions } from './health.tables.ts';

export type StoredHealth = typeof controlHealthStates.$inferSelect;
export type HealthTransitionRow = typeof controlHealthTransitions.$inferSelect;
export type MonitoredControl = Pick<typeof controls.$inferSelect, 'id' | 'code' | 'title' | 'frequency' | 'lifecycle' | 'ownerUserId'> & { ownerEmail: string | null };

export function createHealthRepo(db: DbOrTx) {
  return {
    /** The org's live controls with what the health rule and the notifications need. */
    async liveControls(orgId: string): Promise<MonitoredControl[]> {
      return db.select({
        id: controls.id, code: controls.code, title: controls.title, frequency: controls.frequency, lifecycle: controls.lifecycle,
        ownerUserId: controls.ownerUserId, ownerEmail: users.email,
      }).from(controls).leftJoin(users, eq(users.id, controls.ownerUserId))
        .where(and(eq(controls.orgId, orgId), ne(controls.lifecycle, 'retired'))).orderBy(asc(controls.code));
    },
    /** Orgs with at least one live control: the only ones whose health can change. */
    async monitoredOrgIds(): Promise<string[]> {
      const rows = await db.selectDistinct({ orgId: controls.orgId }).from(controls).where(ne(controls.lifecycle, 'retired'));
      return rows.map((r) => r.orgId);
    },
    /** One recompute per org at a time (the cron job and a check-result trigger may overlap). */
    async lockOrg(orgId: string) {
      await db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`control-health:${orgId}`}, 0))`);
    },
    async stored(orgId: string): Promise<StoredHealth[]> {
      return db.select().from(controlHealthStates).where(eq(controlHealthStates.orgId, orgId));
    },
    async upsert(rows: (typeof controlHealthStates.$inferInsert)[]) {
      if (!rows.length) return;
      await db.insert(controlHealthStates).values(rows).onConflictDoUpdate({
        target: [controlHealthStates.orgId, controlHealthStates.controlId],
        set: {
          health: sql`excluded.health`, reason: sql`excluded.reason`, checkedAt: sql`excluded.checked_at`,
          // `since` moves only when the state changes.
          since: sql`CASE WHEN ${controlHealthStates.health} = excluded.health THEN ${controlHealthStates.since} ELSE excluded.since END`,
        },
      });
    },
    async insertTransition(values: Omit<typeof controlHealthTransitions.$inferInsert, 'id'>): Promise<HealthTransitionRow> {
      const [row] = await db.insert(controlHealthTransitions).values(values).returning();
      return row!;
    },
    async transitions(orgId: string, controlId: string, limit: number): Promise<HealthTransitionRow[]> {
      return db.select().from(controlHealthTransitions)
        .where(and(eq(controlHealthTransitions.orgId, orgId), eq(controlHealthTransitions.controlId, controlId)))
        .orderBy(desc(controlHealthTransitions.id)).limit(limit);
    },
    /** Every evidence version linked to the control, newest first. */
    async evidenceOf(orgId: string, controlId: string, limit: number) {
      return db.select({
        id: evidenceItems.id, seriesId: evidenceItems.seriesId, version: evidenceItems.version, kind: evidenceItems.kind, title: evidenceItems.title,
        status: evidenceItems.status, checkId: evidenceItems.checkId, checkStatus: evidenceItems.checkStatus, collectedAt: evidenceItems.collectedAt,
        createdAt: evidenceItems.createdAt, collectorLabel: evidenceItems.collectorLabel, reviewedAt: evidenceItems.reviewedAt,
        reviewReason: evidenceItems.reviewReason, ledgerIndex: evidenceItems.ledgerIndex, periodEnd: evidenceItems.periodEnd,
      }).from(evidenceItems)
        .innerJoin(evidenceControls, and(eq(evidenceControls.orgId, evidenceItems.orgId), eq(evidenceControls.evidenceId, evidenceItems.id)))
        .where(and(eq(evidenceItems.orgId, orgId), eq(evidenceControls.controlId, controlId)))
        .orderBy(desc(evidenceItems.createdAt)).limit(limit);
    },
    /** The log index of each review of these evidence versions (reviews are log entries of their own). */
    async reviewLogIndexes(orgId: string, evidenceIds: string[]): Promise<Map<string, number>> {
      if (!evidenceIds.length) return new Map();
      const rows = await db.select({ idx: ledgerEntries.idx, evidenceId: sql<string>`convert_from(${ledgerEntries.entry}, 'UTF8')::jsonb -> 'record' ->> 'evidenceId'` })
        .from(ledgerEntries)
        .where(and(eq(ledgerEntries.orgId, orgId), eq(ledgerEntries.kind, EVIDENCE_REVIEWED),
          inArray(sql`convert_from(${ledgerEntries.entry}, 'UTF8')::jsonb -> 'record' ->> 'evidenceId'`, evidenceIds)));
      return new Map(rows.map((r) => [r.evidenceId, r.idx]));
    },
    /** Changes to the control itself from the security log. */
    async controlEvents(orgId: string, controlId: string, limit: number) {
      return db.select({ id: securityEvents.id, at: securityEvents.at, action: securityEvents.action, actorEmail: securityEvents.actorEmail, detail: securityEvents.detail })
        .from(securityEvents)
        .where(and(eq(securityEvents.orgId, orgId), eq(securityEvents.targetType, 'control'), eq(securityEvents.targetId, controlId),
          inArray(securityEvents.action, ['control.created', 'control.updated', 'control.links_changed', 'control.retired', 'control.imported'])))
        .orderBy(desc(securityEvents.id)).limit(limit);
    },
  };
}
export type HealthRepo = ReturnType<typeof createHealthRepo>;
