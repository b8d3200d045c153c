import { and, eq, gt, isNull, sql, lt, or } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.ts';
import { recoveryCodes, sessions, setupTokens, users } from './accounts.tables.ts';

export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;

// Users are the one global (not org-owned) entity: a person may belong to several orgs.
export function createAccountsRepo(db: DbOrTx) {
  return {
    async findUserByEmail(email: string): Promise<UserRow | undefined> {
      const [row] = await db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`);
      return row;
    },
    async findUserById(id: string): Promise<UserRow | undefined> {
      const [row] = await db.select().from(users).where(eq(users.id, id));
      return row;
    },
    async insertUser(values: { email: string; name: string; passwordHash: string | null }): Promise<UserRow> {
      const [row] = await db.insert(users).values(values).returning();
      return row!;
    },
    async listUsers(): Promise<UserRow[]> {
      return db.select().from(users).orderBy(users.createdAt);
    },
    async updateUser(id: string, patch: Partial<typeof users.$inferInsert>): Promise<UserRow | undefined> {
      const [row] = await db.update(users).set(patch).where(eq(users.id, id)).returning();
      return row;
    },
    /** Atomically counts a failure; the window restarts when the previous failure is old. */
    async recordFailure(id: string, windowMs: number, maxFailures: number, lockMs: number): Promise<UserRow | undefined> {
      const [row] = await db.update(users).set({
        failedLogins: sql`CASE WHEN ${users.firstFailureAt} IS NULL OR ${users.firstFailureAt} < now() - make_interval(secs => ${windowMs / 1000}) THEN 1 ELSE ${users.failedLogins} + 1 END`,
        firstFailureAt: sql`CASE WHEN ${users.firstFailureAt} IS NULL OR ${users.firstFailureAt} < now() - make_interval(secs => ${windowMs / 1000}) THEN now() ELSE ${users.firstFailureAt} END`,
      }).where(eq(users.id, id)).returning();
      if (row && row.failedLogins >= maxFailures) {
        return this.updateUser(id, { lockedUntil: new Date(Date.now() + lockMs), failedLogins: 0, firstFailureAt: null });
      }
      return row;
    },
    async replaceRecoveryCodes(userId: string, hashes: string[]) {
      await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
      if (hashes.length) await db.insert(recoveryCodes).values(hashes.map((codeHash) => ({ userId, codeHash })));
    },
    /** Marks a recovery code used; true only for the one request that wins the race. */
    async useRecoveryCode(userId: string, codeHash: string): Promise<boolean> {
      const rows = await db.update(recoveryCodes).set({ usedAt: new Date() })
        .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, codeHash), isNull(recoveryCodes.usedAt)))
        .returning();
      return rows.length === 1;
    },
    /** Accepts a TOTP step only if it is newer than the last accepted one (no replay). */
    async advanceTotpStep(userId: string, step: number): Promise<boolean> {
      const rows = await db.update(users).set({ totpLastStep: step })
        .where(and(eq(users.id, userId), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
        .returning({ id: users.id });
      return rows.length === 1;
    },
    async insertSession(values: typeof sessions.$inferInsert) {
      await db.insert(sessions).values(values);
    },
    async findLiveSession(idHash: string, idleMs: number): Promise<SessionRow | undefined> {
      const [row] = await db.select().from(sessions).where(and(
        eq(sessions.idHash, idHash),
        gt(sessions.expiresAt, sql`now()`),
        gt(sessions.lastSeenAt, sql`now() - make_interval(secs => ${idleMs / 1000})`),
      ));
      return row;
    },
    async touchSession(idHash: string) {
      await db.update(sessions).set({ lastSeenAt: sql`now()` }).where(eq(sessions.idHash, idHash));
    },
    async updateSessionStage(idHash: string, stage: SessionRow['stage']) {
      await db.update(sessions).set({ stage }).where(eq(sessions.idHash, idHash));
    },
    async deleteSession(idHash: string) {
      await db.delete(sessions).where(eq(sessions.idHash, idHash));
    },
    async deleteUserSessions(userId: string) {
      await db.delete(sessions).where(eq(sessions.userId, userId));
    },
    async purgeExpiredSessions(idleMs: number): Promise<number> {
      const rows = await db.delete(sessions).where(or(
        lt(sessions.expiresAt, sql`now()`),
        lt(sessions.lastSeenAt, sql`now() - make_interval(secs => ${idleMs / 1000})`),
      )).returning({ id: sessions.idHash });
      return rows.length;
    },
    async countUsers(): Promise<number> {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
      return row?.n ?? 0;
    },
    async insertSetupToken(tokenHash: string, expiresAt: Date) {
      await db.insert(setupTokens).values({ tokenHash, expiresAt });
    },
    async consumeSetupToken(tokenHash: string): Promise<boolean> {
      const rows = await db.update(setupTokens).set({ usedAt: new Date() })
        .where(and(eq(setupTokens.tokenHash, tokenHash), isNull(setupTokens.usedAt), gt(setupTokens.expiresAt, sql`now()`)))
        .returning();
      return rows.length === 1;
    },
  };
}
export type AccountsRepo = ReturnType<typeof createAccountsRepo>;
