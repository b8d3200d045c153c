import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthService, AuthenticatedSession } from '../auth/auth.service.ts';
import type { TokensService } from '../tokens/tokens.service.ts';
import type { OrgsRepo } from '../orgs/orgs.repo.ts';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../lib/errors.ts';
import { hasRole, type Role } from '../lib/roles.ts';
import { safeEqual } from '../lib/secrets.ts';
import type { Actor } from '../lib/actor.ts';

export const SESSION_COOKIE = 'attest_session';
export const CSRF_HEADER = 'x-csrf-token';

export type OrgContext = Actor & { orgId: string; userId: string; role: Role; via: 'session' | 'token' };

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthenticatedSession | null;
    org: OrgContext | null;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isWrite = (req: FastifyRequest) => !['GET', 'HEAD', 'OPTIONS'].includes(req.method);

/**
 * Authentication and authorization for routes, as preHandlers. Browsers use the session cookie
 * (writes need the CSRF token header); scripts use `Authorization: Bearer` org tokens.
 * Anything under an org the caller cannot see answers 404, so ids of other tenants leak nothing.
 */
export function createGuard(deps: { auth: AuthService; tokens: TokensService; orgs: Pick<OrgsRepo, 'findMembership'> }) {
  async function sessionOf(req: FastifyRequest) {
    const token = req.cookies[SESSION_COOKIE];
    return token ? deps.auth.resolveSession(token) : null;
  }

  function checkCsrf(req: FastifyRequest, auth: AuthenticatedSession) {
    const sent = req.headers[CSRF_HEADER];
    if (isWrite(req) && (typeof sent !== 'string' || !safeEqual(sent, auth.session.csrfToken))) {
      throw new ForbiddenError('Missing or invalid CSRF token.');
    }
  }

  return {
    /** A signed-in person; `stages` lists the unfinished sign-in stages the route also accepts. */
    user(stages: ('full' | 'totp' | 'enrol')[] = ['full']) {
      return async (req: FastifyRequest) => {
        const auth = await sessionOf(req);
        if (!auth || !stages.includes(auth.session.stage)) throw new UnauthorizedError();
        checkCsrf(req, auth);
        req.auth = auth;
      };
    },
    /** Optional session: routes that behave differently for a signed-in person. */
    optionalUser() {
      return async (req: FastifyRequest) => {
        const auth = await sessionOf(req);
        if (auth && auth.session.stage === 'full') {
          checkCsrf(req, auth);
          req.auth = auth;
        }
      };
    },
    org(minimum: Role) {
      return async (req: FastifyRequest) => {
        const orgId = (req.params as { orgId?: string }).orgId ?? '';
        if (!UUID.test(orgId)) throw new NotFoundError('Organization');
        const bearer = req.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
        let ctx: OrgContext;
        if (bearer) {
          const token = await deps.tokens.authenticate(bearer, req.ip);
          if (!token) throw new UnauthorizedError('The API token is invalid, expired or revoked.', 'invalid_token');
          if (token.orgId !== orgId) throw new NotFoundError('Organization');
          if (isWrite(req) && token.scope !== 'write') throw new ForbiddenError('This token is read-only.');
          ctx = { orgId, userId: token.userId, email: token.email, ip: req.ip, role: token.role, via: 'token' };
        } else {
          const auth = await sessionOf(req);
          if (!auth || auth.session.stage !== 'full') throw new UnauthorizedError();
          const membership = await deps.orgs.findMembership(orgId, auth.user.id);
          if (!membership) throw new NotFoundError('Organization');
          checkCsrf(req, auth);
          req.auth = auth;
          ctx = { orgId, userId: auth.user.id, email: auth.user.email, ip: req.ip, role: membership.role, via: 'session' };
        }
        if (!hasRole(ctx.role, minimum)) throw new ForbiddenError(`This needs the ${minimum} role or higher.`);
        req.org = ctx;
      };
    },
  };
}
export type Guard = ReturnType<typeof createGuard>;

export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, token: string, maxAgeMs: number) {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true, sameSite: 'lax', path: '/', secure: req.protocol === 'https', maxAge: Math.floor(maxAgeMs / 1000),
  });
}

export function clearSessionCookie(reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
