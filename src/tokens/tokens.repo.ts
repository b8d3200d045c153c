import { and, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.ts';
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
    async findLiveByHash(tokenHash: string): Promise<ApiTokenRow | undefined> {
      const [row] = await db.select().from(apiTokens)
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
