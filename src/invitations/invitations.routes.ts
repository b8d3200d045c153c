import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppServices } from '../app.ts';
import { problems } from '../http/openapi.ts';
import { setSessionCookie } from '../http/guard.ts';
import { orgParams } from '../orgs/orgs.schema.ts';
import { acceptBody, acceptResponse, createInvitationBody, invitationList, invitationLookupResponse, invitationParams, invitationResponse, tokenParams } from './invitations.schema.ts';
import type { InvitationRow } from './invitations.repo.ts';

const view = (i: InvitationRow) => ({ id: i.id, email: i.email, role: i.role, createdAt: i.createdAt, expiresAt: i.expiresAt, acceptedAt: i.acceptedAt, revokedAt: i.revokedAt });

export function invitationsRoutes(s: AppServices): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['invitations'];
    const strict = { rateLimit: { max: s.config.authRateLimitPerMinute * 2, timeWindow: '1 minute' } };
    app.get('/api/v1/orgs/:orgId/invitations', { preHandler: s.guard.org('admin'), schema: { tags, params: orgParams, response: { 200: invitationList, ...problems } } }, async (req) =>
      ({ items: (await s.invitations.list(req.org!.orgId)).map(view) }));

    app.post('/api/v1/orgs/:orgId/invitations', { preHandler: s.guard.org('admin'), schema: { tags, params: orgParams, body: createInvitationBody, response: { 201: invitationResponse, ...problems } } }, async (req, reply) =>
      reply.code(201).send(view(await s.invitations.create(req.org!.orgId, req.body, req.org!))));

    app.delete('/api/v1/orgs/:orgId/invitations/:id', { preHandler: s.guard.org('admin'), schema: { tags, params: invitationParams, response: { 200: invitationResponse, ...problems } } }, async (req) =>
      view(await s.invitations.revoke(req.org!.orgId, req.params.id, req.org!)));

    app.get('/api/v1/invitations/:token', { config: strict, schema: { tags, params: tokenParams, response: { 200: invitationLookupResponse, ...problems } } }, async (req) => {
      const { orgName, email, role, userExists } = await s.invitations.lookup(req.params.token);
      return { orgName, email, role, userExists };
    });

    app.post('/api/v1/invitations/:token/accept', { config: strict, preHandler: s.guard.optionalUser(), schema: { tags, params: tokenParams, body: acceptBody, response: { 200: acceptResponse, ...problems } } }, async (req, reply) => {
      const { user, orgId } = await s.invitations.accept(req.params.token, req.body, req.auth?.user ?? null, req.ip);
      if (req.auth) return { orgId, status: 'ok' as const };
      // A new account signs straight in; it enrols two-factor first when the org requires it.
      const org = await s.orgs.get(orgId);
      const stage = org.requireTwoFactor ? 'enrol' : 'full';
      const token = await s.auth.newSession(user, stage, { ip: req.ip, userAgent: req.headers['user-agent'] ?? null });
      setSessionCookie(req, reply, token, s.config.sessionAbsoluteMs);
      return { orgId, status: stage === 'full' ? 'ok' as const : 'totp_enrolment_required' as const };
    });
  };
}
