import { sql } from 'drizzle-orm';
import { bigint, boolean, date, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orgs } from '../orgs/orgs.tables.ts';

export const changeKinds = ['added', 'removed', 'country-added', 'purpose-changed'] as const;
export type ChangeKind = (typeof changeKinds)[number];
export const changeStatuses = ['draft', 'announced', 'withdrawn'] as const;
export type ChangeStatus = (typeof changeStatuses)[number];

/** The org's vendors; the ones flagged as sub-processors feed the Trust Hub's public list. */
export const vendors = pgTable('vendors', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull().defaultRandom(),
  name: text('name').notNull(),
  services: text('services').notNull().default(''),
  purpose: text('purpose').notNull().default(''),
  countries: text('countries').array().notNull().default(sql`'{}'::text[]`),
  dataCategories: text('data_categories').array().notNull().default(sql`'{}'::text[]`),
  subprocessor: boolean('subprocessor').notNull().default(false),
  dpaDate: date('dpa_date', { mode: 'string' }),
  website: text('website'),
  productIds: uuid('product_ids').array().notNull().default(sql`'{}'::uuid[]`),
  // What customers were last told (null: never announced as a sub-processor); saves are diffed against it.
  publicBaseline: jsonb('public_baseline').$type<{ name: string; purpose: string; countries: string[] } | null>(),
  // Removed vendors stay so announced removals keep pointing at something.
  removedAt: timestamp('removed_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.orgId, t.id] }),
  uniqueIndex('vendors_org_name_key').on(t.orgId, sql`lower(${t.name})`).where(sql`${t.removedAt} IS NULL`),
]);

/**
 * A change to the public sub-processor list, computed when a vendor is saved (draft) and
 * published with an advance-notice date (announced). Customers may object until effectiveAt.
 */
export const subprocessorChanges = pgTable('subprocessor_changes', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull().defaultRandom(),
  vendorId: uuid('vendor_id').notNull(),
  vendorName: text('vendor_name').notNull(),
  kind: text('kind', { enum: changeKinds }).notNull(),
  summary: text('summary').notNull(),
  detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
  status: text('status', { enum: changeStatuses }).notNull().default('draft'),
  announcedAt: timestamp('announced_at', { withTimezone: true }),
  effectiveAt: date('effective_at', { mode: 'string' }),
  ledgerIndex: bigint('ledger_index', { mode: 'number' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.orgId, t.id] }), index('subprocessor_changes_status_idx').on(t.orgId, t.status)]);

/** Customers who asked to hear of changes; only confirmed, not unsubscribed ones get mail. */
export const subprocessorSubscribers = pgTable('subprocessor_subscribers', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull().defaultRandom(),
  email: text('email').notNull(),
  // SHA-256 of the secret in the confirm and unsubscribe links; the secret itself is only mailed.
  tokenHash: text('token_hash').notNull(),
  confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
  unsubscribedAt: timestamp('unsubscribed_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.orgId, t.id] }),
  uniqueIndex('subprocessor_subscribers_email_key').on(t.orgId, t.email),
  uniqueIndex('subprocessor_subscribers_token_key').on(t.tokenHash),
]);

export const subprocessorObjections = pgTable('subprocessor_objections', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull().defaultRandom(),
  changeId: uuid('change_id').notNull(),
  name: text('name').notNull(),
  email: text('email').notNull(),
  company: text('company').notNull(),
  reason: text('reason').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.orgId, t.id] }), index('subprocessor_objections_change_idx').on(t.orgId, t.changeId)]);
