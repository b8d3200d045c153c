import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.ts';
import { outbox } from './mail.tables.ts';

export type OutboxRow = typeof outbox.$inferSelect;

export function createMailRepo(db: DbOrTx) {
  return {
    async insert(values: { orgId: string; to: string; subject: string; text: string }): Promise<OutboxRow> {
      const [row] = await db.insert(outbox).values(values).returning();
      return row!;
    },
    async find(orgId: string, id: string): Promise<OutboxRow | undefined> {
      const [row] = await db.select().from(outbox).where(and(eq(outbox.orgId, orgId), eq(outbox.id, id)));
      return row;
    },
    async markSent(orgId: string, id: string) {
      await db.update(outbox).set({ sentAt: new Date() }).where(and(eq(outbox.orgId, orgId), eq(outbox.id, id)));
    },
    async list(orgId: string): Promise<OutboxRow[]> {
      return db.select().from(outbox).where(eq(outbox.orgId, orgId)).orderBy(desc(outbox.createdAt)).limit(200);
    },
  };
}
export type MailRepo = ReturnType<typeof createMailRepo>;
