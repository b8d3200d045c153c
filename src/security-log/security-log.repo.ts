import { and, desc, eq, lt } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.ts';
import { securityEvents } from './security-log.tables.ts';

export type SecurityEventRow = typeof securityEvents.$inferSelect;
export type NewSecurityEvent = Omit<typeof securityEvents.$inferInsert, 'id' | 'at'>;

export function createSecurityLogRepo(db: DbOrTx) {
  return {
    async insertMany(events: NewSecurityEvent[]) {
      if (events.length) await db.insert(securityEvents).values(events);
    },
    async list(orgId: string, opts: { beforeId?: number; action?: string; limit: number }): Promise<SecurityEventRow[]> {
      return db.select().from(securityEvents).where(and(
        eq(securityEvents.orgId, orgId),
        opts.beforeId !== undefined ? lt(securityEvents.id, opts.beforeId) : undefined,
        opts.action ? eq(securityEvents.action, opts.action) : undefined,
      )).orderBy(desc(securityEvents.id)).limit(opts.limit + 1);
    },
  };
}
export type SecurityLogRepo = ReturnType<typeof createSecurityLogRepo>;
