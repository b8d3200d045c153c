import { sql } from 'drizzle-orm';
import { boolean, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { orgs } from '../orgs/orgs.tables.ts';

export type CriterionRef = { framework: string; id: string };

/** Complementary user entity controls: what the customer must do on its side, per product. */
export const responsibilities = pgTable('responsibilities', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull().defaultRandom(),
  statement: text('statement').notNull(),
  criteria: jsonb('criteria').$type<CriterionRef[]>().notNull().default([]),
  productIds: uuid('product_ids').array().notNull().default(sql`'{}'::uuid[]`),
  published: boolean('published').notNull().default(false),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.orgId, t.id] })]);
