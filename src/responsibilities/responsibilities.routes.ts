import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppServices } from '../app.ts';
import { problems } from '../http/openapi.ts';
import { orgParams } from '../orgs/orgs.schema.ts';
import { createResponsibilityBody, exportQuery, responsibilityIdParams, responsibilityList, responsibilityResponse, updateResponsibilityBody } from './responsibilities.schema.ts';

export function responsibilitiesRoutes(s: AppServices): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['responsibilities'];
    const base = '/api/v1/orgs/:orgId/responsibilities';
    app.get(base, { preHandler: s.guard.org('viewer'), schema: { tags, params: orgParams, response: { 200: responsibilityList, ...problems } } }, async (req) =>
      ({ items: await s.responsibilities.list(req.org!.orgId) }));
    // All statements, drafts included (the hub's files hold published ones only).
    app.get(`${base}/export`, { preHandler: s.guard.org('viewer'), schema: { tags, params: orgParams, querystring: exportQuery, response: { 200: z.any(), ...problems } } }, async (req, reply) => {
      const file = await s.responsibilities.exportFile(req.org!.orgId, req.query.format, { publicOnly: false, productId: req.query.product });
      return reply.type(file.contentType).header('content-disposition', `attachment; filename="customer-responsibilities.${req.query.format}"`).send(file.body);
    });
    app.get(`${base}/:id`, { preHandler: s.guard.org('viewer'), schema: { tags, params: responsibilityIdParams, response: { 200: responsibilityResponse, ...problems } } }, async (req) =>
      s.responsibilities.get(req.org!.orgId, req.params.id));
    app.post(base, { preHandler: s.guard.org('admin'), schema: { tags, params: orgParams, body: createResponsibilityBody, response: { 201: responsibilityResponse, ...problems } } }, async (req, reply) =>
      reply.code(201).send(await s.responsibilities.create(req.org!.orgId, req.body)));
    app.patch(`${base}/:id`, { preHandler: s.guard.org('admin'), schema: { tags, params: responsibilityIdParams, body: updateResponsibilityBody, response: { 200: responsibilityResponse, ...problems } } }, async (req) =>
      s.responsibilities.update(req.org!.orgId, req.params.id, req.body));
    app.delete(`${base}/:id`, { preHandler: s.guard.org('admin'), schema: { tags, params: responsibilityIdParams, response: { 204: z.null(), ...problems } } }, async (req, reply) => {
      await s.responsibilities.remove(req.org!.orgId, req.params.id);
      return reply.code(204).send(null);
    });
  };
}
