import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppServices } from '../app.ts';
import { problems } from '../http/openapi.ts';
import { NotFoundError } from '../lib/errors.ts';
import { orgParams } from '../orgs/orgs.schema.ts';
import { ATOM_CONTENT_TYPE } from '../trust/atom-feed.ts';
import { SECURITY_TXT_CONTENT_TYPE } from '../trust/security-txt.ts';
import { NOT_ON_CUSTOM_HOST } from './host-routing.ts';
import {
  commitmentIdParams, commitmentList, commitmentResponse, createCommitmentBody, hubSettingsBody, hubSettingsResponse, previewQuery, slugParams, updateCommitmentBody,
} from './trust-hub.schema.ts';

// The preview is framed by the admin page on the same origin; every other response keeps frame-ancestors 'none'.
const PREVIEW_CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; script-src 'none'; form-action 'none'; frame-ancestors 'self'; object-src 'none'; base-uri 'self'";
const HTML = 'text/html; charset=utf-8';
const asText = (x: unknown) => x as string;

export function trustHubRoutes(s: AppServices): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['trust-hub'];
    const base = '/api/v1/orgs/:orgId/trust-hub';
    app.get(`${base}/settings`, { preHandler: s.guard.org('viewer'), schema: { tags, params: orgParams, response: { 200: hubSettingsResponse, ...problems } } }, async (req) =>
      s.trustHub.getSettings(req.org!.orgId));

    // Optimistic concurrency: the body names the version it was based on (0 before the first save).
    app.put(`${base}/settings`, { preHandler: s.guard.org('admin'), schema: { tags, params: orgParams, body: hubSettingsBody, response: { 200: hubSettingsResponse, ...problems } } }, async (req) =>
      s.trustHub.saveSettings(req.org!.orgId, req.body, req.org!));

    app.get(`${base}/commitments`, { preHandler: s.guard.org('viewer'), schema: { tags, params: orgParams, response: { 200: commitmentList, ...problems } } }, async (req) =>
      ({ items: await s.trustHub.listCommitments(req.org!.orgId) }));

    app.post(`${base}/commitments`, { preHandler: s.guard.org('admin'), schema: { tags, params: orgParams, body: createCommitmentBody, response: { 201: commitmentResponse, ...problems } } }, async (req, reply) =>
      reply.code(201).send(await s.trustHub.createCommitment(req.org!.orgId, req.body, req.org!)));

    app.patch(`${base}/commitments/:id`, { preHandler: s.guard.org('admin'), schema: { tags, params: commitmentIdParams, body: updateCommitmentBody, response: { 200: commitmentResponse, ...problems } } }, async (req) =>
      s.trustHub.updateCommitment(req.org!.orgId, req.params.id, req.body, req.org!));

    app.delete(`${base}/commitments/:id`, { preHandler: s.guard.org('admin'), schema: { tags, params: commitmentIdParams, response: { 204: z.null().describe('No content'), ...problems } } }, async (req, reply) => {
      await s.trustHub.deleteCommitment(req.org!.orgId, req.params.id, req.org!);
      return reply.code(204).send(null);
    });

    // The live preview of the admin page: the saved hub (published or not) with unsaved form values on top.
    app.get(`${base}/preview`, { preHandler: s.guard.org('viewer'), schema: { tags, params: orgParams, querystring: previewQuery, produces: ['text/html'] } }, async (req, reply) => {
      const hub = await s.trustHub.draft(req.org!.orgId);
      const page = await s.trustHubPublic.preview(hub, req.query);
      return reply.type(HTML).header('content-security-policy', PREVIEW_CSP).header('x-frame-options', 'SAMEORIGIN').serializer(asText).send(page);
    });

    // Public pages: no session, rate-limited per client, 404 for unknown slugs and unpublished hubs.
    const limit = { rateLimit: { max: s.config.trustHubRateLimitPerMinute, timeWindow: '1 minute' } };
    const published = async (slug: string) => {
      const hub = await s.trustHubPublic.resolve(slug);
      if (!hub) throw new NotFoundError('Trust Hub');
      return hub;
    };
    const publicTags = ['trust-hub-public'];

    app.get('/trust/:slug', { config: limit, schema: { tags: publicTags, params: slugParams, produces: ['text/html'] } }, async (req, reply) => {
      const page = await s.trustHubPublic.overview(await published(req.params.slug));
      return reply.type(HTML).header('cache-control', 'public, max-age=60').send(page);
    });

    app.get('/trust/:slug/feed.atom', { config: limit, schema: { tags: publicTags, params: slugParams, produces: ['application/atom+xml'] } }, async (req, reply) => {
      const feed = await s.trustHubPublic.feed(await published(req.params.slug));
      return reply.type(ATOM_CONTENT_TYPE).header('cache-control', 'public, max-age=300').send(feed);
    });

    app.get('/trust/:slug/.well-known/security.txt', { config: limit, schema: { tags: publicTags, params: slugParams, produces: ['text/plain'] } }, async (req, reply) => {
      const text = s.trustHubPublic.securityTxt(await published(req.params.slug));
      if (text === null) throw new NotFoundError('security.txt');
      return reply.type(SECURITY_TXT_CONTENT_TYPE).header('cache-control', 'public, max-age=3600').serializer(asText).send(text);
    });

    // A custom host's /.well-known/security.txt is rewritten to its org's (host-routing.ts); any other host has none.
    app.get('/.well-known/security.txt', { config: limit, schema: { tags: publicTags, hide: true } }, async () => { throw new NotFoundError('security.txt'); });
    app.all(NOT_ON_CUSTOM_HOST, { config: limit, schema: { hide: true } }, async () => { throw new NotFoundError('Page'); });
  };
}
