import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.ts';
import { memberships } from '../orgs/orgs.tables.ts';
import { users } from '../accounts/accounts.tables.ts';
import { notificationEvents, notificationRules, webhookDeliveries, webhookEndpoints } from './notifications.tables.ts';

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type NotificationRuleRow = typeof notificationRules.$inferSelect;

const endpointKey = (orgId: string, id: string) => and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.id, id));
const deliveryKey = (orgId: string, id: string) => and(eq(webhookDeliveries.orgId, orgId), eq(webhookDeliveries.id, id));
const ruleKey = (orgId: string, id: string) => and(eq(notificationRules.orgId, orgId), eq(notificationRules.id, id));

export function createNotificationsRepo(db: DbOrTx) {
  return {
    /** False when the event was published before: publishing the same id again changes nothing. */
    async insertEvent(values: typeof notificationEvents.$inferInsert): Promise<boolean> {
      const rows = await db.insert(notificationEvents).values(values).onConflictDoNothing().returning({ id: notificationEvents.id });
      return rows.length === 1;
    },

    async insertEndpoint(values: typeof webhookEndpoints.$inferInsert): Promise<WebhookEndpointRow> {
      const [row] = await db.insert(webhookEndpoints).values(values).returning();
      return row!;
    },
    async listEndpoints(orgId: string, includeDeleted: boolean): Promise<WebhookEndpointRow[]> {
      return db.select().from(webhookEndpoints)
        .where(and(eq(webhookEndpoints.orgId, orgId), includeDeleted ? undefined : isNull(webhookEndpoints.deletedAt)))
        .orderBy(desc(webhookEndpoints.createdAt)).limit(500);
    },
    async liveEnabledEndpoints(orgId: string): Promise<WebhookEndpointRow[]> {
      return db.select().from(webhookEndpoints)
        .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.enabled, true), isNull(webhookEndpoints.deletedAt)));
    },
    async findEndpoint(orgId: string, id: string): Promise<WebhookEndpointRow | undefined> {
      const [row] = await db.select().from(webhookEndpoints).where(endpointKey(orgId, id));
      return row;
    },
    async updateEndpoint(orgId: string, id: string, patch: Partial<Pick<WebhookEndpointRow, 'url' | 'description' | 'events' | 'enabled' | 'secretSealed' | 'secretRotatedAt' | 'deletedAt'>>) {
      const [row] = await db.update(webhookEndpoints).set({ ...patch, updatedAt: new Date() })
        .where(and(endpointKey(orgId, id), isNull(webhookEndpoints.deletedAt))).returning();
      return row;
    },
    async recordEndpointOutcome(orgId: string, id: string, status: 'delivered' | 'failed') {
      await db.update(webhookEndpoints).set({ lastDeliveryStatus: status, lastDeliveryAt: new Date() }).where(endpointKey(orgId, id));
    },

    /** Inserts what is new; (endpoint, event) pairs that exist already are skipped. */
    async insertDeliveries(values: (typeof webhookDeliveries.$inferInsert)[]): Promise<WebhookDeliveryRow[]> {
      if (values.length === 0) return [];
      return db.insert(webhookDeliveries).values(values).onConflictDoNothing().returning();
    },
    async findDelivery(orgId: string, id: string): Promise<WebhookDeliveryRow | undefined> {
      const [row] = await db.select().from(webhookDeliveries).where(deliveryKey(orgId, id));
      return row;
    },
    async listDeliveries(orgId: string, endpointId: string, opts: { limit: number; status?: WebhookDeliveryRow['status'] | undefined }) {
      return db.select().from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.orgId, orgId), eq(webhookDeliveries.endpointId, endpointId), opts.status ? eq(webhookDeliveries.status, opts.status) : undefined))
        .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id)).limit(opts.limit);
    },
    /** Counts the attempt before it is made, so a crash mid-request still shows up in the log. */
    async startAttempt(orgId: string, id: string): Promise<WebhookDeliveryRow | undefined> {
      const [row] = await db.update(webhookDeliveries)
        .set({ attempts: sql`${webhookDeliveries.attempts} + 1`, lastAttemptAt: new Date(), updatedAt: new Date() })
        .where(and(deliveryKey(orgId, id), eq(webhookDeliveries.status, 'pending'))).returning();
      return row;
    },
    async finishAttempt(orgId: string, id: string, patch: Pick<WebhookDeliveryRow, 'status' | 'responseStatus' | 'responseBody' | 'error' | 'durationMs' | 'nextAttemptAt'>) {
      await db.update(webhookDeliveries)
        .set({ ...patch, updatedAt: new Date(), deliveredAt: patch.status === 'delivered' ? new Date() : null })
        .where(deliveryKey(orgId, id));
    },
    /** Only failed deliveries go back in the queue: a delivered one is never sent again. */
    async requeueFailed(orgId: string, id: string): Promise<WebhookDeliveryRow | undefined> {
      const [row] = await db.update(webhookDeliveries)
        .set({ status: 'pending', error: null, nextAttemptAt: new Date(), updatedAt: new Date() })
        .where(and(deliveryKey(orgId, id), eq(webhookDeliveries.status, 'failed'))).returning();
      return row;
    },

    async insertRule(values: typeof notificationRules.$inferInsert): Promise<NotificationRuleRow> {
      const [row] = await db.insert(notificationRules).values(values).returning();
      return row!;
    },
    async listRules(orgId: string): Promise<NotificationRuleRow[]> {
      return db.select().from(notificationRules).where(eq(notificationRules.orgId, orgId)).orderBy(desc(notificationRules.createdAt)).limit(500);
    },
    async enabledRules(orgId: string): Promise<NotificationRuleRow[]> {
      return db.select().from(notificationRules).where(and(eq(notificationRules.orgId, orgId), eq(notificationRules.enabled, true)));
    },
    async findRule(orgId: string, id: string) {
      const [row] = await db.select().from(notificationRules).where(ruleKey(orgId, id));
      return row;
    },
    async updateRule(orgId: string, id: string, patch: Partial<Pick<NotificationRuleRow, 'name' | 'events' | 'toAdmins' | 'toOwners' | 'addresses' | 'enabled'>>) {
      const [row] = await db.update(notificationRules).set({ ...patch, updatedAt: new Date() }).where(ruleKey(orgId, id)).returning();
      return row;
    },
    async deleteRule(orgId: string, id: string): Promise<boolean> {
      const rows = await db.delete(notificationRules).where(ruleKey(orgId, id)).returning({ id: notificationRules.id });
      return rows.length === 1;
    },

    /** Emails of active members with one of these roles, or with one of these user ids. */
    async memberEmails(orgId: string, by: { roles?: string[]; userIds?: string[] }): Promise<string[]> {
      const who = by.roles?.length ? inArray(memberships.role, by.roles as ('owner' | 'admin')[]) : by.userIds?.length ? inArray(memberships.userId, by.userIds) : undefined;
      if (!who) return [];
      const rows = await db.select({ email: users.email }).from(memberships).innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.orgId, orgId), who, isNull(users.disabledAt)));
      return rows.map((r) => r.email);
    },
  };
}
export type NotificationsRepo = ReturnType<typeof createNotificationsRepo>;
