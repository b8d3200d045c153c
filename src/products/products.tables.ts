import { sql } from 'drizzle-orm';
import { boolean, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orgs } from '../orgs/orgs.tables.ts';

export const productKinds = ['product', 'service', 'system'] as const;
export type ProductKind = (typeof productKinds)[number];

/** What an org offers (or runs): the rows that certification scopes and the Trust Hub's product matrix point at. */
export const products = pgTable('products', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull().defaultRandom(),
  name: text('name').notNull(),
  slug: text('slug').notNull(),
  kind: text('kind', { enum: productKinds }).notNull(),
  description: text('description').notNull().default(''),
  public: boolean('public').notNull().default(false),
  // Referenced products are archived instead of deleted, so old scopes keep their meaning.
  archivedAt: timestamp('archived_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.orgId, t.id] }),
  uniqueIndex('products_org_name_key').on(t.orgId, sql`lower(${t.name})`),
  uniqueIndex('products_org_slug_key').on(t.orgId, t.slug),
]);
