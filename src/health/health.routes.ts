import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppServices } from '../app.ts';
import { problems } from '../http/openapi.ts';
import { orgParams } from '../orgs/orgs.schema.ts';
import { controlIdParams } from '../controls/controls.schema.ts';
import { controlHealthList, healthSummaryResponse, timelineQuery, timelineResponse } from './health.schema.ts';

/** Read-only monitoring: control health, its roll-up per framework, and a control's timeline; viewers and up. */
export function healthRoutes(s: AppServices): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['health'];
    const viewer = s.guard.org('viewer');

    app.get('/api/v1/orgs/:orgId/health', {
      preHandler: viewer,
      schema: { tags, summary: 'Controls per health state, and per in-scope framework the requirements resting on passing, failing or stale controls', params: orgParams, response: { 200: healthSummaryResponse, ...problems } },
    }, async (req) => s.health.summary(req.org!.orgId));

    app.get('/api/v1/orgs/:orgId/health/controls', {
      preHandler: viewer,
      schema: { tags, summary: 'Each live control’s health (passing, failing, stale, no-evidence) with the reason', params: orgParams, response: { 200: controlHealthList, ...problems } },
    }, async (req) => ({ items: await s.health.controls(req.org!.orgId) }));

    app.get('/api/v1/orgs/:orgId/controls/:id/timeline', {
      preHandler: viewer,
      schema: { tags, summary: 'A control’s history: evidence added and reviewed, check results, changes to the control, health transitions', params: controlIdParams, querystring: timelineQuery, response: { 200: timelineResponse, ...problems } },
    }, async (req) => s.health.timeline(req.org!.orgId, req.params.id, req.query.limit));
  };
}
