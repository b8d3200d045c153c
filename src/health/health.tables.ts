import { bigserial, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { orgs } from '../orgs/orgs.tables.ts';

export const healthStates = ['passing', 'failing', 'stale', 'no-evidence'] as const;

/** Each control's last known health, so the monitoring job can tell a transition from a repeat. */
export const controlHealthStates = pgTable('control_health', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  controlId: uuid('control_id').notNull(),
  health: text('health', { enum: healthStates }).notNull(),
  reason: text('reason').notNull(),
  /** When the control entered this state (for stale: when its evidence went out of date). */
  since: timestamp('since', { withTimezone: true }).notNull(),
  checkedAt: timestamp('checked_at', { withTimezone: true }).notNull(),
}, (t) => [primaryKey({ columns: [t.orgId, t.controlId] })]);

/** Every health change the job saw; the control timeline shows them and notifications key on their id. */
export const controlHealthTransitions = pgTable('control_health_transitions', {
  orgId: uuid('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  id: bigserial('id', { mode: 'number' }).notNull(),
  controlId: uuid('control_id').notNull(),
  fromHealth: text('from_health', { enum: healthStates }),
  toHealth: text('to_health', { enum: healthStates }).notNull(),
  reason: text('reason').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull(),
}, (t) => [primaryKey({ columns: [t.orgId, t.id] }), index('control_health_transitions_control').on(t.orgId, t.controlId, t.id)]);
