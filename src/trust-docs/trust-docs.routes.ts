import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppServices } from '../app.ts';
import { problems } from '../http/openapi.ts';
import { InvalidInputError } from '../lib/errors.ts';
import { orgParams } from '../orgs/orgs.schema.ts';
import { receiveUpload } from '../storage/upload.ts';
import { ndaVersionBody } from '../trust/trust.schema.ts';
import {
  accountBody, accountIdParams, accountList, accountPatch, accountView, approveGrantBody, createDocumentBody, decisionBody, documentIdParams, documentList,
  documentView, downloadList, grantIdParams, grantList, grantView, listGrantsQuery, ndaList, ndaView, rulesBody, rulesView, updateDocumentBody, versionFields,
} from './trust-docs.schema.ts';

/** Admin API of hub documents, NDAs, access requests and grants, rules, customer accounts and the download log. */
export function trustDocsRoutes(s: AppServices): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['trust-docs'];
    const base = '/api/v1/orgs/:orgId/trust-docs';
    const viewer = s.guard.org('viewer');
    const admin = s.guard.org('admin');
    const actor = (o: { userId: string | null; email: string | null }) => ({ userId: o.userId, email: o.email });

    app.get(`${base}/documents`, { preHandler: viewer, schema: { tags, params: orgParams, response: { 200: documentList, ...problems } } }, async (req) =>
      ({ items: await s.trustDocs.listDocuments(req.org!.orgId) }));
    app.post(`${base}/documents`, { preHandler: admin, schema: { tags, params: orgParams, body: createDocumentBody, response: { 201: documentView, ...problems } } }, async (req, reply) =>
      reply.code(201).send(await s.trustDocs.createDocument(req.org!.orgId, req.body)));
    app.get(`${base}/documents/:id`, { preHandler: viewer, schema: { tags, params: documentIdParams, response: { 200: documentView, ...problems } } }, async (req) =>
      s.trustDocs.getDocument(req.org!.orgId, req.params.id));
    app.patch(`${base}/documents/:id`, { preHandler: admin, schema: { tags, params: documentIdParams, body: updateDocumentBody, response: { 200: documentView, ...problems } } }, async (req) =>
      s.trustDocs.updateDocument(req.org!.orgId, req.params.id, req.body));
    // multipart/form-data: a `label` field first, then the PDF in `file`.
    app.post(`${base}/documents/:id/versions`, {
      preHandler: admin, schema: { tags, summary: 'Upload a new PDF version (multipart: label, then file)', params: documentIdParams, response: { 201: documentView, ...problems } },
    }, async (req, reply) => {
      await s.trustDocs.getDocument(req.org!.orgId, req.params.id);
      const upload = await receiveUpload(req, s.blobs, { maxBytes: Math.min(s.trustDocs.uploadLimitBytes, s.config.uploadMaxBytes) });
      const fields = versionFields.safeParse(upload.fields);
      if (!fields.success) throw fieldsError(fields.error);
      const doc = await s.trustDocs.addVersion(req.org!.orgId, req.params.id, { label: fields.data.label, sha256: upload.blob.sha256, size: upload.blob.size, filename: upload.filename }, actor(req.org!));
      return reply.code(201).send(doc);
    });

    app.get(`${base}/ndas`, { preHandler: viewer, schema: { tags, params: orgParams, response: { 200: ndaList, ...problems } } }, async (req) =>
      ({ items: await s.trustDocs.listNdas(req.org!.orgId) }));
    app.post(`${base}/ndas`, { preHandler: admin, schema: { tags, summary: 'Publish a new NDA version (it becomes current)', params: orgParams, body: ndaVersionBody, response: { 201: ndaView, ...problems } } }, async (req, reply) =>
      reply.code(201).send(await s.trustDocs.publishNda(req.org!.orgId, req.body, actor(req.org!))));

    app.get(`${base}/grants`, { preHandler: admin, schema: { tags, params: orgParams, querystring: listGrantsQuery, response: { 200: grantList, ...problems } } }, async (req) =>
      ({ items: await s.trustDocs.listGrants(req.org!.orgId, req.query.status) }));
    app.post(`${base}/grants/:id/approve`, { preHandler: admin, schema: { tags, params: grantIdParams, body: approveGrantBody, response: { 200: grantView, ...problems } } }, async (req) =>
      s.trustDocs.approve(req.org!.orgId, req.params.id, req.body.days, actor(req.org!)));
    app.post(`${base}/grants/:id/reject`, { preHandler: admin, schema: { tags, params: grantIdParams, body: decisionBody, response: { 200: grantView, ...problems } } }, async (req) =>
      s.trustDocs.reject(req.org!.orgId, req.params.id, req.body.note, actor(req.org!)));
    app.post(`${base}/grants/:id/revoke`, { preHandler: admin, schema: { tags, params: grantIdParams, body: decisionBody, response: { 200: grantView, ...problems } } }, async (req) =>
      s.trustDocs.revoke(req.org!.orgId, req.params.id, req.body.note, actor(req.org!)));
    app.post(`${base}/grants/:id/resend-link`, { preHandler: admin, schema: { tags, params: grantIdParams, response: { 200: grantView, ...problems } } }, async (req) =>
      s.trustDocs.resendLink(req.org!.orgId, req.params.id));

    app.get(`${base}/rules`, { preHandler: admin, schema: { tags, params: orgParams, response: { 200: rulesView, ...problems } } }, async (req) =>
      s.trustDocs.rules(req.org!.orgId));
    app.put(`${base}/rules`, { preHandler: admin, schema: { tags, params: orgParams, body: rulesBody, response: { 200: rulesView, ...problems } } }, async (req) =>
      s.trustDocs.setRules(req.org!.orgId, req.body));

    app.get(`${base}/customer-accounts`, { preHandler: admin, schema: { tags, params: orgParams, response: { 200: accountList, ...problems } } }, async (req) =>
      ({ items: await s.trustDocs.listAccounts(req.org!.orgId) }));
    app.post(`${base}/customer-accounts`, { preHandler: admin, schema: { tags, params: orgParams, body: accountBody, response: { 201: accountView, ...problems } } }, async (req, reply) =>
      reply.code(201).send(await s.trustDocs.createAccount(req.org!.orgId, req.body)));
    app.patch(`${base}/customer-accounts/:id`, { preHandler: admin, schema: { tags, params: accountIdParams, body: accountPatch, response: { 200: accountView, ...problems } } }, async (req) =>
      s.trustDocs.updateAccount(req.org!.orgId, req.params.id, req.body));
    app.delete(`${base}/customer-accounts/:id`, { preHandler: admin, schema: { tags, params: accountIdParams, response: { 204: z.null(), ...problems } } }, async (req, reply) => {
      await s.trustDocs.deleteAccount(req.org!.orgId, req.params.id);
      return reply.code(204).send(null);
    });

    app.get(`${base}/downloads`, { preHandler: admin, schema: { tags, params: orgParams, response: { 200: downloadList, ...problems } } }, async (req) =>
      ({ items: await s.trustDocs.listDownloads(req.org!.orgId) }));
  };
}

function fieldsError(e: z.ZodError) {
  return new InvalidInputError(e.issues.map((i) => i.message).join(' '), e.issues.map((i) => ({ path: i.path.join('.') || 'label', message: i.message })));
}
