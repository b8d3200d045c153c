import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.ts';
import { responsibilities } from './responsibilities.tables.ts';

export type ResponsibilityRow = typeof responsibilities.$inferSelect;
type Fields = Pick<ResponsibilityRow, 'statement' | 'criteria' | 'productIds' | 'published'>;

export function createResponsibilitiesRepo(db: DbOrTx) {
  return {
    async list(orgId: string, onlyPublished = false): Promise<ResponsibilityRow[]> {
      return db.select().from(responsibilities).where(and(eq(responsibilities.orgId, orgId), onlyPublished ? eq(responsibilities.published, true) : undefined))
        .orderBy(asc(responsibilities.createdAt), asc(responsibilities.id)).limit(2000);
    },
    async find(orgId: string, id: string): Promise<ResponsibilityRow | undefined> {
      const [row] = await db.select().from(responsibilities).where(and(eq(responsibilities.orgId, orgId), eq(responsibilities.id, id)));
      return row;
    },
    async insert(orgId: string, values: Fields): Promise<ResponsibilityRow> {
      const [row] = await db.insert(responsibilities).values({ ...values, orgId }).returning();
      return row!;
    },
    /** Optimistic concurrency: only the version the caller read is updated. */
    async update(orgId: string, id: string, version: number, values: Partial<Fields>): Promise<ResponsibilityRow | undefined> {
      const [row] = await db.update(responsibilities).set({ ...values, version: sql`${responsibilities.version} + 1`, updatedAt: sql`now()` })
        .where(and(eq(responsibilities.orgId, orgId), eq(responsibilities.id, id), eq(responsibilities.version, version))).returning();
      return row;
    },
    async delete(orgId: string, id: string) {
      await db.delete(responsibilities).where(and(eq(responsibilities.orgId, orgId), eq(responsibilities.id, id)));
    },
    async productReferenced(orgId: string, productId: string): Promise<boolean> {
      const [row] = await db.select({ id: responsibilities.id }).from(responsibilities)
        .where(and(eq(responsibilities.orgId, orgId), sql`${productId}::uuid = ANY(${responsibilities.productIds})`)).limit(1);
      return row !== undefined;
    },
  };
}
export type ResponsibilitiesRepo = ReturnType<typeof createResponsibilitiesRepo>;
