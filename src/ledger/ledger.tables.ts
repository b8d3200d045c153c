import { sql } from 'drizzle-orm';
import { bigint, boolean, check, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { orgs } from '../orgs/orgs.tables.ts';

/** PostgreSQL bytea as a Buffer (drizzle has no built-in column for it). */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * One row per log entry: the canonical entry bytes themselves (RFC 8785 JSON) and their leaf hash.
 * Lookup by leaf hash (proof by hash) uses a hash index: appends insert hashes in random order,
 * and a hash index takes that with far fewer pages touched (and so less WAL) than a B-tree over
 * (org_id, leaf_hash, idx) did; the query still filters by org.
 */
export const ledgerEntries = pgTable('ledger_entries', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  idx: bigint('idx', { mode: 'number' }).notNull(),
  kind: text('kind').notNull(),
  entry: bytea('entry').notNull(),
  leafHash: bytea('leaf_hash').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.orgId, t.idx] }), index('ledger_entries_leaf_hash_idx').using('hash', t.leafHash)]);

/**
 * Every complete perfect-subtree node of level 4 (FIRST_STORED_LEVEL in tree-hash.ts) and up, so
 * any proof is O(log n) lookups plus at most a few dozen leaf hashes for the levels below, which
 * are recomputed (one row per 8 entries instead of one per entry: appends write less and audits
 * read less). Level 0 (the leaf hashes) is not stored twice: it is ledger_entries.leaf_hash.
 *
 * No foreign key to orgs: PostgreSQL checks one per inserted row, which measured as the largest
 * single server cost of an append (more than the insert itself). Nodes are written only by the
 * statement that inserts the entries they derive from (insertBatch), whose foreign key checks the
 * org in the same transaction; nothing deletes orgs, and whoever adds that must delete the org's
 * nodes too. The audit reports stored nodes that do not belong to the tree.
 */
export const ledgerNodes = pgTable('ledger_nodes', {
  orgId: uuid('org_id').notNull(),
  level: integer('level').notNull(),
  idx: bigint('idx', { mode: 'number' }).notNull(),
  hash: bytea('hash').notNull(),
}, (t) => [primaryKey({ columns: [t.orgId, t.level, t.idx] }), check('ledger_nodes_interior_check', sql`${t.level} >= 4`)]);

/** Signed tree heads (c2sp.org/tlog-checkpoint notes), one per tree size. */
export const ledgerCheckpoints = pgTable('ledger_checkpoints', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  treeSize: bigint('tree_size', { mode: 'number' }).notNull(),
  rootHash: bytea('root_hash').notNull(),
  note: text('note').notNull(),
  keyId: text('key_id').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.orgId, t.treeSize] })]);

/** Ed25519 log keys; the private half is sealed with the instance key. Retired keys stay for verification. */
export const ledgerKeys = pgTable('ledger_keys', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  keyId: text('key_id').notNull(),
  name: text('name').notNull(),
  publicKey: bytea('public_key').notNull(),
  sealedPrivateKey: text('sealed_private_key').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
}, (t) => [primaryKey({ columns: [t.orgId, t.keyId] })]);

export const AUDIT_TRIGGERS = ['schedule', 'manual', 'cli'] as const;
export type AuditTrigger = (typeof AUDIT_TRIGGERS)[number];
export type StoredAuditProblem = { code: string; message: string; index?: number; level?: number; treeSize?: number };

/** One row per audit run (daily job, "Run audit now", `attest log audit`): what was checked and what was found. */
export const ledgerAudits = pgTable('ledger_audits', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull().defaultRandom(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  finishedAt: timestamp('finished_at', { withTimezone: true }).notNull(),
  treeSize: bigint('tree_size', { mode: 'number' }).notNull(),
  rootHash: text('root_hash').notNull(),
  checkpoints: integer('checkpoints').notNull(),
  ok: boolean('ok').notNull(),
  /** All problems found; `problems` keeps only the first ones (capped). */
  problemCount: integer('problem_count').notNull(),
  problems: jsonb('problems').$type<StoredAuditProblem[]>().notNull().default([]),
  trigger: text('trigger').$type<AuditTrigger>().notNull(),
}, (t) => [
  primaryKey({ columns: [t.orgId, t.id] }),
  index('ledger_audits_latest_idx').on(t.orgId, t.finishedAt),
  check('ledger_audits_trigger_check', sql`${t.trigger} IN ('schedule', 'manual', 'cli')`),
]);
