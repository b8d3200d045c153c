import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.ts';
import { subprocessorChanges, subprocessorObjections, subprocessorSubscribers, vendors, type ChangeStatus } from './vendors.tables.ts';

export type VendorRow = typeof vendors.$inferSelect;
export type ChangeRow = typeof subprocessorChanges.$inferSelect;
export type SubscriberRow = typeof subprocessorSubscribers.$inferSelect;
export type ObjectionRow = typeof subprocessorObjections.$inferSelect;
type VendorFields = Omit<typeof vendors.$inferInsert, 'orgId' | 'id' | 'createdAt' | 'updatedAt'>;

export function createVendorsRepo(db: DbOrTx) {
  return {
    async list(orgId: string, includeRemoved: boolean): Promise<VendorRow[]> {
      return db.select().from(vendors).where(and(eq(vendors.orgId, orgId), includeRemoved ? undefined : isNull(vendors.removedAt)))
        .orderBy(asc(sql`lower(${vendors.name})`)).limit(2000);
    },
    async find(orgId: string, id: string): Promise<VendorRow | undefined> {
      const [row] = await db.select().from(vendors).where(and(eq(vendors.orgId, orgId), eq(vendors.id, id)));
      return row;
    },
    async findLiveByName(orgId: string, name: string): Promise<VendorRow | undefined> {
      const [row] = await db.select().from(vendors).where(and(eq(vendors.orgId, orgId), isNull(vendors.removedAt), eq(sql`lower(${vendors.name})`, name.toLowerCase())));
      return row;
    },
    async insert(orgId: string, values: VendorFields): Promise<VendorRow> {
      const [row] = await db.insert(vendors).values({ ...values, orgId }).returning();
      return row!;
    },
    async update(orgId: string, id: string, values: Partial<VendorFields>): Promise<VendorRow | undefined> {
      const [row] = await db.update(vendors).set({ ...values, updatedAt: sql`now()` }).where(and(eq(vendors.orgId, orgId), eq(vendors.id, id))).returning();
      return row;
    },
    async productReferenced(orgId: string, productId: string): Promise<boolean> {
      const [row] = await db.select({ id: vendors.id }).from(vendors).where(and(eq(vendors.orgId, orgId), sql`${productId}::uuid = ANY(${vendors.productIds})`)).limit(1);
      return row !== undefined;
    },

    async insertChanges(rows: (typeof subprocessorChanges.$inferInsert)[]): Promise<ChangeRow[]> {
      if (!rows.length) return [];
      return db.insert(subprocessorChanges).values(rows).returning();
    },
    async listChanges(orgId: string, status?: ChangeStatus): Promise<ChangeRow[]> {
      return db.select().from(subprocessorChanges).where(and(eq(subprocessorChanges.orgId, orgId), status ? eq(subprocessorChanges.status, status) : undefined))
        .orderBy(desc(subprocessorChanges.createdAt)).limit(1000);
    },
    async findChange(orgId: string, id: string): Promise<ChangeRow | undefined> {
      const [row] = await db.select().from(subprocessorChanges).where(and(eq(subprocessorChanges.orgId, orgId), eq(subprocessorChanges.id, id)));
      return row;
    },
    async updateChange(orgId: string, id: string, values: Partial<Pick<ChangeRow, 'status' | 'announcedAt' | 'effectiveAt' | 'ledgerIndex'>>): Promise<ChangeRow | undefined> {
      const [row] = await db.update(subprocessorChanges).set(values).where(and(eq(subprocessorChanges.orgId, orgId), eq(subprocessorChanges.id, id))).returning();
      return row;
    },
    /** Drafts of one vendor not yet announced: a later save replaces them. */
    async deleteDrafts(orgId: string, vendorId: string): Promise<ChangeRow[]> {
      return db.delete(subprocessorChanges).where(and(eq(subprocessorChanges.orgId, orgId), eq(subprocessorChanges.vendorId, vendorId), eq(subprocessorChanges.status, 'draft'))).returning();
    },

    async upsertSubscriber(orgId: string, email: string, tokenHash: string): Promise<SubscriberRow> {
      const [row] = await db.insert(subprocessorSubscribers).values({ orgId, email, tokenHash })
        .onConflictDoUpdate({
          target: [subprocessorSubscribers.orgId, subprocessorSubscribers.email],
          // Subscribing again (after unsubscribing, or to get a fresh link) restarts the opt-in.
          set: { tokenHash, confirmedAt: sql`CASE WHEN ${subprocessorSubscribers.unsubscribedAt} IS NULL THEN ${subprocessorSubscribers.confirmedAt} ELSE NULL END`, unsubscribedAt: null },
        }).returning();
      return row!;
    },
    async findSubscriberByToken(orgId: string, tokenHash: string): Promise<SubscriberRow | undefined> {
      const [row] = await db.select().from(subprocessorSubscribers).where(and(eq(subprocessorSubscribers.orgId, orgId), eq(subprocessorSubscribers.tokenHash, tokenHash)));
      return row;
    },
    async setSubscriber(orgId: string, id: string, values: Partial<Pick<SubscriberRow, 'confirmedAt' | 'unsubscribedAt'>>) {
      await db.update(subprocessorSubscribers).set(values).where(and(eq(subprocessorSubscribers.orgId, orgId), eq(subprocessorSubscribers.id, id)));
    },
    async activeSubscribers(orgId: string): Promise<SubscriberRow[]> {
      return db.select().from(subprocessorSubscribers)
        .where(and(eq(subprocessorSubscribers.orgId, orgId), isNotNull(subprocessorSubscribers.confirmedAt), isNull(subprocessorSubscribers.unsubscribedAt)))
        .orderBy(asc(subprocessorSubscribers.email));
    },
    async listSubscribers(orgId: string): Promise<SubscriberRow[]> {
      return db.select().from(subprocessorSubscribers).where(eq(subprocessorSubscribers.orgId, orgId)).orderBy(desc(subprocessorSubscribers.createdAt)).limit(5000);
    },

    async insertObjection(values: typeof subprocessorObjections.$inferInsert): Promise<ObjectionRow> {
      const [row] = await db.insert(subprocessorObjections).values(values).returning();
      return row!;
    },
    async objectionsFor(orgId: string, changeIds: string[]): Promise<ObjectionRow[]> {
      if (!changeIds.length) return [];
      return db.select().from(subprocessorObjections).where(and(eq(subprocessorObjections.orgId, orgId), inArray(subprocessorObjections.changeId, changeIds)))
        .orderBy(asc(subprocessorObjections.createdAt));
    },
  };
}
export type VendorsRepo = ReturnType<typeof createVendorsRepo>;
