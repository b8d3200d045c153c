import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.ts';
import { memberships, orgs } from './orgs.tables.ts';
import { users } from '../accounts/accounts.tables.ts';
import type { Role } from '../lib/roles.ts';

export type OrgRow = typeof orgs.$inferSelect;

export function createOrgsRepo(db: DbOrTx) {
  return {
    async insertOrg(values: { name: string; slug: string }): Promise<OrgRow> {
      const [row] = await db.insert(orgs).values(values).returning();
      return row!;
    },
    async slugTaken(slug: string): Promise<boolean> {
      const [row] = await db.select({ id: orgs.id }).from(orgs).where(eq(orgs.slug, slug));
      return !!row;
    },
    async findOrg(orgId: string): Promise<OrgRow | undefined> {
      const [row] = await db.select().from(orgs).where(eq(orgs.id, orgId));
      return row;
    },
    async findOrgBySlug(slug: string): Promise<OrgRow | undefined> {
      const [row] = await db.select().from(orgs).where(eq(orgs.slug, slug));
      return row;
    },
    async listOrgs(): Promise<(OrgRow & { members: number })[]> {
      return db.select({
        id: orgs.id, name: orgs.name, slug: orgs.slug, requireTwoFactor: orgs.requireTwoFactor, createdAt: orgs.createdAt,
        members: sql<number>`(SELECT count(*)::int FROM memberships m WHERE m.org_id = ${orgs.id})`,
      }).from(orgs).orderBy(asc(orgs.createdAt));
    },
    async updateOrg(orgId: string, patch: { name?: string; requireTwoFactor?: boolean }): Promise<OrgRow | undefined> {
      const [row] = await db.update(orgs).set(patch).where(eq(orgs.id, orgId)).returning();
      return row;
    },
    async addMember(orgId: string, userId: string, role: Role) {
      await db.insert(memberships).values({ orgId, userId, role })
        .onConflictDoUpdate({ target: [memberships.orgId, memberships.userId], set: { role } });
    },
    async findMembership(orgId: string, userId: string) {
      const [row] = await db.select().from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
      return row;
    },
    async membershipsOfUser(userId: string) {
      return db.select({ orgId: orgs.id, orgName: orgs.name, orgSlug: orgs.slug, role: memberships.role, requireTwoFactor: orgs.requireTwoFactor })
        .from(memberships).innerJoin(orgs, eq(orgs.id, memberships.orgId))
        .where(eq(memberships.userId, userId)).orderBy(asc(orgs.name));
    },
    /** Keyset pagination on (joined, user id); timestamps compared at the millisecond precision a cursor carries. */
    async listMembers(orgId: string, after: [string, string] | undefined, limit: number) {
      const joined = sql`date_trunc('milliseconds', ${memberships.createdAt})`;
      const cursor = after ? sql`(${joined}, ${memberships.userId}) > (${new Date(after[0]).toISOString()}::timestamptz, ${after[1]}::uuid)` : undefined;
      return db.select({
        userId: users.id, email: users.email, name: users.name, role: memberships.role,
        disabled: sql<boolean>`${users.disabledAt} IS NOT NULL`, totpEnabled: sql<boolean>`${users.totpEnabledAt} IS NOT NULL`,
        joinedAt: memberships.createdAt,
      }).from(memberships).innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.orgId, orgId), cursor))
        .orderBy(joined, asc(memberships.userId)).limit(limit + 1);
    },
    async setRole(orgId: string, userId: string, role: Role) {
      await db.update(memberships).set({ role }).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
    },
    async removeMember(orgId: string, userId: string) {
      await db.delete(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
    },
    async countOwners(orgId: string): Promise<number> {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(memberships)
        .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'owner')));
      return row?.n ?? 0;
    },
    /** Locks the org's membership rows so owner-count checks and role changes cannot interleave. */
    async lockMemberships(orgId: string) {
      await db.execute(sql`SELECT 1 FROM memberships WHERE org_id = ${orgId} FOR UPDATE`);
    },
  };
}
export type OrgsRepo = ReturnType<typeof createOrgsRepo>;
