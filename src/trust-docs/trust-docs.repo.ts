import { and, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.ts';
import {
  trustAccessLinks, trustAccessRules, trustCustomerAccounts, trustDocuments, trustDocumentVersions, trustDownloads, trustGrants, trustNdas,
  trustVisitorSessions, type GrantStatus,
} from './trust-docs.tables.ts';

export type DocumentRow = typeof trustDocuments.$inferSelect;
export type VersionRow = typeof trustDocumentVersions.$inferSelect;
export type NdaRow = typeof trustNdas.$inferSelect;
export type GrantRow = typeof trustGrants.$inferSelect;
export type LinkRow = typeof trustAccessLinks.$inferSelect;
export type CustomerAccountRow = typeof trustCustomerAccounts.$inferSelect;
export type RulesRow = typeof trustAccessRules.$inferSelect;
export type DownloadRow = typeof trustDownloads.$inferSelect;

const LIST_MAX = 1000;

export function createTrustDocsRepo(db: DbOrTx) {
  const one = <T>(rows: T[]) => rows[0];
  return {
    // Documents and versions
    insertDocument: async (orgId: string, v: Pick<DocumentRow, 'title' | 'kind' | 'visibility' | 'description'>) =>
      one(await db.insert(trustDocuments).values({ ...v, orgId }).returning())!,
    findDocument: async (orgId: string, id: string) =>
      one(await db.select().from(trustDocuments).where(and(eq(trustDocuments.orgId, orgId), eq(trustDocuments.id, id)))),
    listDocuments: (orgId: string) =>
      db.select().from(trustDocuments).where(eq(trustDocuments.orgId, orgId)).orderBy(trustDocuments.title).limit(LIST_MAX),
    updateDocument: async (orgId: string, id: string, v: Partial<Pick<DocumentRow, 'title' | 'visibility' | 'description'>>) =>
      one(await db.update(trustDocuments).set({ ...v, updatedAt: sql`now()` }).where(and(eq(trustDocuments.orgId, orgId), eq(trustDocuments.id, id))).returning()),
    insertVersion: async (orgId: string, v: Omit<typeof trustDocumentVersions.$inferInsert, 'orgId'>) =>
      one(await db.insert(trustDocumentVersions).values({ ...v, orgId }).returning())!,
    setVersionLedgerIndex: (orgId: string, id: string, ledgerIndex: number) =>
      db.update(trustDocumentVersions).set({ ledgerIndex }).where(and(eq(trustDocumentVersions.orgId, orgId), eq(trustDocumentVersions.id, id))),
    versions: (orgId: string, documentIds: string[]) => documentIds.length === 0 ? Promise.resolve([] as VersionRow[]) :
      db.select().from(trustDocumentVersions).where(and(eq(trustDocumentVersions.orgId, orgId), inArray(trustDocumentVersions.documentId, documentIds)))
        .orderBy(desc(trustDocumentVersions.createdAt), desc(trustDocumentVersions.id)),
    currentVersion: async (orgId: string, documentId: string) =>
      one(await db.select().from(trustDocumentVersions).where(and(eq(trustDocumentVersions.orgId, orgId), eq(trustDocumentVersions.documentId, documentId)))
        .orderBy(desc(trustDocumentVersions.createdAt), desc(trustDocumentVersions.id)).limit(1)),

    // NDA versions
    currentNda: async (orgId: string) => one(await db.select().from(trustNdas).where(and(eq(trustNdas.orgId, orgId), eq(trustNdas.current, true)))),
    listNdas: (orgId: string) => db.select().from(trustNdas).where(eq(trustNdas.orgId, orgId)).orderBy(desc(trustNdas.createdAt)).limit(LIST_MAX),
    async insertCurrentNda(orgId: string, v: { label: string; text: string; sha256: string }) {
      await db.update(trustNdas).set({ current: false }).where(and(eq(trustNdas.orgId, orgId), eq(trustNdas.current, true)));
      return one(await db.insert(trustNdas).values({ ...v, orgId, current: true }).returning())!;
    },

    // Rules and customer accounts
    rules: async (orgId: string) => one(await db.select().from(trustAccessRules).where(eq(trustAccessRules.orgId, orgId))),
    upsertRules: async (orgId: string, v: Pick<RulesRow, 'allowedDomains' | 'autoApprovePlans' | 'grantDays'>) =>
      one(await db.insert(trustAccessRules).values({ ...v, orgId }).onConflictDoUpdate({ target: trustAccessRules.orgId, set: { ...v, updatedAt: sql`now()` } }).returning())!,
    listAccounts: (orgId: string) => db.select().from(trustCustomerAccounts).where(eq(trustCustomerAccounts.orgId, orgId)).orderBy(trustCustomerAccounts.companyName).limit(LIST_MAX),
    insertAccount: async (orgId: string, v: Pick<CustomerAccountRow, 'companyName' | 'emailDomains' | 'plan'>) =>
      one(await db.insert(trustCustomerAccounts).values({ ...v, orgId }).returning())!,
    updateAccount: async (orgId: string, id: string, v: Partial<Pick<CustomerAccountRow, 'companyName' | 'emailDomains' | 'plan'>>) =>
      one(await db.update(trustCustomerAccounts).set(v).where(and(eq(trustCustomerAccounts.orgId, orgId), eq(trustCustomerAccounts.id, id))).returning()),
    deleteAccount: async (orgId: string, id: string) =>
      (await db.delete(trustCustomerAccounts).where(and(eq(trustCustomerAccounts.orgId, orgId), eq(trustCustomerAccounts.id, id))).returning()).length > 0,
    accountsWithDomain: (orgId: string, domain: string) =>
      db.select().from(trustCustomerAccounts).where(and(eq(trustCustomerAccounts.orgId, orgId), sql`${domain} = any(${trustCustomerAccounts.emailDomains})`)),

    // Grants
    insertGrant: async (orgId: string, v: Omit<typeof trustGrants.$inferInsert, 'orgId' | 'id'>) =>
      one(await db.insert(trustGrants).values({ ...v, orgId }).returning())!,
    findGrant: async (orgId: string, id: string) =>
      one(await db.select().from(trustGrants).where(and(eq(trustGrants.orgId, orgId), eq(trustGrants.id, id)))),
    /** Locks the row so a concurrent decision or revocation waits for this one. */
    lockGrant: async (orgId: string, id: string) =>
      one(await db.select().from(trustGrants).where(and(eq(trustGrants.orgId, orgId), eq(trustGrants.id, id))).for('update')),
    listGrants: (orgId: string, status?: GrantStatus) =>
      db.select().from(trustGrants).where(and(eq(trustGrants.orgId, orgId), status ? eq(trustGrants.status, status) : undefined))
        .orderBy(desc(trustGrants.createdAt)).limit(LIST_MAX),
    updateGrant: async (orgId: string, id: string, v: Partial<typeof trustGrants.$inferInsert>) =>
      one(await db.update(trustGrants).set(v).where(and(eq(trustGrants.orgId, orgId), eq(trustGrants.id, id))).returning())!,

    // Links and visitor sessions
    insertLink: async (orgId: string, v: Pick<LinkRow, 'id' | 'grantId' | 'tokenHash' | 'nonceHash' | 'expiresAt'>) =>
      one(await db.insert(trustAccessLinks).values({ ...v, orgId }).returning())!,
    /** Spends the link: only the first caller gets the row back, so a replay finds nothing. */
    spendLink: async (orgId: string, tokenHash: string, nonceHash: string, now: Date) =>
      one(await db.update(trustAccessLinks).set({ usedAt: now })
        .where(and(eq(trustAccessLinks.orgId, orgId), eq(trustAccessLinks.tokenHash, tokenHash), eq(trustAccessLinks.nonceHash, nonceHash), isNull(trustAccessLinks.usedAt), gt(trustAccessLinks.expiresAt, now)))
        .returning()),
    insertSession: (orgId: string, v: { secretHash: string; grantId: string; expiresAt: Date }) =>
      db.insert(trustVisitorSessions).values({ ...v, orgId }),
    findSession: async (orgId: string, secretHash: string) =>
      one(await db.select().from(trustVisitorSessions).where(and(eq(trustVisitorSessions.orgId, orgId), eq(trustVisitorSessions.secretHash, secretHash)))),
    deleteSessionsOfGrant: (orgId: string, grantId: string) =>
      db.delete(trustVisitorSessions).where(and(eq(trustVisitorSessions.orgId, orgId), eq(trustVisitorSessions.grantId, grantId))),

    // Downloads
    insertDownload: (orgId: string, v: Omit<typeof trustDownloads.$inferInsert, 'orgId'>) => db.insert(trustDownloads).values({ ...v, orgId }),
    listDownloads: (orgId: string) => db.select().from(trustDownloads).where(eq(trustDownloads.orgId, orgId)).orderBy(desc(trustDownloads.at)).limit(LIST_MAX),
  };
}
export type TrustDocsRepo = ReturnType<typeof createTrustDocsRepo>;
