import { and, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.ts';
import { users } from '../accounts/accounts.tables.ts';
import type { Role } from '../lib/roles.ts';
import { memberships } from '../orgs/orgs.tables.ts';
import { apiTokens } from './tokens.tables.ts';

export type ApiTokenRow = typeof apiTokens.$inferSelect;

export function createTokensRepo(db: DbOrTx) {
  return {
    async insert(values: typeof apiTokens.$inferInsert): Promise<ApiTokenRow> {
      const [row] = await db.insert(apiTokens).values(values).returning();
      return row!;
    },
    async list(orgId: string, userId: string | undefined): Promise<ApiTokenRow[]> {
      return db.select().from(apiTokens)
        .where(and(eq(apiTokens.orgId, orgId), userId ? eq(apiTokens.userId, userId) : undefined))
        .orderBy(desc(apiTokens.createdAt)).limit(500);
    },
    async find(orgId: string, id: string): Promise<ApiTokenRow | undefined> {
      const [row] = await db.select().from(apiTokens).where(and(eq(apiTokens.orgId, orgId), eq(apiTokens.id, id)));
      return row;
    },
    async revoke(orgId: string, id: string) {
      await db.update(apiTokens).set({ revokedAt: new Date() })
        .where(and(eq(apiTokens.orgId, orgId), eq(apiTokens.id, id), isNull(apiTokens.revokedAt)));
    },
    /**
     * The live token with that hash and what authenticating it needs, in one query: its user (when
     * not disabled) and that user's current role in the token's org. None when any is missing.
     */
    async findLiveForAuth(tokenHash: string): Promise<{ token: ApiTokenRow; email: string; role: Role } | undefined> {
      const [row] = await db.select({ token: apiTokens, email: users.email, role: memberships.role }).from(apiTokens)
        .innerJoin(users, and(eq(users.id, apiTokens.userId), isNull(users.disabledAt)))
        .innerJoin(memberships, and(eq(memberships.orgId, apiTokens.orgId), eq(memberships.userId, apiTokens.userId)))
        .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, sql`now()`)));
      return row;
    },
    /** Records use at most hourly, so a busy CI token does not write on every request. True when it wrote. */
    async markUsed(orgId: string, id: string): Promise<boolean> {
      const rows = await db.update(apiTokens).set({ lastUsedAt: sql`now()` })
        .where(and(eq(apiTokens.orgId, orgId), eq(apiTokens.id, id),
          or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, sql`now() - interval '1 hour'`))))
        .returning({ id: apiTokens.id });
      return rows.length === 1;
    },
  };
}
export type TokensRepo = ReturnType<typeof createTokensRepo>;
