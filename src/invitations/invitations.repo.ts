import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.ts';
import { invitations } from './invitations.tables.ts';
import { orgs } from '../orgs/orgs.tables.ts';
import type { Role } from '../lib/roles.ts';

export type InvitationRow = typeof invitations.$inferSelect;

export function createInvitationsRepo(db: DbOrTx) {
  return {
    async insert(values: { orgId: string; email: string; role: Role; tokenHash: string; invitedBy: string; expiresAt: Date }): Promise<InvitationRow> {
      const [row] = await db.insert(invitations).values(values).returning();
      return row!;
    },
    async list(orgId: string): Promise<InvitationRow[]> {
      return db.select().from(invitations).where(eq(invitations.orgId, orgId)).orderBy(desc(invitations.createdAt)).limit(500);
    },
    async revoke(orgId: string, id: string): Promise<InvitationRow | undefined> {
      const [row] = await db.update(invitations).set({ revokedAt: new Date() })
        .where(and(eq(invitations.orgId, orgId), eq(invitations.id, id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
        .returning();
      return row;
    },
    async find(orgId: string, id: string): Promise<InvitationRow | undefined> {
      const [row] = await db.select().from(invitations).where(and(eq(invitations.orgId, orgId), eq(invitations.id, id)));
      return row;
    },
    /** An invitation is usable only while open: not accepted, not revoked, not expired. */
    async findOpenByToken(tokenHash: string) {
      const [row] = await db.select({ invitation: invitations, orgName: orgs.name }).from(invitations)
        .innerJoin(orgs, eq(orgs.id, invitations.orgId))
        .where(and(eq(invitations.tokenHash, tokenHash), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, sql`now()`)));
      return row;
    },
    async markAccepted(orgId: string, id: string): Promise<boolean> {
      const rows = await db.update(invitations).set({ acceptedAt: new Date() })
        .where(and(eq(invitations.orgId, orgId), eq(invitations.id, id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
        .returning();
      return rows.length === 1;
    },
  };
}
export type InvitationsRepo = ReturnType<typeof createInvitationsRepo>;
