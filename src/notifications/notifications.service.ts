import type { Repos, Transact } from '../db/repos.ts';
import type { JobSender } from '../jobs/jobs.ts';
import type { Actor } from '../lib/actor.ts';
import { InvalidInputError, NotFoundError } from '../lib/errors.ts';
import type { MailService } from '../mail/mail.service.ts';
import type { NotificationRuleRow } from './notifications.repo.ts';
import { EVENT_TYPES, matchesSubscription, type NotificationEvent } from './notifications.schema.ts';
import { WEBHOOK_DELIVER_JOB, webhookPayload } from './webhooks.service.ts';

type Deps = { repos: Repos; transact: Transact; mail: Pick<MailService, 'send'>; jobs: JobSender; publicUrl: () => string };
export type PublishResult = { eventId: string; duplicate: boolean; deliveryIds: string[]; emailedTo: string[] };
type RuleInput = { name: string; events: string[]; toAdmins: boolean; toOwners: boolean; addresses: string[]; enabled: boolean };

function mailFor(orgId: string, event: NotificationEvent & { id: string }, publicUrl: string) {
  const what = EVENT_TYPES[event.type as keyof typeof EVENT_TYPES] ?? event.type;
  const details = Object.entries(event.data).map(([k, v]) => `  ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('\n');
  return {
    subject: `[Attest] ${event.subject.label}: ${event.type}`,
    text: `${what}\n\n${event.subject.type}: ${event.subject.label}\nWhen: ${event.occurredAt.toISOString()}\n${details ? `\nDetails:\n${details}\n` : ''}`
      + `\nOpen Attest: ${publicUrl}/orgs/${orgId}\n\nYou get this email because of a notification rule of your organization; admins change them under Settings → Notifications.`,
  };
}

export function createNotificationsService(deps: Deps) {
  const { repos, transact } = deps;

  async function recipients(tx: Repos, orgId: string, rules: NotificationRuleRow[], event: NotificationEvent): Promise<string[]> {
    const to = new Set<string>();
    for (const rule of rules) {
      if (!matchesSubscription(rule.events, event.type)) continue;
      for (const a of rule.addresses) to.add(a.toLowerCase());
      if (rule.toAdmins) for (const e of await tx.notifications.memberEmails(orgId, { roles: ['owner', 'admin'] })) to.add(e.toLowerCase());
      if (rule.toOwners && event.ownerUserIds?.length) for (const e of await tx.notifications.memberEmails(orgId, { userIds: event.ownerUserIds })) to.add(e.toLowerCase());
    }
    return [...to].sort();
  }

  /**
   * Records the event once, one webhook delivery per subscribed endpoint and one outbox mail per
   * recipient of a matching rule, all in `tx`: if the caller's change rolls back, nobody hears of it.
   * Delivery jobs are queued right away; one that runs before COMMIT retries until the row appears.
   */
  async function record(tx: Repos, orgId: string, input: NotificationEvent): Promise<PublishResult> {
    const event = { ...input, id: input.id ?? crypto.randomUUID() };
    const fresh = await tx.notifications.insertEvent({ orgId, id: event.id, type: event.type, subject: event.subject, data: event.data, occurredAt: event.occurredAt });
    if (!fresh) return { eventId: event.id, duplicate: true, deliveryIds: [], emailedTo: [] };
    const endpoints = (await tx.notifications.liveEnabledEndpoints(orgId)).filter((e) => matchesSubscription(e.events, event.type));
    const payload = webhookPayload(orgId, event);
    const deliveries = await tx.notifications.insertDeliveries(endpoints.map((e) => ({ orgId, endpointId: e.id, eventId: event.id, eventType: event.type, payload })));
    const emailedTo = await recipients(tx, orgId, await tx.notifications.enabledRules(orgId), event);
    const message = mailFor(orgId, event, deps.publicUrl());
    for (const to of emailedTo) await deps.mail.send(orgId, { to, ...message }, tx.mail);
    return { eventId: event.id, duplicate: false, deliveryIds: deliveries.map((d) => d.id), emailedTo };
  }
  async function enqueue(orgId: string, result: PublishResult) {
    for (const deliveryId of result.deliveryIds) await deps.jobs.send(WEBHOOK_DELIVER_JOB, { orgId, deliveryId });
    return result;
  }

  async function liveRule(orgId: string, id: string) {
    const rule = await repos.notifications.findRule(orgId, id);
    if (!rule) throw new NotFoundError('Notification rule');
    return rule;
  }
  const log = (tx: Repos, orgId: string, action: string, actor: Actor, id: string, detail: Record<string, unknown> = {}) =>
    tx.securityLog.insertMany([{ orgId, action, actorUserId: actor.userId, actorEmail: actor.email, ip: actor.ip, targetType: 'notification_rule', targetId: id, detail }]);

  return {
    /** Publishes inside the caller's transaction (see record). */
    publishTx: async (tx: Repos, orgId: string, event: NotificationEvent) => enqueue(orgId, await record(tx, orgId, event)),
    /** Publishes in its own transaction and queues the deliveries after COMMIT. */
    publish: async (orgId: string, event: NotificationEvent) => enqueue(orgId, await transact((tx) => record(tx, orgId, event))),

    listRules: (orgId: string) => repos.notifications.listRules(orgId),
    async createRule(orgId: string, input: RuleInput, actor: Actor) {
      return transact(async (tx) => {
        const rule = await tx.notifications.insertRule({ orgId, ...input, createdBy: actor.userId });
        await log(tx, orgId, 'notification_rule.created', actor, rule.id, { name: rule.name, events: rule.events });
        return rule;
      });
    },
    async updateRule(orgId: string, id: string, patch: Partial<RuleInput>, actor: Actor) {
      const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<RuleInput>;
      const current = await liveRule(orgId, id);
      const next = { ...current, ...clean };
      if (!next.toAdmins && !next.toOwners && next.addresses.length === 0) throw new InvalidInputError('Choose who gets the email.', [{ path: 'addresses', message: 'Choose who gets the email.' }]);
      return transact(async (tx) => {
        const rule = await tx.notifications.updateRule(orgId, id, clean);
        if (!rule) throw new NotFoundError('Notification rule');
        await log(tx, orgId, 'notification_rule.updated', actor, id, clean);
        return rule;
      });
    },
    async deleteRule(orgId: string, id: string, actor: Actor) {
      await transact(async (tx) => {
        if (!(await tx.notifications.deleteRule(orgId, id))) throw new NotFoundError('Notification rule');
        await log(tx, orgId, 'notification_rule.deleted', actor, id);
      });
    },
  };
}
export type NotificationsService = ReturnType<typeof createNotificationsService>;
