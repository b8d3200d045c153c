import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.ts';
import { products } from './products.tables.ts';

export type ProductRow = typeof products.$inferSelect;

export function createProductsRepo(db: DbOrTx) {
  return {
    async list(orgId: string, includeArchived: boolean): Promise<ProductRow[]> {
      return db.select().from(products)
        .where(and(eq(products.orgId, orgId), includeArchived ? undefined : isNull(products.archivedAt)))
        .orderBy(asc(sql`lower(${products.name})`)).limit(1000);
    },
    async find(orgId: string, id: string): Promise<ProductRow | undefined> {
      const [row] = await db.select().from(products).where(and(eq(products.orgId, orgId), eq(products.id, id)));
      return row;
    },
    async findMany(orgId: string, ids: string[]): Promise<ProductRow[]> {
      if (!ids.length) return [];
      return db.select().from(products).where(and(eq(products.orgId, orgId), inArray(products.id, ids)));
    },
    async findByName(orgId: string, name: string): Promise<ProductRow | undefined> {
      const [row] = await db.select().from(products).where(and(eq(products.orgId, orgId), eq(sql`lower(${products.name})`, name.toLowerCase())));
      return row;
    },
    async findBySlug(orgId: string, slug: string): Promise<ProductRow | undefined> {
      const [row] = await db.select().from(products).where(and(eq(products.orgId, orgId), eq(products.slug, slug)));
      return row;
    },
    async insert(values: typeof products.$inferInsert): Promise<ProductRow> {
      const [row] = await db.insert(products).values(values).returning();
      return row!;
    },
    async update(orgId: string, id: string, values: Partial<Pick<ProductRow, 'name' | 'slug' | 'kind' | 'description' | 'public' | 'archivedAt'>>): Promise<ProductRow | undefined> {
      const [row] = await db.update(products).set({ ...values, updatedAt: sql`now()` })
        .where(and(eq(products.orgId, orgId), eq(products.id, id))).returning();
      return row;
    },
    async delete(orgId: string, id: string) {
      await db.delete(products).where(and(eq(products.orgId, orgId), eq(products.id, id)));
    },
  };
}
export type ProductsRepo = ReturnType<typeof createProductsRepo>;
