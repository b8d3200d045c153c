import { z } from 'zod';
import { emailSchema } from '../lib/limits.ts';
import { deliveryStatuses } from './notifications.tables.ts';

/**
 * Every event type Attest publishes. Domains that publish a new kind of event add it here, so
 * endpoints and email rules can subscribe to it and the API rejects typos. `*` subscribes to all.
 */
export const EVENT_TYPES = {
  'control.failing': 'A control’s health turned failing.',
  'control.stale': 'A control’s evidence or tests are older than its freshness window.',
  'check.failed': 'An automated check failed.',
  'evidence.rejected': 'A reviewer rejected a piece of evidence.',
  'subprocessor.change_announced': 'A sub-processor change was announced on the Trust Hub.',
} as const satisfies Record<string, string>;
/** Sent only by "Send test event", whatever the endpoint subscribes to. */
export const TEST_EVENT_TYPE = 'webhook.test';
export type EventType = keyof typeof EVENT_TYPES;
export const eventTypes = Object.keys(EVENT_TYPES) as EventType[];
export const ALL_EVENTS = '*';

const subscribable = z.string().refine((v) => v === ALL_EVENTS || v in EVENT_TYPES, { message: `Unknown event type; use one of ${[ALL_EVENTS, ...eventTypes].join(', ')}.` });
const subscription = z.array(subscribable).min(1, 'Choose at least one event type.').max(50).transform((v) => [...new Set(v)].sort());

export type JsonObject = { [key: string]: unknown };
/** What a domain publishes. `ownerUserIds` are the people responsible for the subject (a control's owner). */
export type NotificationEvent = {
  id?: string;
  type: string;
  subject: { type: string; id: string; label: string };
  data: JsonObject;
  occurredAt: Date;
  ownerUserIds?: string[];
};

export const webhookUrl = z.string().trim().min(1, 'Enter a URL.').max(2000).url('Enter a full URL, e.g. https://hooks.example.com/attest');
export const createWebhookBody = z.object({
  url: webhookUrl,
  description: z.string().trim().max(200).default(''),
  events: subscription,
  enabled: z.boolean().default(true),
});
export const updateWebhookBody = z.object({
  url: webhookUrl.optional(),
  description: z.string().trim().max(200).optional(),
  events: subscription.optional(),
  enabled: z.boolean().optional(),
});
export const webhookParams = z.object({ orgId: z.string(), id: z.string().uuid() });
export const deliveryParams = z.object({ orgId: z.string(), id: z.string().uuid(), deliveryId: z.string().uuid() });
export const deliveryQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), status: z.enum(deliveryStatuses).optional() });

export const webhookResponse = z.object({
  id: z.string().uuid(), url: z.string(), description: z.string(), events: z.array(z.string()), enabled: z.boolean(),
  createdBy: z.string().uuid().nullable(), createdAt: z.date(), updatedAt: z.date(), secretRotatedAt: z.date().nullable(),
  deletedAt: z.date().nullable(), lastDeliveryStatus: z.enum(['delivered', 'failed']).nullable(), lastDeliveryAt: z.date().nullable(),
});
export const webhookList = z.object({ items: z.array(webhookResponse), eventTypes: z.array(z.object({ type: z.string(), description: z.string() })) });
/** The only answers that carry the signing secret: creation and rotation. */
export const webhookWithSecret = z.object({ endpoint: webhookResponse, secret: z.string().describe('Standard Webhooks signing secret (whsec_…); shown once') });

export const deliveryResponse = z.object({
  id: z.string().uuid(), endpointId: z.string().uuid(), eventId: z.string().uuid(), eventType: z.string(), payload: z.record(z.string(), z.unknown()),
  attempts: z.number().int(), status: z.enum(deliveryStatuses), responseStatus: z.number().int().nullable(), responseBody: z.string().nullable(),
  error: z.string().nullable(), durationMs: z.number().int().nullable(), nextAttemptAt: z.date().nullable(), createdAt: z.date(),
  lastAttemptAt: z.date().nullable(), deliveredAt: z.date().nullable(),
});
export const deliveryList = z.object({ items: z.array(deliveryResponse) });

export const createRuleBody = z.object({
  name: z.string().trim().min(1, 'Enter a name.').max(120),
  events: subscription,
  toAdmins: z.boolean().default(false),
  toOwners: z.boolean().default(false),
  addresses: z.array(emailSchema).max(50).default([]),
  enabled: z.boolean().default(true),
}).refine((r) => r.toAdmins || r.toOwners || r.addresses.length > 0, { message: 'Choose who gets the email.', path: ['addresses'] });
export const updateRuleBody = z.object({
  name: z.string().trim().min(1, 'Enter a name.').max(120).optional(),
  events: subscription.optional(),
  toAdmins: z.boolean().optional(),
  toOwners: z.boolean().optional(),
  addresses: z.array(emailSchema).max(50).optional(),
  enabled: z.boolean().optional(),
});
export const ruleParams = z.object({ orgId: z.string(), id: z.string().uuid() });
export const ruleResponse = z.object({
  id: z.string().uuid(), name: z.string(), events: z.array(z.string()), toAdmins: z.boolean(), toOwners: z.boolean(), addresses: z.array(z.string()),
  enabled: z.boolean(), createdAt: z.date(), updatedAt: z.date(),
});
export const ruleList = z.object({ items: z.array(ruleResponse) });

export const matchesSubscription = (subscribed: string[], type: string) => subscribed.includes(ALL_EVENTS) || subscribed.includes(type);
