import { bigserial, jsonb, pgTable, primaryKey, text, timestamp, uuid, index } from 'drizzle-orm/pg-core';
import { orgs } from '../orgs/orgs.tables.ts';

export const securityEvents = pgTable('security_events', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  id: bigserial('id', { mode: 'number' }).notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  action: text('action').notNull(),
  actorUserId: uuid('actor_user_id'),
  actorEmail: text('actor_email'),
  ip: text('ip'),
  targetType: text('target_type'),
  targetId: text('target_id'),
  detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
}, (t) => [primaryKey({ columns: [t.orgId, t.id] }), index('security_events_action_idx').on(t.orgId, t.action, t.id)]);
