import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppServices } from '../app.ts';
import { problems } from '../http/openapi.ts';
import { orgParams } from '../orgs/orgs.schema.ts';
import { createdTokenResponse, createTokenBody, tokenIdParams, tokenList } from './tokens.schema.ts';
import type { ApiTokenRow } from './tokens.repo.ts';

const view = (t: ApiTokenRow) => ({
  id: t.id, name: t.name, scope: t.scope, prefix: t.prefix, userId: t.userId, createdAt: t.createdAt, expiresAt: t.expiresAt, lastUsedAt: t.lastUsedAt, revokedAt: t.revokedAt,
});

export function tokensRoutes(s: AppServices): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['tokens'];
    app.get('/api/v1/orgs/:orgId/tokens', { preHandler: s.guard.org('viewer'), schema: { tags, params: orgParams, response: { 200: tokenList, ...problems } } }, async (req) =>
      ({ items: (await s.tokens.list(req.org!.orgId, req.org!)).map(view) }));

    app.post('/api/v1/orgs/:orgId/tokens', { preHandler: s.guard.org('viewer'), schema: { tags, params: orgParams, body: createTokenBody, response: { 201: createdTokenResponse, ...problems } } }, async (req, reply) => {
      const { token, secret } = await s.tokens.create(req.org!.orgId, req.body, req.org!);
      return reply.code(201).send({ token: view(token), secret });
    });

    app.delete('/api/v1/orgs/:orgId/tokens/:id', { preHandler: s.guard.org('viewer'), schema: { tags, params: tokenIdParams, response: { 204: z.null().describe('No content'), ...problems } } }, async (req, reply) => {
      await s.tokens.revoke(req.org!.orgId, req.params.id, req.org!);
      return reply.code(204).send(null);
    });
  };
}
