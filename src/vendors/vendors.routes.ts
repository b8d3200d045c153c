import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppServices } from '../app.ts';
import { problems } from '../http/openapi.ts';
import { orgParams } from '../orgs/orgs.schema.ts';
import {
  announceBody, changeList, changeListQuery, changeResponse, createVendorBody, subscriberList, updateVendorBody, vendorIdParams, vendorList, vendorListQuery, vendorResponse, vendorSaved,
} from './vendors.schema.ts';

export function vendorsRoutes(s: AppServices): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['vendors'];
    const base = '/api/v1/orgs/:orgId/vendors';
    const changes = '/api/v1/orgs/:orgId/subprocessor-changes';
    app.get(base, { preHandler: s.guard.org('viewer'), schema: { tags, params: orgParams, querystring: vendorListQuery, response: { 200: vendorList, ...problems } } }, async (req) =>
      ({ items: await s.vendors.list(req.org!.orgId, req.query.includeRemoved) }));
    app.get(`${base}/:id`, { preHandler: s.guard.org('viewer'), schema: { tags, params: vendorIdParams, response: { 200: vendorResponse, ...problems } } }, async (req) =>
      s.vendors.get(req.org!.orgId, req.params.id));
    // Saving answers with the sub-processor changes it implies (drafts, announced separately).
    app.post(base, { preHandler: s.guard.org('admin'), schema: { tags, params: orgParams, body: createVendorBody, response: { 201: vendorSaved, ...problems } } }, async (req, reply) =>
      reply.code(201).send(await s.vendors.create(req.org!.orgId, req.body)));
    app.patch(`${base}/:id`, { preHandler: s.guard.org('admin'), schema: { tags, params: vendorIdParams, body: updateVendorBody, response: { 200: vendorSaved, ...problems } } }, async (req) =>
      s.vendors.update(req.org!.orgId, req.params.id, req.body));
    app.delete(`${base}/:id`, { preHandler: s.guard.org('admin'), schema: { tags, params: vendorIdParams, response: { 200: vendorSaved, ...problems } } }, async (req) =>
      s.vendors.remove(req.org!.orgId, req.params.id));

    app.get(changes, { preHandler: s.guard.org('viewer'), schema: { tags, params: orgParams, querystring: changeListQuery, response: { 200: changeList, ...problems } } }, async (req) =>
      ({ items: await s.vendors.changes(req.org!.orgId, req.query.status) }));
    app.post(`${changes}/:id/announce`, { preHandler: s.guard.org('admin'), schema: { tags, params: vendorIdParams, body: announceBody, response: { 200: changeResponse, ...problems } } }, async (req) =>
      s.vendors.announce(req.org!.orgId, req.params.id, req.body.effectiveAt));
    app.post(`${changes}/:id/withdraw`, { preHandler: s.guard.org('admin'), schema: { tags, params: vendorIdParams, body: z.object({}).optional(), response: { 200: changeResponse, ...problems } } }, async (req) =>
      s.vendors.withdraw(req.org!.orgId, req.params.id));
    app.get('/api/v1/orgs/:orgId/subprocessor-subscribers', { preHandler: s.guard.org('admin'), schema: { tags, params: orgParams, response: { 200: subscriberList, ...problems } } }, async (req) =>
      ({ items: await s.vendors.subscribers(req.org!.orgId) }));
  };
}
