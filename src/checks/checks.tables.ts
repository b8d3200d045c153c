import { boolean, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { orgs } from '../orgs/orgs.tables.ts';
import { users } from '../accounts/accounts.tables.ts';
import { controls } from '../controls/controls.tables.ts';

export const checkRunTriggers = ['schedule', 'manual', 'push', 'cli'] as const;
export const checkRunStatuses = ['pass', 'fail', 'error'] as const;

/**
 * Automated checks. `config` is stored with every secret field replaced by "[redacted]"; the
 * secret values live only in `sealed_secrets` (one SecretBox-sealed JSON list of {path, value}).
 * A check is due every `interval_minutes`; a `push` check instead expects a pushed result within it.
 */
export const checks = pgTable('checks', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull().defaultRandom(),
  name: text('name').notNull(),
  type: text('type').notNull(),
  config: jsonb('config').notNull(),
  sealedSecrets: text('sealed_secrets'),
  intervalMinutes: integer('interval_minutes').notNull(),
  timeoutSeconds: integer('timeout_seconds').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  /** Optimistic concurrency: every write bumps it. */
  version: integer('version').notNull().default(1),
  nextRunAt: timestamp('next_run_at', { withTimezone: true }).notNull().defaultNow(),
  lastStatus: text('last_status', { enum: checkRunStatuses }),
  lastRunAt: timestamp('last_run_at', { withTimezone: true }),
}, (t) => [
  primaryKey({ columns: [t.orgId, t.id] }),
  // The scheduler's scan across orgs: enabled checks by due time.
  index('checks_due_idx').on(t.nextRunAt).where(sql`${t.enabled}`),
]);

/** The controls a check produces evidence for. */
export const checkControls = pgTable('check_controls', {
  orgId: uuid('org_id').notNull(),
  checkId: uuid('check_id').notNull(),
  controlId: uuid('control_id').notNull(),
}, (t) => [
  primaryKey({ columns: [t.orgId, t.checkId, t.controlId] }),
  foreignKey({ columns: [t.orgId, t.checkId], foreignColumns: [checks.orgId, checks.id], name: 'check_controls_check_fk' }).onDelete('cascade'),
  foreignKey({ columns: [t.orgId, t.controlId], foreignColumns: [controls.orgId, controls.id], name: 'check_controls_control_fk' }).onDelete('cascade'),
]);

export const checkRuns = pgTable('check_runs', {
  orgId: uuid('org_id').notNull(),
  id: uuid('id').notNull().defaultRandom(),
  checkId: uuid('check_id').notNull(),
  trigger: text('trigger', { enum: checkRunTriggers }).notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  finishedAt: timestamp('finished_at', { withTimezone: true }).notNull(),
  status: text('status', { enum: checkRunStatuses }).notNull(),
  summary: text('summary').notNull(),
  assertions: jsonb('assertions').notNull(),
  /** Bounded by the plug-ins' OUTPUT_LIMIT_BYTES and free of secret values. */
  output: text('output').notNull(),
  evidenceId: uuid('evidence_id'),
}, (t) => [
  primaryKey({ columns: [t.orgId, t.id] }),
  foreignKey({ columns: [t.orgId, t.checkId], foreignColumns: [checks.orgId, checks.id], name: 'check_runs_check_fk' }).onDelete('cascade'),
  index('check_runs_history_idx').on(t.orgId, t.checkId, t.startedAt),
]);
