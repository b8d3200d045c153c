import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppServices } from '../app.ts';
import { problems } from '../http/openapi.ts';
import { orgParams } from '../orgs/orgs.schema.ts';
import type { NotificationRuleRow, WebhookDeliveryRow, WebhookEndpointRow } from './notifications.repo.ts';
import {
  createRuleBody, createWebhookBody, deliveryList, deliveryParams, deliveryQuery, deliveryResponse, EVENT_TYPES, ruleList, ruleParams, ruleResponse,
  updateRuleBody, updateWebhookBody, webhookList, webhookParams, webhookResponse, webhookWithSecret,
} from './notifications.schema.ts';

// The sealed secret never leaves the server; it is returned in plain text only by create and rotate.
const endpointView = ({ orgId: _o, secretSealed: _s, ...e }: WebhookEndpointRow) => e;
const deliveryView = ({ orgId: _o, updatedAt: _u, ...d }: WebhookDeliveryRow) => d;
const ruleView = ({ orgId: _o, createdBy: _c, ...r }: NotificationRuleRow) => r;
const catalog = Object.entries(EVENT_TYPES).map(([type, description]) => ({ type, description }));

export function notificationsRoutes(s: AppServices): FastifyPluginAsyncZod {
  return async (app) => {
    const admin = s.guard.org('admin');
    const tags = ['notifications'];
    const base = '/api/v1/orgs/:orgId/webhooks';

    app.get(base, { preHandler: admin, schema: { tags, params: orgParams, querystring: z.object({ includeDeleted: z.enum(['true', 'false']).default('false') }), response: { 200: webhookList, ...problems } } }, async (req) =>
      ({ items: (await s.webhooks.list(req.org!.orgId, req.query.includeDeleted === 'true')).map(endpointView), eventTypes: catalog }));

    app.post(base, { preHandler: admin, schema: { tags, params: orgParams, body: createWebhookBody, response: { 201: webhookWithSecret, ...problems } } }, async (req, reply) => {
      const { endpoint, secret } = await s.webhooks.create(req.org!.orgId, req.body, req.org!);
      return reply.code(201).send({ endpoint: endpointView(endpoint), secret });
    });

    app.get(`${base}/:id`, { preHandler: admin, schema: { tags, params: webhookParams, response: { 200: webhookResponse, ...problems } } }, async (req) =>
      endpointView(await s.webhooks.get(req.org!.orgId, req.params.id)));

    app.patch(`${base}/:id`, { preHandler: admin, schema: { tags, params: webhookParams, body: updateWebhookBody, response: { 200: webhookResponse, ...problems } } }, async (req) =>
      endpointView(await s.webhooks.update(req.org!.orgId, req.params.id, req.body, req.org!)));

    app.delete(`${base}/:id`, { preHandler: admin, schema: { tags, params: webhookParams, response: { 200: webhookResponse, ...problems } } }, async (req) =>
      endpointView(await s.webhooks.remove(req.org!.orgId, req.params.id, req.org!)));

    app.post(`${base}/:id/rotate-secret`, { preHandler: admin, schema: { tags, params: webhookParams, response: { 200: webhookWithSecret, ...problems } } }, async (req) => {
      const { endpoint, secret } = await s.webhooks.rotateSecret(req.org!.orgId, req.params.id, req.org!);
      return { endpoint: endpointView(endpoint), secret };
    });

    app.post(`${base}/:id/test`, { preHandler: admin, schema: { tags, params: webhookParams, response: { 202: deliveryResponse, ...problems } } }, async (req, reply) =>
      reply.code(202).send(deliveryView(await s.webhooks.sendTest(req.org!.orgId, req.params.id, req.org!))));

    app.get(`${base}/:id/deliveries`, { preHandler: admin, schema: { tags, params: webhookParams, querystring: deliveryQuery, response: { 200: deliveryList, ...problems } } }, async (req) =>
      ({ items: (await s.webhooks.deliveries(req.org!.orgId, req.params.id, req.query)).map(deliveryView) }));

    app.post(`${base}/:id/deliveries/:deliveryId/redeliver`, { preHandler: admin, schema: { tags, params: deliveryParams, response: { 202: deliveryResponse, ...problems } } }, async (req, reply) =>
      reply.code(202).send(deliveryView(await s.webhooks.redeliver(req.org!.orgId, req.params.id, req.params.deliveryId, req.org!))));

    const rules = '/api/v1/orgs/:orgId/notification-rules';
    app.get(rules, { preHandler: admin, schema: { tags, params: orgParams, response: { 200: ruleList, ...problems } } }, async (req) =>
      ({ items: (await s.notifications.listRules(req.org!.orgId)).map(ruleView) }));

    app.post(rules, { preHandler: admin, schema: { tags, params: orgParams, body: createRuleBody, response: { 201: ruleResponse, ...problems } } }, async (req, reply) =>
      reply.code(201).send(ruleView(await s.notifications.createRule(req.org!.orgId, req.body, req.org!))));

    app.patch(`${rules}/:id`, { preHandler: admin, schema: { tags, params: ruleParams, body: updateRuleBody, response: { 200: ruleResponse, ...problems } } }, async (req) =>
      ruleView(await s.notifications.updateRule(req.org!.orgId, req.params.id, req.body, req.org!)));

    app.delete(`${rules}/:id`, { preHandler: admin, schema: { tags, params: ruleParams, response: { 204: z.null().describe('No content'), ...problems } } }, async (req, reply) => {
      await s.notifications.deleteRule(req.org!.orgId, req.params.id, req.org!);
      return reply.code(204).send(null);
    });
  };
}
