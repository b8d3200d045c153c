import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppServices } from '../app.ts';
import { problems } from '../http/openapi.ts';
import { orgParams } from '../orgs/orgs.schema.ts';
import {
  checkIdParams, checkList, checkTypeList, checkView, createCheckBody, listChecksQuery, pushResultBody, runPage, runView, runsQuery, updateCheckBody,
} from './checks.schema.ts';

export function checksRoutes(s: AppServices): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['checks'];
    const base = '/api/v1/orgs/:orgId/checks';
    const viewer = s.guard.org('viewer');
    // Editors write; the service asks for admin on check types that read the server's files or run its programs.
    const editor = s.guard.org('editor');

    app.get(base, { preHandler: viewer, schema: { tags, summary: 'List checks (disabled ones when asked); secret settings redacted', params: orgParams, querystring: listChecksQuery, response: { 200: checkList, ...problems } } }, async (req) =>
      ({ items: await s.checks.list(req.org!.orgId, req.query) }));

    app.get(`${base}/types`, { preHandler: viewer, schema: { tags, summary: 'Check types and the JSON Schema of their settings, for forms', params: orgParams, response: { 200: checkTypeList, ...problems } } }, async () =>
      ({ items: s.checks.types() }));

    app.post(base, { preHandler: editor, schema: { tags, summary: 'Create a check (file, log-file and command checks need the admin role)', params: orgParams, body: createCheckBody, response: { 201: checkView, ...problems } } }, async (req, reply) =>
      reply.code(201).send(await s.checks.create(req.org!.orgId, req.body, req.org!)));

    app.get(`${base}/:id`, { preHandler: viewer, schema: { tags, params: checkIdParams, response: { 200: checkView, ...problems } } }, async (req) =>
      s.checks.get(req.org!.orgId, req.params.id));

    app.patch(`${base}/:id`, { preHandler: editor, schema: { tags, summary: 'Change a check; secret fields sent as "[redacted]" keep their value', params: checkIdParams, body: updateCheckBody, response: { 200: checkView, ...problems } } }, async (req) =>
      s.checks.update(req.org!.orgId, req.params.id, req.body, req.org!));

    app.delete(`${base}/:id`, { preHandler: editor, schema: { tags, summary: 'Disable a check (its runs and evidence stay)', params: checkIdParams, response: { 204: z.null().describe('No content'), ...problems } } }, async (req, reply) => {
      await s.checks.disable(req.org!.orgId, req.params.id, req.org!);
      return reply.code(204).send(null);
    });

    app.post(`${base}/:id/run`, { preHandler: editor, schema: { tags, summary: 'Run a check now and record its run and evidence', params: checkIdParams, response: { 200: runView, ...problems } } }, async (req) =>
      s.checks.runNow(req.org!.orgId, req.params.id, 'manual', req.org!));

    app.get(`${base}/:id/runs`, { preHandler: viewer, schema: { tags, summary: 'Run history, newest first', params: checkIdParams, querystring: runsQuery, response: { 200: runPage, ...problems } } }, async (req) =>
      s.checks.history(req.org!.orgId, req.params.id, req.query));

    app.post(`${base}/:id/results`, { preHandler: editor, schema: { tags, summary: 'Post the result of a check a CI pipeline ran (API token with write scope)', params: checkIdParams, body: pushResultBody, response: { 201: runView, ...problems } } }, async (req, reply) =>
      reply.code(201).send(await s.checks.recordPush(req.org!.orgId, req.params.id, req.body, req.org!)));
  };
}
