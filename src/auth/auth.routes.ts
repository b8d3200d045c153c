import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppServices } from '../app.ts';
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie } from '../http/guard.ts';
import { codeBody, confirmResponse, enrolResponse, loginBody, loginResponse, meResponse, okResponse, setupBody, setupStatusResponse } from './auth.schema.ts';
import { problems } from '../http/openapi.ts';
import { UnauthorizedError } from '../lib/errors.ts';


export function authRoutes(s: AppServices): FastifyPluginAsyncZod {
  return async (app) => {
    const client = (req: { ip: string; headers: Record<string, unknown> }) => ({ ip: req.ip, userAgent: String(req.headers['user-agent'] ?? '') || null });
    const tags = ['auth'];
    const strict = { rateLimit: { max: s.config.authRateLimitPerMinute, timeWindow: '1 minute' } };

    app.get('/api/v1/setup/status', { schema: { tags, response: { 200: setupStatusResponse } } }, async () => ({ needsSetup: await s.accounts.needsSetup() }));

    app.post('/api/v1/setup', { config: strict, schema: { tags, body: setupBody, response: { 201: okResponse, ...problems } } }, async (req, reply) => {
      const { token, ...input } = req.body;
      await s.accounts.completeSetup(token, input);
      return reply.code(201).send({ ok: true });
    });

    app.post('/api/v1/auth/login', { config: strict, schema: { tags, body: loginBody, response: { 200: loginResponse, ...problems } } }, async (req, reply) => {
      const result = await s.auth.login(req.body.email, req.body.password, client(req));
      setSessionCookie(req, reply, result.token, s.config.sessionAbsoluteMs);
      return { status: result.status };
    });

    app.post('/api/v1/auth/login/totp', { config: strict, preHandler: s.guard.user(['totp']), schema: { tags, body: codeBody, response: { 200: loginResponse, ...problems } } }, async (req, reply) => {
      const token = await s.auth.completeTotpLogin(req.auth!, req.body.code, client(req));
      setSessionCookie(req, reply, token, s.config.sessionAbsoluteMs);
      return { status: 'ok' as const };
    });

    app.get('/api/v1/auth/me', { preHandler: s.guard.user(['full', 'totp', 'enrol']), schema: { tags, response: { 200: meResponse, ...problems } } }, async (req) => {
      const { user, session } = req.auth!;
      const memberships = session.stage === 'full' ? await s.repos.orgs.membershipsOfUser(user.id) : [];
      return { user: { id: user.id, email: user.email, name: user.name, totpEnabled: !!user.totpEnabledAt }, stage: session.stage, memberships, csrfToken: session.csrfToken };
    });

    app.post('/api/v1/auth/logout', { schema: { tags, response: { 200: okResponse } } }, async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) await s.auth.logout(token);
      clearSessionCookie(reply);
      return { ok: true as const };
    });

    app.post('/api/v1/auth/totp/enrol', { preHandler: s.guard.user(['full', 'enrol']), schema: { tags, response: { 200: enrolResponse, ...problems } } }, async (req) =>
      s.auth.beginTotpEnrolment(req.auth!.user));

    app.post('/api/v1/auth/totp/confirm', { config: strict, preHandler: s.guard.user(['full', 'enrol']), schema: { tags, body: codeBody, response: { 200: confirmResponse, ...problems } } }, async (req, reply) => {
      const result = await s.auth.confirmTotpEnrolment(req.auth!, req.body.code, client(req));
      if (result.token) setSessionCookie(req, reply, result.token, s.config.sessionAbsoluteMs);
      return { recoveryCodes: result.recoveryCodes };
    });

    app.post('/api/v1/auth/totp/disable', { config: strict, preHandler: s.guard.user(), schema: { tags, body: codeBody, response: { 200: okResponse, ...problems } } }, async (req) => {
      if (!req.auth) throw new UnauthorizedError();
      await s.auth.disableTotp(req.auth, req.body.code, client(req));
      return { ok: true as const };
    });
  };
}
