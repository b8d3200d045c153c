import type { Repos, Transact } from '../db/repos.ts';
import type { JobSender } from '../jobs/jobs.ts';
import type { Actor } from '../lib/actor.ts';
import { ConflictError, NotFoundError } from '../lib/errors.ts';
import type { SecretBox } from '../lib/secrets.ts';
import type { WebhookDeliveryRow, WebhookEndpointRow } from './notifications.repo.ts';
import { TEST_EVENT_TYPE } from './notifications.schema.ts';
import { sendWebhook, type SendOutcome } from './webhook-sender.ts';
import { newWebhookSecret } from './webhook-signature.ts';
import { assertWebhookUrl } from './webhook-target.ts';

export const WEBHOOK_DELIVER_JOB = 'notifications.webhook.deliver';
export const WEBHOOK_SECRET_PURPOSE = 'webhook-secret';

type Deps = { repos: Repos; transact: Transact; secrets: SecretBox; jobs: JobSender; allowLoopback: boolean; retrySeconds: number; userAgent: string };

/** The body receivers get (Standard Webhooks' recommended shape: type, timestamp, data, plus who it is about). */
export function webhookPayload(orgId: string, event: { id: string; type: string; subject: { type: string; id: string; label: string }; data: Record<string, unknown>; occurredAt: Date }) {
  return { id: event.id, type: event.type, timestamp: event.occurredAt.toISOString(), orgId, subject: event.subject, data: event.data };
}

