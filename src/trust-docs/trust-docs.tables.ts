import { sql } from 'drizzle-orm';
import { boolean, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orgs } from '../orgs/orgs.tables.ts';

export const grantStatuses = ['pending', 'approved', 'rejected', 'revoked'] as const;
export type GrantStatus = (typeof grantStatuses)[number];
export const customerPlans = ['free', 'pro', 'business', 'enterprise'] as const;
export type CustomerPlan = (typeof customerPlans)[number];

/** A document shown on the Trust Hub; its bytes are the newest of its versions. */
export const trustDocuments = pgTable('trust_documents', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull().defaultRandom(),
  title: text('title').notNull(),
  kind: text('kind').notNull(),
  visibility: text('visibility', { enum: ['public', 'gated', 'private'] }).notNull(),
  description: text('description').notNull().default(''),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.orgId, t.id] })]);

/** One uploaded PDF (content-addressed in the blob store); never changed, the newest is current. */
export const trustDocumentVersions = pgTable('trust_document_versions', {
  orgId: uuid('org_id').notNull(),
  id: uuid('id').notNull().defaultRandom(),
  documentId: uuid('document_id').notNull(),
  label: text('label').notNull(),
  sha256: text('sha256').notNull(),
  size: integer('size').notNull(),
  pageCount: integer('page_count').notNull(),
  filename: text('filename').notNull(),
  ledgerIndex: integer('ledger_index'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.orgId, t.id] }),
  foreignKey({ columns: [t.orgId, t.documentId], foreignColumns: [trustDocuments.orgId, trustDocuments.id], name: 'trust_document_versions_doc_fk' }).onDelete('cascade'),
  index('trust_document_versions_doc_idx').on(t.orgId, t.documentId, t.createdAt),
]);

/** NDA versions; exactly one per org is current (the partial unique index keeps it so). */
export const trustNdas = pgTable('trust_ndas', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull().defaultRandom(),
  label: text('label').notNull(),
  text: text('text').notNull(),
  sha256: text('sha256').notNull(),
  current: boolean('current').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.orgId, t.id] }), uniqueIndex('trust_ndas_current_key').on(t.orgId).where(sql`${t.current}`)]);

/** Customer accounts an auto-approval rule can match by email domain and plan. */
export const trustCustomerAccounts = pgTable('customer_accounts', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull().defaultRandom(),
  companyName: text('company_name').notNull(),
  emailDomains: text('email_domains').array().notNull().default([]),
  plan: text('plan', { enum: customerPlans }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.orgId, t.id] })]);

/** The org's auto-approval rules and grant lifetime (one row per org; absent = defaults). */
export const trustAccessRules = pgTable('trust_access_rules', {
  orgId: uuid('org_id').notNull().primaryKey().references(() => orgs.id, { onDelete: 'cascade' }),
  allowedDomains: text('allowed_domains').array().notNull().default([]),
  autoApprovePlans: text('auto_approve_plans').array().notNull().default([]),
  grantDays: integer('grant_days').notNull().default(30),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A visitor's request and, once decided, the grant: who, which NDA they accepted, until when. */
export const trustGrants = pgTable('trust_grants', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull().defaultRandom(),
  name: text('name').notNull(),
  email: text('email').notNull(),
  company: text('company').notNull(),
  reason: text('reason').notNull(),
  requestedDocumentId: uuid('requested_document_id'),
  ndaId: uuid('nda_id').notNull(),
  ndaSha256: text('nda_sha256').notNull(),
  acceptedAt: timestamp('accepted_at', { withTimezone: true }).notNull(),
  acceptanceLedgerIndex: integer('acceptance_ledger_index'),
  status: text('status', { enum: grantStatuses }).notNull().default('pending'),
  decidedBy: text('decided_by'),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  decisionNote: text('decision_note'),
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.orgId, t.id] }), index('trust_grants_org_status_idx').on(t.orgId, t.status, t.createdAt)]);

/** Magic links: only hashes are stored; `usedAt` makes each link redeemable once. */
export const trustAccessLinks = pgTable('trust_access_links', {
  orgId: uuid('org_id').notNull(),
  id: uuid('id').notNull().defaultRandom(),
  grantId: uuid('grant_id').notNull(),
  tokenHash: text('token_hash').notNull(),
  nonceHash: text('nonce_hash').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.orgId, t.id] }),
  uniqueIndex('trust_access_links_token_key').on(t.tokenHash),
  foreignKey({ columns: [t.orgId, t.grantId], foreignColumns: [trustGrants.orgId, trustGrants.id], name: 'trust_access_links_grant_fk' }).onDelete('cascade'),
]);

/** Visitor sessions started by a redeemed link; the cookie holds a secret whose hash is the key. */
export const trustVisitorSessions = pgTable('trust_visitor_sessions', {
  orgId: uuid('org_id').notNull(),
  secretHash: text('secret_hash').notNull(),
  grantId: uuid('grant_id').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.orgId, t.secretHash] }),
  foreignKey({ columns: [t.orgId, t.grantId], foreignColumns: [trustGrants.orgId, trustGrants.id], name: 'trust_visitor_sessions_grant_fk' }).onDelete('cascade'),
]);

/** Every download of a hub document, public or gated; the id is the one stamped on the PDF. */
export const trustDownloads = pgTable('trust_downloads', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  id: text('id').notNull(),
  documentId: uuid('document_id').notNull(),
  versionId: uuid('version_id').notNull(),
  visibility: text('visibility', { enum: ['public', 'gated'] }).notNull(),
  grantId: uuid('grant_id'),
  name: text('name'),
  email: text('email'),
  company: text('company'),
  ip: text('ip'),
  ledgerIndex: integer('ledger_index'),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.orgId, t.id] }), index('trust_downloads_org_at_idx').on(t.orgId, t.at)]);
