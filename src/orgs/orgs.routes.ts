import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppServices } from '../app.ts';
import { problems } from '../http/openapi.ts';
import { pageQuery } from '../lib/pagination.ts';
import { changeRoleBody, createOrgBody, memberParams, membersPage, orgParams, orgResponse, roleResponse, updateOrgBody } from './orgs.schema.ts';

export function orgsRoutes(s: AppServices): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['orgs'];
    const pick = (o: { id: string; name: string; slug: string; requireTwoFactor: boolean; createdAt: Date }) =>
      ({ id: o.id, name: o.name, slug: o.slug, requireTwoFactor: o.requireTwoFactor, createdAt: o.createdAt });

    app.post('/api/v1/orgs', { preHandler: s.guard.user(), schema: { tags, body: createOrgBody, response: { 201: orgResponse, ...problems } } }, async (req, reply) => {
      const user = req.auth!.user;
      const org = await s.orgs.create(req.body.name, user.id, { userId: user.id, email: user.email, ip: req.ip });
      return reply.code(201).send(pick(org));
    });

    app.get('/api/v1/orgs/:orgId', { preHandler: s.guard.org('viewer'), schema: { tags, params: orgParams, response: { 200: orgResponse, ...problems } } }, async (req) =>
      pick(await s.orgs.get(req.org!.orgId)));

    app.patch('/api/v1/orgs/:orgId', { preHandler: s.guard.org('admin'), schema: { tags, params: orgParams, body: updateOrgBody, response: { 200: orgResponse, ...problems } } }, async (req) =>
      pick(await s.orgs.update(req.org!.orgId, req.body, req.org!)));

    app.get('/api/v1/orgs/:orgId/members', { preHandler: s.guard.org('viewer'), schema: { tags, params: orgParams, querystring: pageQuery, response: { 200: membersPage, ...problems } } }, async (req) =>
      s.orgs.listMembers(req.org!.orgId, req.query));

    app.patch('/api/v1/orgs/:orgId/members/:userId', { preHandler: s.guard.org('admin'), schema: { tags, params: memberParams, body: changeRoleBody, response: { 200: roleResponse, ...problems } } }, async (req) => {
      const m = await s.orgs.changeRole(req.org!.orgId, req.params.userId, req.body.role, req.org!);
      return { userId: m.userId, role: m.role };
    });

    app.delete('/api/v1/orgs/:orgId/members/:userId', { preHandler: s.guard.org('admin'), schema: { tags, params: memberParams, response: { 204: z.null().describe('No content'), ...problems } } }, async (req, reply) => {
      await s.orgs.removeMember(req.org!.orgId, req.params.userId, req.org!);
      return reply.code(204).send(null);
    });
  };
}
