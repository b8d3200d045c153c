import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.ts';
import { products } from '../products/products.tables.ts';
import { certificationProducts, certifications, certificationStatusHistory, type CertificationKind, type CertificationStatus } from './certifications.tables.ts';

export type CertificationRow = typeof certifications.$inferSelect;
export type CertificationValues = Omit<typeof certifications.$inferInsert, 'orgId' | 'id' | 'version' | 'createdAt' | 'updatedAt'>;
export type HistoryRow = typeof certificationStatusHistory.$inferSelect;
export type ScopedProduct = { certificationId: string; inScope: boolean; id: string; name: string; slug: string; archived: boolean };

export function createCertificationsRepo(db: DbOrTx) {
  return {
    async insert(orgId: string, values: CertificationValues): Promise<CertificationRow> {
      const [row] = await db.insert(certifications).values({ ...values, orgId }).returning();
      return row!;
    },
    async find(orgId: string, id: string): Promise<CertificationRow | undefined> {
      const [row] = await db.select().from(certifications).where(and(eq(certifications.orgId, orgId), eq(certifications.id, id)));
      return row;
    },
    async list(orgId: string, f: { status?: CertificationStatus | undefined; frameworkId?: string | undefined; kind?: CertificationKind | undefined } = {}): Promise<CertificationRow[]> {
      return db.select().from(certifications).where(and(
        eq(certifications.orgId, orgId),
        f.status ? eq(certifications.status, f.status) : undefined,
        f.frameworkId ? eq(certifications.frameworkId, f.frameworkId) : undefined,
        f.kind ? eq(certifications.kind, f.kind) : undefined,
      )).orderBy(asc(certifications.name), asc(certifications.createdAt)).limit(1000);
    },
    /** Writes only when the caller saw the current version; undefined means someone else changed it first. */
    async update(orgId: string, id: string, version: number, values: Partial<CertificationValues>): Promise<CertificationRow | undefined> {
      const [row] = await db.update(certifications).set({ ...values, version: sql`${certifications.version} + 1`, updatedAt: sql`now()` })
        .where(and(eq(certifications.orgId, orgId), eq(certifications.id, id), eq(certifications.version, version))).returning();
      return row;
    },
    async byStatuses(orgId: string, statuses: readonly CertificationStatus[]): Promise<CertificationRow[]> {
      return db.select().from(certifications).where(and(eq(certifications.orgId, orgId), inArray(certifications.status, [...statuses])));
    },
    async orgsWithStatuses(statuses: readonly CertificationStatus[]): Promise<string[]> {
      const rows = await db.selectDistinct({ orgId: certifications.orgId }).from(certifications).where(inArray(certifications.status, [...statuses]));
      return rows.map((r) => r.orgId);
    },
    async setScope(orgId: string, certificationId: string, inScope: string[], outOfScope: string[]) {
      await db.delete(certificationProducts).where(and(eq(certificationProducts.orgId, orgId), eq(certificationProducts.certificationId, certificationId)));
      const rows = [
        ...inScope.map((productId, position) => ({ orgId, certificationId, productId, inScope: true, position })),
        ...outOfScope.map((productId, position) => ({ orgId, certificationId, productId, inScope: false, position })),
      ];
      if (rows.length) await db.insert(certificationProducts).values(rows);
    },
    async scopes(orgId: string, certificationIds: string[]): Promise<ScopedProduct[]> {
      if (!certificationIds.length) return [];
      return db.select({
        certificationId: certificationProducts.certificationId, inScope: certificationProducts.inScope,
        id: products.id, name: products.name, slug: products.slug, archived: sql<boolean>`${products.archivedAt} is not null`,
      }).from(certificationProducts)
        .innerJoin(products, and(eq(products.orgId, certificationProducts.orgId), eq(products.id, certificationProducts.productId)))
        .where(and(eq(certificationProducts.orgId, orgId), inArray(certificationProducts.certificationId, certificationIds)))
        .orderBy(asc(certificationProducts.position));
    },
    async productReferenced(orgId: string, productId: string): Promise<boolean> {
      const [row] = await db.select({ one: sql<number>`1` }).from(certificationProducts)
        .where(and(eq(certificationProducts.orgId, orgId), eq(certificationProducts.productId, productId))).limit(1);
      return !!row;
    },
    async insertHistory(values: typeof certificationStatusHistory.$inferInsert): Promise<HistoryRow> {
      const [row] = await db.insert(certificationStatusHistory).values(values).returning();
      return row!;
    },
    async history(orgId: string, certificationId: string): Promise<HistoryRow[]> {
      return db.select().from(certificationStatusHistory)
        .where(and(eq(certificationStatusHistory.orgId, orgId), eq(certificationStatusHistory.certificationId, certificationId)))
        .orderBy(desc(certificationStatusHistory.at), desc(certificationStatusHistory.id)).limit(1000);
    },
  };
}
export type CertificationsRepo = ReturnType<typeof createCertificationsRepo>;
