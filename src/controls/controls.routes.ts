import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppServices } from '../app.ts';
import { problems } from '../http/openapi.ts';
import { orgParams } from '../orgs/orgs.schema.ts';
import {
  adoptBody, adoptResult, frameworkOptions, controlDetail, controlIdParams, controlList, createControlBody, exportQuery, importBody, importResult,
  listControlsQuery, requirementOptions, requirementOptionsQuery, retireBody, setLinksBody, starterList, starterQuery, updateControlBody,
} from './controls.schema.ts';

export function controlsRoutes(s: AppServices): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['controls'];
    const base = '/api/v1/orgs/:orgId/controls';
    const viewer = s.guard.org('viewer');
    const editor = s.guard.org('editor');
    const admin = s.guard.org('admin');

    app.get(base, { preHandler: viewer, schema: { tags, summary: 'List controls (retired ones only when asked)', params: orgParams, querystring: listControlsQuery, response: { 200: controlList, ...problems } } }, async (req) =>
      ({ items: await s.controls.list(req.org!.orgId, req.query) }));

    app.post(base, { preHandler: editor, schema: { tags, params: orgParams, body: createControlBody, response: { 201: controlDetail, ...problems } } }, async (req, reply) =>
      reply.code(201).send(await s.controls.create(req.org!.orgId, req.body, req.org!)));

    app.get(`${base}/starter`, { preHandler: viewer, schema: { tags, summary: 'Starter controls mapped to the given frameworks, adopted ones marked', params: orgParams, querystring: starterQuery, response: { 200: starterList, ...problems } } }, async (req) =>
      s.controls.starter(req.org!.orgId, req.query.frameworks));

    app.post(`${base}/starter/adopt`, { preHandler: admin, schema: { tags, summary: 'Adopt starter controls (all for the frameworks, or the given codes); idempotent', params: orgParams, body: adoptBody, response: { 200: adoptResult, ...problems } } }, async (req) =>
      s.controls.adopt(req.org!.orgId, req.body, req.org!));

    app.get(`${base}/frameworks`, { preHandler: viewer, schema: { tags, summary: 'Frameworks whose requirements controls can link to', params: orgParams, response: { 200: frameworkOptions, ...problems } } }, async (req) =>
      ({ items: await s.controls.frameworks(req.org!.orgId) }));

    app.get(`${base}/requirement-options`, { preHandler: viewer, schema: { tags, summary: 'Requirements of a framework to link, searched by id or title', params: orgParams, querystring: requirementOptionsQuery, response: { 200: requirementOptions, ...problems } } }, async (req) =>
      ({ items: await s.controls.requirementOptions(req.org!.orgId, req.query.framework, req.query.q) }));

    app.post(`${base}/import`, { preHandler: admin, schema: { tags, summary: 'Import controls from CSV or an OSCAL component-definition: all rows or none', params: orgParams, body: importBody, response: { 200: importResult, ...problems } } }, async (req) =>
      s.controlsTransfer.import(req.org!.orgId, req.body, req.org!));

    app.get(`${base}/export`, { preHandler: viewer, schema: { tags, summary: 'Export every control (retired included) as CSV or OSCAL', params: orgParams, querystring: exportQuery, response: { 200: z.string().describe('CSV or OSCAL JSON'), ...problems } } }, async (req, reply) => {
      const file = await s.controlsTransfer.export(req.org!.orgId, req.query.format);
      // The body is the file itself, not a JSON string of it.
      return reply.type(file.contentType).header('content-disposition', `attachment; filename="${file.fileName}"`).serializer((x: unknown) => x as string).send(file.content);
    });

    app.get(`${base}/:id`, { preHandler: viewer, schema: { tags, params: controlIdParams, response: { 200: controlDetail, ...problems } } }, async (req) =>
      s.controls.get(req.org!.orgId, req.params.id));

    app.patch(`${base}/:id`, { preHandler: editor, schema: { tags, summary: 'Edit a control; `version` must be the one you read (409 otherwise)', params: controlIdParams, body: updateControlBody, response: { 200: controlDetail, ...problems } } }, async (req) =>
      s.controls.update(req.org!.orgId, req.params.id, req.body, req.org!));

    app.post(`${base}/:id/retire`, { preHandler: editor, schema: { tags, summary: 'Retire a control (controls are never deleted)', params: controlIdParams, body: retireBody, response: { 200: controlDetail, ...problems } } }, async (req) =>
      s.controls.retire(req.org!.orgId, req.params.id, req.body.version, req.org!));

    app.put(`${base}/:id/requirements`, { preHandler: editor, schema: { tags, summary: 'Replace the requirements a control satisfies', params: controlIdParams, body: setLinksBody, response: { 200: controlDetail, ...problems } } }, async (req) =>
      s.controls.setRequirements(req.org!.orgId, req.params.id, req.body, req.org!));
  };
}
