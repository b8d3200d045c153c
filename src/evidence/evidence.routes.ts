import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppServices } from '../app.ts';
import type { OrgContext } from '../http/guard.ts';
import { problems } from '../http/openapi.ts';
import { InvalidInputError } from '../lib/errors.ts';
import { receiveUpload } from '../storage/upload.ts';
import { orgParams } from '../orgs/orgs.schema.ts';
import type { Collector } from './evidence.service.ts';
import {
  createRecordBody, createdEvidenceResponse, uploadFields, evidencePage, evidenceParams, evidenceQuery, evidenceResponse, legalHoldBody, reviewBody, verificationResponse,
} from './evidence.schema.ts';

export const collectorOf = (org: OrgContext): Collector => ({ kind: org.via === 'token' ? 'token' : 'user', userId: org.userId, label: org.email ?? org.userId });

/** Evidence: everyone reads, editors add and review (never their own), admins place legal holds. */
export function evidenceRoutes(s: AppServices): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['evidence'];
    const base = '/api/v1/orgs/:orgId/evidence';
    const viewer = s.guard.org('viewer');
    const editor = s.guard.org('editor');

    app.get(base, { preHandler: viewer, schema: { tags, params: orgParams, querystring: evidenceQuery, response: { 200: evidencePage, ...problems } } }, async (req) =>
      s.evidence.list(req.org!.orgId, req.query));

    app.post(base, {
      preHandler: editor,
      schema: { tags, summary: 'Add a link or a text attestation as evidence (files go to /evidence/files)', params: orgParams, body: createRecordBody, response: { 200: createdEvidenceResponse, 201: createdEvidenceResponse, ...problems } },
    }, async (req, reply) => {
      const r = await s.evidence.addRecord(req.org!.orgId, req.body, collectorOf(req.org!));
      return reply.code(r.duplicate ? 200 : 201).send(r);
    });

    // Multipart: text fields first, then the file; the file streams into the blob store as it arrives.
    app.post(`${base}/files`, {
      preHandler: editor,
      schema: { tags, summary: 'Upload a file as evidence (multipart/form-data: title, controlIds, periodStart, periodEnd, seriesId, then file)', params: orgParams, response: { 200: createdEvidenceResponse, 201: createdEvidenceResponse, ...problems } },
    }, async (req, reply) => {
      const upload = await receiveUpload(req, s.blobs, { maxBytes: s.config.uploadMaxBytes });
      const meta = uploadFields.safeParse({ title: upload.filename, ...upload.fields });
      if (!meta.success) {
        await s.evidence.discardBlob(upload.blob);
        throw new InvalidInputError('The upload form is incomplete.', meta.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
      }
      const r = await s.evidence.recordFile(req.org!.orgId, { blob: upload.blob, fileName: upload.filename, meta: meta.data }, collectorOf(req.org!));
      return reply.code(r.duplicate ? 200 : 201).send(r);
    });

    app.get(`${base}/:id`, { preHandler: viewer, schema: { tags, params: evidenceParams, response: { 200: evidenceResponse, ...problems } } }, async (req) =>
      s.evidence.get(req.org!.orgId, req.params.id));

    app.get(`${base}/:id/verification`, {
      preHandler: viewer, schema: { tags, summary: 'Whether the evidence still matches its log entry, is under a signed checkpoint, and (files) still hashes right', params: evidenceParams, response: { 200: verificationResponse, ...problems } },
    }, async (req) => s.evidenceVerifier.verifyItem(req.org!.orgId, req.params.id));

    app.get(`${base}/:id/file`, { preHandler: viewer, schema: { tags, summary: 'Download the evidence file (streamed, with its SHA-256 in the Digest header)', params: evidenceParams } }, async (req, reply) => {
      const { row, stream } = await s.evidence.openFile(req.org!.orgId, req.params.id);
      const name = (row.fileName ?? 'evidence').replace(/["\\\r\n]/g, '_');
      reply.header('content-type', row.mediaType ?? 'application/octet-stream');
      reply.header('content-length', String(row.size));
      reply.header('content-disposition', `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(row.fileName ?? 'evidence')}`);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('digest', `sha-256=${Buffer.from(row.sha256!, 'hex').toString('base64')}`);
      return reply.send(stream);
    });

    app.post(`${base}/:id/review`, { preHandler: editor, schema: { tags, params: evidenceParams, body: reviewBody, response: { 200: evidenceResponse, ...problems } } }, async (req) =>
      s.evidence.review(req.org!.orgId, req.params.id, req.body, { userId: req.org!.userId }));

    app.put(`${base}/:id/legal-hold`, { preHandler: s.guard.org('admin'), schema: { tags, params: evidenceParams, body: legalHoldBody, response: { 200: evidenceResponse, ...problems } } }, async (req) =>
      s.evidence.setLegalHold(req.org!.orgId, req.params.id, req.body));
  };
}
