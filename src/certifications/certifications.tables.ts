import { boolean, date, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { orgs } from '../orgs/orgs.tables.ts';
import { products } from '../products/products.tables.ts';

export const certificationKinds = ['certificate', 'soc2-type1', 'soc2-type2', 'soc3', 'attestation-of-compliance', 'code-of-conduct', 'government-authorization', 'other'] as const;
export type CertificationKind = (typeof certificationKinds)[number];
export const certificationStatuses = ['planned', 'in-process', 'audit-complete', 'certified', 'attested', 'expired', 'withdrawn'] as const;
export type CertificationStatus = (typeof certificationStatuses)[number];
export const issuerRoles = ['auditor', 'assessor', 'certification-body', 'monitoring-body', 'government'] as const;
export const coveredRoles = ['controller', 'processor', 'merchant', 'service-provider'] as const;

/**
 * One certification, attestation report or authorization. The kind-specific fields are plain
 * nullable columns (which of them apply is the schema's business), so expiry is one indexed query.
 */
export const certifications = pgTable('certifications', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull().defaultRandom(),
  frameworkId: text('framework_id').notNull(),
  name: text('name').notNull(),
  kind: text('kind', { enum: certificationKinds }).notNull(),
  status: text('status', { enum: certificationStatuses }).notNull(),
  asOf: date('as_of'),
  periodStart: date('period_start'),
  periodEnd: date('period_end'),
  issuedOn: date('issued_on'),
  expiresOn: date('expires_on'),
  certificateNumber: text('certificate_number'),
  verificationId: text('verification_id'),
  program: text('program'),
  level: text('level'),
  issuerName: text('issuer_name'),
  issuerRole: text('issuer_role', { enum: issuerRoles }),
  rolesCovered: text('roles_covered').array().notNull().default([]),
  scopeNotes: text('scope_notes').notNull().default(''),
  locations: text('locations').array().notNull().default([]),
  public: boolean('public').notNull().default(false),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.orgId, t.id] }), index('certifications_org_status_idx').on(t.orgId, t.status)]);

/** Products in scope (inScope true) or explicitly out of scope; the composite key keeps both in one org. */
export const certificationProducts = pgTable('certification_products', {
  orgId: uuid('org_id').notNull(),
  certificationId: uuid('certification_id').notNull(),
  productId: uuid('product_id').notNull(),
  inScope: boolean('in_scope').notNull(),
  position: integer('position').notNull().default(0),
}, (t) => [
  primaryKey({ columns: [t.orgId, t.certificationId, t.productId] }),
  foreignKey({ columns: [t.orgId, t.certificationId], foreignColumns: [certifications.orgId, certifications.id], name: 'certification_products_cert_fk' }).onDelete('cascade'),
  // Restrict: a referenced product is archived, never deleted (products.service).
  foreignKey({ columns: [t.orgId, t.productId], foreignColumns: [products.orgId, products.id], name: 'certification_products_product_fk' }),
  index('certification_products_product_idx').on(t.orgId, t.productId),
]);

/** Every status change: who (or "system" for automatic expiry), when, from, to and why. */
export const certificationStatusHistory = pgTable('certification_status_history', {
  orgId: uuid('org_id').notNull(),
  id: uuid('id').notNull().defaultRandom(),
  certificationId: uuid('certification_id').notNull(),
  fromStatus: text('from_status', { enum: certificationStatuses }),
  toStatus: text('to_status', { enum: certificationStatuses }).notNull(),
  reason: text('reason').notNull(),
  actorUserId: uuid('actor_user_id'),
  actor: text('actor').notNull(),
  ledgerIndex: integer('ledger_index'),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.orgId, t.id] }),
  foreignKey({ columns: [t.orgId, t.certificationId], foreignColumns: [certifications.orgId, certifications.id], name: 'certification_status_history_cert_fk' }).onDelete('cascade'),
  index('certification_status_history_cert_idx').on(t.orgId, t.certificationId, t.at),
]);
