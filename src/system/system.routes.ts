import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Registry } from 'prom-client';
import type { AppServices } from '../app.ts';
import { ping } from '../db/database.ts';

export function systemRoutes(s: AppServices, metrics: Registry): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['system'];
    app.get('/healthz', { schema: { tags, response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({ status: 'ok' as const }));
    app.get('/readyz', { schema: { tags, response: { 200: z.object({ status: z.literal('ready') }), 503: z.object({ status: z.literal('unavailable') }) } } }, async (_req, reply) =>
      (await ping(s.database)) ? { status: 'ready' as const } : reply.code(503).send({ status: 'unavailable' as const }));
    app.get('/metrics', { schema: { tags, hide: true } }, async (_req, reply) =>
      reply.type(metrics.contentType).send(await metrics.metrics()));
    app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  };
}
