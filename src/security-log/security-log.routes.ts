import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppServices } from '../app.ts';
import { problems } from '../http/openapi.ts';
import { orgParams } from '../orgs/orgs.schema.ts';
import { pageOf, pageQuery } from '../lib/pagination.ts';

const eventResponse = z.object({
  id: z.number().int(), at: z.date(), action: z.string(), actorEmail: z.string().nullable(), ip: z.string().nullable(),
  targetType: z.string().nullable(), targetId: z.string().nullable(), detail: z.record(z.string(), z.unknown()),
});
const query = pageQuery.extend({ action: z.string().max(80).optional() });

export function securityLogRoutes(s: AppServices): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/v1/orgs/:orgId/audit-log', { preHandler: s.guard.org('admin'), schema: { tags: ['security-log'], params: orgParams, querystring: query, response: { 200: pageOf(eventResponse), ...problems } } }, async (req) => {
      const page = await s.securityLog.list(req.org!.orgId, req.query);
      return { nextCursor: page.nextCursor, items: page.items.map(({ orgId: _o, actorUserId: _a, ...e }) => e) };
    });
  };
}
