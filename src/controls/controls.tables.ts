import { foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { orgs } from '../orgs/orgs.tables.ts';
import { users } from '../accounts/accounts.tables.ts';
import { controlAutomation, controlFrequencies, controlNatureKinds } from './starter/starter-file.schema.ts';

export const controlLifecycles = ['draft', 'designed', 'implemented', 'operating', 'retired'] as const;

export const controls = pgTable('controls', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull().defaultRandom(),
  code: text('code').notNull(),
  title: text('title').notNull(),
  description: text('description').notNull().default(''),
  // Users are global; the service checks the owner is a member of this org.
  ownerUserId: uuid('owner_user_id').references(() => users.id, { onDelete: 'set null' }),
  frequency: text('frequency', { enum: controlFrequencies }).notNull(),
  nature: text('nature', { enum: controlNatureKinds }).notNull(),
  automation: text('automation', { enum: controlAutomation }).notNull(),
  lifecycle: text('lifecycle', { enum: controlLifecycles }).notNull().default('draft'),
  scope: text('scope').array().notNull().default(sql`'{}'::text[]`),
  starterCode: text('starter_code'),
  starterVersion: integer('starter_version'),
  /** Optimistic concurrency: every write bumps it, and writers say which version they saw. */
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.orgId, t.id] }),
  uniqueIndex('controls_code_key').on(t.orgId, t.code),
]);

/** Which framework requirements a control satisfies; the coverage engine reads these. */
export const controlRequirements = pgTable('control_requirements', {
  orgId: uuid('org_id').notNull(),
  controlId: uuid('control_id').notNull(),
  framework: text('framework').notNull(),
  requirementId: text('requirement_id').notNull(),
}, (t) => [
  primaryKey({ columns: [t.orgId, t.controlId, t.framework, t.requirementId] }),
  foreignKey({ columns: [t.orgId, t.controlId], foreignColumns: [controls.orgId, controls.id], name: 'control_requirements_control_fk' }).onDelete('cascade'),
  index('control_requirements_requirement_idx').on(t.orgId, t.framework, t.requirementId),
]);
