import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orgs } from '../orgs/orgs.tables.ts';

export const commitmentCategories = ['security', 'privacy'] as const;
export type CommitmentCategory = (typeof commitmentCategories)[number];

/** One row per org that has configured its Trust Hub; no row means "not published". */
export const trustHubSettings = pgTable('trust_hub_settings', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  published: boolean('published').notNull().default(false),
  displayName: text('display_name').notNull(),
  accentColor: text('accent_color').notNull().default('#1c7ed6'),
  intro: text('intro').notNull().default(''),
  securityContacts: text('security_contacts').array().notNull().default([]),
  securityTxtExpires: timestamp('security_txt_expires', { withTimezone: true }),
  securityTxtEncryption: text('security_txt_encryption'),
  securityTxtAcknowledgments: text('security_txt_acknowledgments'),
  securityTxtPolicy: text('security_txt_policy'),
  securityTxtHiring: text('security_txt_hiring'),
  securityTxtLanguages: text('security_txt_languages').array().notNull().default([]),
  publishedAt: timestamp('published_at', { withTimezone: true }),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.orgId] })]);

/** Custom host names that serve an org's hub at their root; a host belongs to one org only. */
export const trustHubHosts = pgTable('trust_hub_hosts', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  host: text('host').notNull(),
  position: integer('position').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.orgId, t.host] }), uniqueIndex('trust_hub_hosts_host_key').on(t.host)]);

/** Security and privacy commitments shown on the hub, optionally backed by a control's latest health. */
export const trustHubCommitments = pgTable('trust_hub_commitments', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull().defaultRandom(),
  statement: text('statement').notNull(),
  category: text('category', { enum: commitmentCategories }).notNull(),
  controlId: uuid('control_id'),
  published: boolean('published').notNull().default(false),
  publishedAt: timestamp('published_at', { withTimezone: true }),
  position: integer('position').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.orgId, t.id] }),
  index('trust_hub_commitments_org_idx').on(t.orgId, t.position),
]);
