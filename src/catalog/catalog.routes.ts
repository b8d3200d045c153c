import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppServices } from '../app.ts';
import { problems } from '../http/openapi.ts';
import { importFileName } from './catalog.service.ts';
import {
  documentBody, exportQuery, frameworkDetail, frameworkParams, frameworkSummary, importQuery, importResult, mappingCollectionResponse,
  mappingsExportQuery, mappingsImportResult, oscalCatalogDocument, orgParams, requirementDetail, requirementParams, scopeBody, scopeResponse,
  searchHit, searchQuery,
} from './catalog.schema.ts';

/** OSCAL documents are large (the full SP 800-53 catalog is ~10 MB with back matter). */
export const IMPORT_BODY_LIMIT = 25 * 1024 * 1024;
const DOCUMENT_TYPES = ['application/json', 'application/yaml', 'application/x-yaml', 'text/yaml', 'application/xml', 'text/xml'];

/** Frameworks, requirements, mappings and scope: viewers read; admins import and change scope. */
export function catalogRoutes(s: AppServices): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['frameworks'];
    const base = '/api/v1/orgs/:orgId';
    const viewer = s.guard.org('viewer');
    const admin = s.guard.org('admin');

    app.get(`${base}/frameworks`, { preHandler: viewer, schema: { tags, summary: 'Frameworks this org sees (built-in and imported), current versions', params: orgParams, response: { 200: frameworkSummary.array(), ...problems } } }, async (req) =>
      s.catalog.list(req.org!.orgId));

    app.get(`${base}/frameworks/:frameworkId`, { preHandler: viewer, schema: { tags, summary: 'A framework with its requirement tree', params: frameworkParams, response: { 200: frameworkDetail, ...problems } } }, async (req) =>
      s.catalog.show(req.org!.orgId, req.params.frameworkId));

    app.get(`${base}/frameworks/:frameworkId/requirements/:requirementId`, {
      preHandler: viewer,
      schema: { tags, summary: 'A requirement with its mappings (both ways) and the controls that satisfy it', params: requirementParams, response: { 200: requirementDetail, ...problems } },
    }, async (req) => s.catalog.requirement(req.org!.orgId, req.params.frameworkId, req.params.requirementId));

    app.get(`${base}/requirements`, { preHandler: viewer, schema: { tags, summary: 'Search requirements of the current framework versions', params: orgParams, querystring: searchQuery, response: { 200: searchHit.array(), ...problems } } }, async (req) =>
      s.catalog.search(req.org!.orgId, req.query));

    app.get(`${base}/frameworks/:frameworkId/export`, {
      preHandler: viewer,
      schema: { tags, summary: 'A framework version as an OSCAL 1.2 catalog (an imported profile as its resolved catalog)', params: frameworkParams, querystring: exportQuery, response: { 200: oscalCatalogDocument, ...problems } },
    }, async (req, reply) => {
      const doc = await s.catalog.exportOscal(req.org!.orgId, req.params.frameworkId, req.query.version);
      reply.header('content-disposition', `attachment; filename="${req.params.frameworkId}.oscal-catalog.json"`);
      return doc;
    });

    app.get(`${base}/scope`, { preHandler: viewer, schema: { tags, summary: 'Framework ids this org has in scope', params: orgParams, response: { 200: scopeResponse, ...problems } } }, async (req) =>
      ({ frameworkIds: await s.catalog.scope(req.org!.orgId) }));

    app.put(`${base}/scope`, { preHandler: admin, schema: { tags, summary: 'Replace the frameworks in scope', params: orgParams, body: scopeBody, response: { 200: scopeResponse, ...problems } } }, async (req) =>
      ({ frameworkIds: await s.catalog.setScope(req.org!.orgId, req.body.frameworkIds, req.org!) }));

    app.get(`${base}/mappings/export`, { preHandler: viewer, schema: { tags, summary: 'Mappings (built-in and this org\'s) as an OSCAL mapping collection', params: orgParams, querystring: mappingsExportQuery, response: { 200: mappingCollectionResponse, ...problems } } }, async (req, reply) => {
      const doc = await s.catalog.exportMappings(req.org!.orgId, req.query);
      reply.header('content-disposition', 'attachment; filename="mappings.oscal-mapping.json"');
      return doc;
    });

    // The documents arrive as raw text: the OSCAL library parses JSON, YAML and XML itself and
    // names the line or JSON pointer of a fault, which a pre-parsed body would have lost.
    await app.register(async (plain) => {
      const raw = plain.withTypeProvider<ZodTypeProvider>();
      raw.removeContentTypeParser('application/json');
      raw.addContentTypeParser(DOCUMENT_TYPES, { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT }, (_req, body, done) => done(null, body));

      raw.post(`${base}/frameworks/import`, {
        preHandler: admin, bodyLimit: IMPORT_BODY_LIMIT,
        schema: { tags, summary: 'Import an OSCAL catalog or profile (JSON, YAML or XML) as a new current version', params: orgParams, querystring: importQuery, body: documentBody, response: { 201: importResult, ...problems } },
      }, async (req, reply) => reply.code(201).send(await s.catalog.importOscal(req.org!.orgId, { text: req.body, fileName: importFileName(req.query.fileName), id: req.query.id }, req.org!)));

      raw.post(`${base}/mappings/import`, {
        preHandler: admin, bodyLimit: IMPORT_BODY_LIMIT,
        schema: { tags, summary: 'Import an OSCAL mapping collection (JSON) into this org', params: orgParams, querystring: importQuery.pick({ fileName: true }), body: documentBody, response: { 201: mappingsImportResult, ...problems } },
      }, async (req, reply) => reply.code(201).send(await s.catalog.importMappings(req.org!.orgId, { text: req.body, fileName: importFileName(req.query.fileName) }, req.org!)));
    });
  };
}
