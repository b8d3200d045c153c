import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppServices } from '../app.ts';
import { problems } from '../http/openapi.ts';
import { orgParams } from '../orgs/orgs.schema.ts';

const messageResponse = z.object({ id: z.string().uuid(), to: z.string(), subject: z.string(), text: z.string(), createdAt: z.date(), sentAt: z.date().nullable() });

export function mailRoutes(s: AppServices): FastifyPluginAsyncZod {
  return async (app) => {
    // The development outbox: what Attest emailed on behalf of this org.
    app.get('/api/v1/orgs/:orgId/outbox', { preHandler: s.guard.org('admin'), schema: { tags: ['mail'], params: orgParams, response: { 200: z.object({ smtpConfigured: z.boolean(), items: z.array(messageResponse) }), ...problems } } }, async (req) => ({
      smtpConfigured: s.mail.smtpConfigured,
      items: (await s.mail.list(req.org!.orgId)).map(({ orgId: _o, ...m }) => m),
    }));
  };
}
