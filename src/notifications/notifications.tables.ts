import { boolean, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orgs } from '../orgs/orgs.tables.ts';
import { users } from '../accounts/accounts.tables.ts';

/** Every event published for an org, once: its id is what makes publishing idempotent. */
export const notificationEvents = pgTable('notification_events', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull(),
  type: text('type').notNull(),
  subject: jsonb('subject').$type<{ type: string; id: string; label: string }>().notNull(),
  data: jsonb('data').$type<Record<string, unknown>>().notNull(),
  occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.orgId, t.id] })]);

/** A receiver of signed webhooks. Deleting keeps the row (and its deliveries) with deleted_at set. */
export const webhookEndpoints = pgTable('webhook_endpoints', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull().defaultRandom(),
  url: text('url').notNull(),
  description: text('description').notNull().default(''),
  /** The whsec_ signing secret sealed with the instance key (SecretBox, purpose 'webhook-secret'). */
  secretSealed: text('secret_sealed').notNull(),
  events: jsonb('events').$type<string[]>().notNull(),
  enabled: boolean('enabled').notNull().default(true),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  secretRotatedAt: timestamp('secret_rotated_at', { withTimezone: true }),
  deletedAt: timestamp('deleted_at', { withTimezone: true }),
  lastDeliveryStatus: text('last_delivery_status', { enum: ['delivered', 'failed'] }),
  lastDeliveryAt: timestamp('last_delivery_at', { withTimezone: true }),
}, (t) => [primaryKey({ columns: [t.orgId, t.id] })]);

export const deliveryStatuses = ['pending', 'delivered', 'failed'] as const;

/** One event for one endpoint, and the log of trying to deliver it. (endpoint, event) is unique: never delivered twice. */
export const webhookDeliveries = pgTable('webhook_deliveries', {
  orgId: uuid('org_id').notNull(),
  id: uuid('id').notNull().defaultRandom(),
  endpointId: uuid('endpoint_id').notNull(),
  eventId: uuid('event_id').notNull(),
  eventType: text('event_type').notNull(),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  attempts: integer('attempts').notNull().default(0),
  status: text('status', { enum: deliveryStatuses }).notNull().default('pending'),
  responseStatus: integer('response_status'),
  /** The first bytes of the receiver's answer, for debugging. */
  responseBody: text('response_body'),
  error: text('error'),
  durationMs: integer('duration_ms'),
  nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
  deliveredAt: timestamp('delivered_at', { withTimezone: true }),
}, (t) => [
  primaryKey({ columns: [t.orgId, t.id] }),
  foreignKey({ columns: [t.orgId, t.endpointId], foreignColumns: [webhookEndpoints.orgId, webhookEndpoints.id] }).onDelete('cascade'),
  uniqueIndex('webhook_deliveries_once').on(t.orgId, t.endpointId, t.eventId),
  index('webhook_deliveries_by_endpoint').on(t.orgId, t.endpointId, t.createdAt),
]);

/** Email rules: which event types mail whom (admins, the subject's owners, fixed addresses). */
export const notificationRules = pgTable('notification_rules', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  id: uuid('id').notNull().defaultRandom(),
  name: text('name').notNull(),
  events: jsonb('events').$type<string[]>().notNull(),
  toAdmins: boolean('to_admins').notNull().default(false),
  toOwners: boolean('to_owners').notNull().default(false),
  addresses: jsonb('addresses').$type<string[]>().notNull(),
  enabled: boolean('enabled').notNull().default(true),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.orgId, t.id] })]);
