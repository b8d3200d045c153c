import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppServices } from '../app.ts';
import { problems } from '../http/openapi.ts';
import { orgParams } from '../orgs/orgs.schema.ts';
import {
  certificationIdParams, certificationList, frameworkChoices, certificationWithHistory, changeStatusBody, createCertificationBody, listCertificationsQuery, updateCertificationBody,
} from './certifications.schema.ts';

export function certificationsRoutes(s: AppServices): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['certifications'];
    const base = '/api/v1/orgs/:orgId/certifications';
    app.get(base, { preHandler: s.guard.org('viewer'), schema: { tags, params: orgParams, querystring: listCertificationsQuery, response: { 200: certificationList, ...problems } } }, async (req) =>
      ({ items: await s.certifications.list(req.org!.orgId, req.query) }));

    app.get(`${base}/frameworks`, { preHandler: s.guard.org('viewer'), schema: { tags, params: orgParams, response: { 200: frameworkChoices, ...problems } } }, async (req) =>
      ({ items: await s.certifications.frameworks(req.org!.orgId) }));

    app.get(`${base}/:id`, { preHandler: s.guard.org('viewer'), schema: { tags, params: certificationIdParams, response: { 200: certificationWithHistory, ...problems } } }, async (req) =>
      s.certifications.get(req.org!.orgId, req.params.id));

    app.post(base, { preHandler: s.guard.org('admin'), schema: { tags, params: orgParams, body: createCertificationBody, response: { 201: certificationWithHistory, ...problems } } }, async (req, reply) =>
      reply.code(201).send(await s.certifications.create(req.org!.orgId, req.body, req.org!)));

    // Optimistic concurrency: the body carries the version it was based on; a stale one gets 409.
    app.patch(`${base}/:id`, { preHandler: s.guard.org('admin'), schema: { tags, params: certificationIdParams, body: updateCertificationBody, response: { 200: certificationWithHistory, ...problems } } }, async (req) =>
      s.certifications.update(req.org!.orgId, req.params.id, req.body));

    app.post(`${base}/:id/status`, { preHandler: s.guard.org('admin'), schema: { tags, params: certificationIdParams, body: changeStatusBody, response: { 200: certificationWithHistory, ...problems } } }, async (req) =>
      s.certifications.changeStatus(req.org!.orgId, req.params.id, req.body, req.org!));
  };
}
