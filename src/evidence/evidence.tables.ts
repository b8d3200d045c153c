import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orgs } from '../orgs/orgs.tables.ts';

export const evidenceKinds = ['file', 'link', 'text', 'check'] as const;
export const evidenceStatuses = ['submitted', 'accepted', 'rejected'] as const;
export const collectorKinds = ['user', 'token', 'check', 'cli'] as const;

/**
 * One row per evidence version. Rows are written once: review, legal hold and purge only fill
 * their own columns, so the fields recorded in the evidence log never change (the log audit
 * compares them). A new version of the same evidence shares `series_id`.
 */
export const evidenceItems = pgTable('evidence_items', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull().defaultRandom(),
  seriesId: uuid('series_id').notNull(),
  version: integer('version').notNull(),
  kind: text('kind', { enum: evidenceKinds }).notNull(),
  title: text('title').notNull(),
  description: text('description').notNull().default(''),
  sha256: text('sha256'),
  size: bigint('size', { mode: 'number' }),
  mediaType: text('media_type'),
  fileName: text('file_name'),
  url: text('url'),
  body: text('body'),
  checkId: uuid('check_id'),
  checkStatus: text('check_status', { enum: ['pass', 'fail', 'error'] }),
  periodStart: timestamp('period_start', { withTimezone: true }),
  periodEnd: timestamp('period_end', { withTimezone: true }),
  collectedAt: timestamp('collected_at', { withTimezone: true }).notNull(),
  collectorKind: text('collector_kind', { enum: collectorKinds }).notNull(),
  collectorUserId: uuid('collector_user_id'),
  collectorLabel: text('collector_label').notNull(),
  status: text('status', { enum: evidenceStatuses }).notNull(),
  reviewReason: text('review_reason'),
  reviewedBy: uuid('reviewed_by'),
  reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
  retentionUntil: date('retention_until', { mode: 'string' }).notNull(),
  legalHold: boolean('legal_hold').notNull().default(false),
  legalHoldReason: text('legal_hold_reason'),
  purgedAt: timestamp('purged_at', { withTimezone: true }),
  ledgerIndex: bigint('ledger_index', { mode: 'number' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.orgId, t.id] }),
  uniqueIndex('evidence_items_series_version').on(t.orgId, t.seriesId, t.version),
  index('evidence_items_sha').on(t.orgId, t.sha256),
  index('evidence_items_retention').on(t.retentionUntil).where(sql`purged_at IS NULL AND NOT legal_hold`),
  check('evidence_items_file_has_hash', sql`kind <> 'file' OR (sha256 IS NOT NULL AND size IS NOT NULL)`),
  check('evidence_items_period', sql`period_start IS NULL OR period_end IS NULL OR period_start <= period_end`),
]);

/** The controls an evidence version supports; fixed when the version is written (a change is a new version). */
export const evidenceControls = pgTable('evidence_controls', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  evidenceId: uuid('evidence_id').notNull(),
  controlId: uuid('control_id').notNull(),
}, (t) => [primaryKey({ columns: [t.orgId, t.evidenceId, t.controlId] }), index('evidence_controls_control').on(t.orgId, t.controlId)]);