export function createWebhooksService(deps: Deps) {
  const { repos, transact, secrets } = deps;
  const log = (tx: Repos, orgId: string, action: string, actor: Actor, id: string, detail: Record<string, unknown> = {}) =>
    tx.securityLog.insertMany([{ orgId, action, actorUserId: actor.userId, actorEmail: actor.email, ip: actor.ip, targetType: 'webhook', targetId: id, detail }]);

  async function liveEndpoint(tx: Repos, orgId: string, id: string): Promise<WebhookEndpointRow> {
    const endpoint = await tx.notifications.findEndpoint(orgId, id);
    if (!endpoint || endpoint.deletedAt) throw new NotFoundError('Webhook endpoint');
    return endpoint;
  }

  /** Marks the attempt's outcome; pg-boss retries when this throws. */
  async function record(orgId: string, delivery: WebhookDeliveryRow, outcome: SendOutcome, isLast: boolean) {
    const base = { responseStatus: outcome.status, responseBody: outcome.body, durationMs: outcome.durationMs };
    if (outcome.kind === 'delivered') {
      await repos.notifications.finishAttempt(orgId, delivery.id, { ...base, status: 'delivered', error: null, nextAttemptAt: null });
      await repos.notifications.recordEndpointOutcome(orgId, delivery.endpointId, 'delivered');
      return;
    }
    const final = outcome.kind === 'permanent' || isLast;
    // pg-boss waits about base × 2^n (up to twice that, jittered) before try n + 1.
    const next = final ? null : new Date(Date.now() + deps.retrySeconds * 1000 * 2 ** Math.max(0, delivery.attempts - 1));
    await repos.notifications.finishAttempt(orgId, delivery.id, { ...base, status: final ? 'failed' : 'pending', error: outcome.error, nextAttemptAt: next });
    if (final) {
      await repos.notifications.recordEndpointOutcome(orgId, delivery.endpointId, 'failed');
      return;
    }
    throw new Error(`webhook delivery ${delivery.id}: ${outcome.error}`);
  }

  return {
    async create(orgId: string, input: { url: string; description: string; events: string[]; enabled: boolean }, actor: Actor) {
      assertWebhookUrl(input.url, deps.allowLoopback);
      const secret = newWebhookSecret();
      const endpoint = await transact(async (tx) => {
        const row = await tx.notifications.insertEndpoint({ orgId, ...input, secretSealed: secrets.seal(secret, WEBHOOK_SECRET_PURPOSE), createdBy: actor.userId });
        await log(tx, orgId, 'webhook.created', actor, row.id, { url: row.url, events: row.events });
        return row;
      });
      return { endpoint, secret };
    },
    list: (orgId: string, includeDeleted = false) => repos.notifications.listEndpoints(orgId, includeDeleted),
    async get(orgId: string, id: string) {
      const endpoint = await repos.notifications.findEndpoint(orgId, id);
      if (!endpoint) throw new NotFoundError('Webhook endpoint');
      return endpoint;
    },
    async update(orgId: string, id: string, patch: { url?: string | undefined; description?: string | undefined; events?: string[] | undefined; enabled?: boolean | undefined }, actor: Actor) {
      if (patch.url !== undefined) assertWebhookUrl(patch.url, deps.allowLoopback);
      const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      return transact(async (tx) => {
        await liveEndpoint(tx, orgId, id);
        const row = await tx.notifications.updateEndpoint(orgId, id, clean);
        if (!row) throw new NotFoundError('Webhook endpoint');
        await log(tx, orgId, 'webhook.updated', actor, id, clean);
        return row;
      });
    },
    /** Disables the endpoint for good and keeps it, with its delivery history, for the record. */
    async remove(orgId: string, id: string, actor: Actor) {
      return transact(async (tx) => {
        await liveEndpoint(tx, orgId, id);
        const row = await tx.notifications.updateEndpoint(orgId, id, { enabled: false, deletedAt: new Date() });
        await log(tx, orgId, 'webhook.deleted', actor, id);
        return row!;
      });
    },
    async rotateSecret(orgId: string, id: string, actor: Actor) {
      const secret = newWebhookSecret();
      const endpoint = await transact(async (tx) => {
        await liveEndpoint(tx, orgId, id);
        const row = await tx.notifications.updateEndpoint(orgId, id, { secretSealed: secrets.seal(secret, WEBHOOK_SECRET_PURPOSE), secretRotatedAt: new Date() });
        await log(tx, orgId, 'webhook.secret_rotated', actor, id);
        return row!;
      });
      return { endpoint, secret };
    },
    /** A `webhook.test` event to this endpoint only, whatever it subscribes to (and even when disabled). */
    async sendTest(orgId: string, id: string, actor: Actor) {
      const delivery = await transact(async (tx) => {
        const endpoint = await liveEndpoint(tx, orgId, id);
        const event = { id: crypto.randomUUID(), type: TEST_EVENT_TYPE, subject: { type: 'webhook', id: endpoint.id, label: endpoint.url }, data: { message: 'Test event sent from Attest.', sentBy: actor.email }, occurredAt: new Date() };
        await tx.notifications.insertEvent({ orgId, id: event.id, type: event.type, subject: event.subject, data: event.data, occurredAt: event.occurredAt });
        const [row] = await tx.notifications.insertDeliveries([{ orgId, endpointId: id, eventId: event.id, eventType: event.type, payload: webhookPayload(orgId, event) }]);
        return row!;
      });
      await deps.jobs.send(WEBHOOK_DELIVER_JOB, { orgId, deliveryId: delivery.id });
      return delivery;
    },
    async deliveries(orgId: string, endpointId: string, opts: { limit: number; status?: WebhookDeliveryRow['status'] | undefined }) {
      if (!(await repos.notifications.findEndpoint(orgId, endpointId))) throw new NotFoundError('Webhook endpoint');
      return repos.notifications.listDeliveries(orgId, endpointId, opts);
    },
    async redeliver(orgId: string, endpointId: string, deliveryId: string, actor: Actor) {
      const row = await transact(async (tx) => {
        await liveEndpoint(tx, orgId, endpointId);
        const delivery = await tx.notifications.findDelivery(orgId, deliveryId);
        if (!delivery || delivery.endpointId !== endpointId) throw new NotFoundError('Delivery');
        if (delivery.status !== 'failed') throw new ConflictError(delivery.status === 'delivered' ? 'This event was delivered already; it is never sent twice.' : 'This delivery is still being tried.');
        const requeued = await tx.notifications.requeueFailed(orgId, deliveryId);
        await log(tx, orgId, 'webhook.redelivered', actor, endpointId, { deliveryId });
        return requeued!;
      });
      await deps.jobs.send(WEBHOOK_DELIVER_JOB, { orgId, deliveryId });
      return row;
    },

    /** The job handler: one attempt for one delivery. */
    async deliver(orgId: string, deliveryId: string, attempt: { isLast: boolean; retryCount: number }) {
      const existing = await repos.notifications.findDelivery(orgId, deliveryId);
      if (!existing) {
        // Published inside a transaction that has not committed yet (retry) or rolled back (give up).
        if (attempt.retryCount < 3) throw new Error(`webhook delivery ${deliveryId} not found (yet)`);
        return;
      }
      const endpoint = await repos.notifications.findEndpoint(orgId, existing.endpointId);
      if (!endpoint || endpoint.deletedAt || (!endpoint.enabled && existing.eventType !== TEST_EVENT_TYPE)) {
        await repos.notifications.finishAttempt(orgId, deliveryId, { status: 'failed', responseStatus: null, responseBody: null, error: 'endpoint disabled or deleted', durationMs: null, nextAttemptAt: null });
        return;
      }
      const delivery = await repos.notifications.startAttempt(orgId, deliveryId);
      if (!delivery) return; // delivered or failed meanwhile: never sent twice
      const outcome = await sendWebhook({
        url: endpoint.url, secret: secrets.open(endpoint.secretSealed, WEBHOOK_SECRET_PURPOSE), id: delivery.id,
        body: JSON.stringify(delivery.payload), eventType: delivery.eventType, allowLoopback: deps.allowLoopback, userAgent: deps.userAgent,
      });
      await record(orgId, delivery, outcome, attempt.isLast);
    },
  };
}
export type WebhooksService = ReturnType<typeof createWebhooksService>;
