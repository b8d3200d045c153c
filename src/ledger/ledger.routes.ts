import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppServices } from '../app.ts';
import { problems } from '../http/openapi.ts';
import { NotFoundError } from '../lib/errors.ts';
import {
  auditRecordResponse, bundleResponse, checkpointResponse, checkpointsPage, checkpointsQuery, consistencyQuery, consistencyResponse, entryParams,
  entryResponse, inclusionQuery, inclusionResponse, keyResponse, ledgerParams, logKeysResponse, slugParams, statusResponse,
} from './ledger.schema.ts';

/** The evidence log: reads for viewers, signing and key rotation for admins, public verifier keys. No append route. */
export function ledgerRoutes(s: AppServices): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['ledger'];
    const base = '/api/v1/orgs/:orgId/ledger';
    const viewer = s.guard.org('viewer');
    const admin = s.guard.org('admin');

    app.get(base, { preHandler: viewer, schema: { tags, summary: 'The log at a glance: size, latest checkpoint, signing key', params: ledgerParams, response: { 200: statusResponse, ...problems } } }, async (req) =>
      s.ledger.status(req.org!.orgId));

    app.get(`${base}/entries/:index`, { preHandler: viewer, schema: { tags, params: entryParams, response: { 200: entryResponse, ...problems } } }, async (req) =>
      s.ledger.entry(req.org!.orgId, req.params.index));

    app.get(`${base}/checkpoints/latest`, { preHandler: viewer, schema: { tags, params: ledgerParams, response: { 200: checkpointResponse, ...problems } } }, async (req) =>
      s.ledger.latestCheckpoint(req.org!.orgId));

    app.get(`${base}/checkpoints`, { preHandler: viewer, schema: { tags, params: ledgerParams, querystring: checkpointsQuery, response: { 200: checkpointsPage, ...problems } } }, async (req) =>
      s.ledger.listCheckpoints(req.org!.orgId, req.query));

    app.post(`${base}/checkpoints`, { preHandler: admin, schema: { tags, params: ledgerParams, response: { 201: checkpointResponse, ...problems } } }, async (req, reply) =>
      reply.code(201).send(await s.ledger.checkpoint(req.org!.orgId)));

    app.get(`${base}/proofs/inclusion`, { preHandler: viewer, schema: { tags, params: ledgerParams, querystring: inclusionQuery, response: { 200: inclusionResponse, ...problems } } }, async (req) => {
      const { index, leafHash, treeSize } = req.query;
      return leafHash !== undefined ? s.ledger.inclusionProofByHash(req.org!.orgId, leafHash, treeSize) : s.ledger.inclusionProof(req.org!.orgId, index!, treeSize);
    });

    app.get(`${base}/proofs/consistency`, { preHandler: viewer, schema: { tags, params: ledgerParams, querystring: consistencyQuery, response: { 200: consistencyResponse, ...problems } } }, async (req) =>
      s.ledger.consistencyProof(req.org!.orgId, req.query.from, req.query.to));

    app.get(`${base}/bundles/:index`, { preHandler: viewer, schema: { tags, params: entryParams, response: { 200: bundleResponse, ...problems } } }, async (req, reply) => {
      const bundle = await s.ledger.bundle(req.org!.orgId, req.params.index);
      reply.header('content-disposition', `attachment; filename="evidence-${req.params.index}.bundle.json"`);
      return bundle;
    });

    app.get(`${base}/keys`, { preHandler: viewer, schema: { tags, params: ledgerParams, response: { 200: keyResponse.array(), ...problems } } }, async (req) =>
      s.ledger.publicKeys(req.org!.orgId));

    app.post(`${base}/keys/rotate`, { preHandler: admin, schema: { tags, params: ledgerParams, response: { 201: keyResponse, ...problems } } }, async (req, reply) =>
      reply.code(201).send(await s.ledger.rotateKey(req.org!.orgId)));

    // Recomputes the whole log from its stored entries (can take a while on a large log), then records the run.
    app.post(`${base}/audits`, {
      preHandler: admin,
      schema: { tags, summary: 'Run an audit of the log now and record it', params: ledgerParams, response: { 201: auditRecordResponse, ...problems } },
    }, async (req, reply) => reply.code(201).send(await s.ledger.runAudit(req.org!.orgId, 'manual')));

    app.get(`${base}/audits/latest`, {
      preHandler: viewer,
      schema: { tags, summary: 'The most recent recorded audit (404 if the log was never audited)', params: ledgerParams, response: { 200: auditRecordResponse, ...problems } },
    }, async (req) => {
      const audit = await s.ledger.lastAudit(req.org!.orgId);
      if (!audit) throw new NotFoundError('Audit');
      return audit;
    });

    // Public: auditors fetch the verifier keys here (out of band from the bundles they check).
    app.get('/.well-known/attest/:orgSlug/log-keys', {
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: { tags, params: slugParams, response: { 200: logKeysResponse, ...problems } },
    }, async (req) => s.ledger.publicKeysBySlug(req.params.orgSlug));
  };
}
