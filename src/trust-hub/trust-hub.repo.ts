import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.ts';
import { orgs } from '../orgs/orgs.tables.ts';
import { trustHubCommitments, trustHubHosts, trustHubSettings } from './trust-hub.tables.ts';

export type HubSettingsRow = typeof trustHubSettings.$inferSelect;
export type HubSettingsValues = Omit<typeof trustHubSettings.$inferInsert, 'orgId' | 'version' | 'updatedAt'>;
export type CommitmentRow = typeof trustHubCommitments.$inferSelect;
export type CommitmentValues = Pick<CommitmentRow, 'statement' | 'category' | 'controlId' | 'published' | 'position'>;

export function createTrustHubRepo(db: DbOrTx) {
  return {
    async findSettings(orgId: string): Promise<HubSettingsRow | undefined> {
      const [row] = await db.select().from(trustHubSettings).where(eq(trustHubSettings.orgId, orgId));
      return row;
    },
    /** Inserts or updates; with `version` set the update only lands when the stored version matches. */
    async saveSettings(orgId: string, values: HubSettingsValues, version: number | null): Promise<HubSettingsRow | undefined> {
      if (version === null) {
        const [row] = await db.insert(trustHubSettings).values({ ...values, orgId }).onConflictDoNothing().returning();
        return row;
      }
      const [row] = await db.update(trustHubSettings).set({ ...values, version: sql`${trustHubSettings.version} + 1`, updatedAt: sql`now()` })
        .where(and(eq(trustHubSettings.orgId, orgId), eq(trustHubSettings.version, version))).returning();
      return row;
    },
    async hosts(orgId: string): Promise<string[]> {
      const rows = await db.select({ host: trustHubHosts.host }).from(trustHubHosts).where(eq(trustHubHosts.orgId, orgId)).orderBy(asc(trustHubHosts.position));
      return rows.map((r) => r.host);
    },
    async setHosts(orgId: string, hosts: string[]) {
      await db.delete(trustHubHosts).where(eq(trustHubHosts.orgId, orgId));
      if (hosts.length) await db.insert(trustHubHosts).values(hosts.map((host, position) => ({ orgId, host, position })));
    },
    /** The org a host name belongs to (hosts are unique across orgs), whichever org asks. */
    async orgOfHost(host: string): Promise<{ orgId: string; slug: string } | undefined> {
      const [row] = await db.select({ orgId: trustHubHosts.orgId, slug: orgs.slug }).from(trustHubHosts)
        .innerJoin(orgs, eq(orgs.id, trustHubHosts.orgId)).where(eq(trustHubHosts.host, host));
      return row;
    },
    async allHosts(): Promise<{ host: string; slug: string }[]> {
      return db.select({ host: trustHubHosts.host, slug: orgs.slug }).from(trustHubHosts).innerJoin(orgs, eq(orgs.id, trustHubHosts.orgId)).limit(100_000);
    },
    async commitments(orgId: string, onlyPublished: boolean): Promise<CommitmentRow[]> {
      return db.select().from(trustHubCommitments)
        .where(and(eq(trustHubCommitments.orgId, orgId), onlyPublished ? eq(trustHubCommitments.published, true) : undefined))
        .orderBy(asc(trustHubCommitments.position), asc(trustHubCommitments.createdAt)).limit(500);
    },
    async findCommitment(orgId: string, id: string): Promise<CommitmentRow | undefined> {
      const [row] = await db.select().from(trustHubCommitments).where(and(eq(trustHubCommitments.orgId, orgId), eq(trustHubCommitments.id, id)));
      return row;
    },
    async insertCommitment(orgId: string, values: CommitmentValues & { publishedAt: Date | null }): Promise<CommitmentRow> {
      const [row] = await db.insert(trustHubCommitments).values({ ...values, orgId }).returning();
      return row!;
    },
    async updateCommitment(orgId: string, id: string, values: Partial<CommitmentValues> & { publishedAt?: Date | null }): Promise<CommitmentRow | undefined> {
      const [row] = await db.update(trustHubCommitments).set({ ...values, updatedAt: sql`now()` })
        .where(and(eq(trustHubCommitments.orgId, orgId), eq(trustHubCommitments.id, id))).returning();
      return row;
    },
    async deleteCommitment(orgId: string, id: string): Promise<boolean> {
      const rows = await db.delete(trustHubCommitments).where(and(eq(trustHubCommitments.orgId, orgId), eq(trustHubCommitments.id, id))).returning({ id: trustHubCommitments.id });
      return rows.length > 0;
    },
  };
}
export type TrustHubRepo = ReturnType<typeof createTrustHubRepo>;
