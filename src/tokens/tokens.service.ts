import type { Repos, Transact } from '../db/repos.ts';
import { hasRole, type Role } from '../lib/roles.ts';
import { ForbiddenError, NotFoundError } from '../lib/errors.ts';
import { randomToken, sha256Hex } from '../lib/secrets.ts';
import type { Actor } from '../lib/actor.ts';

export type TokenAuth = { orgId: string; userId: string; email: string; role: Role; scope: 'read' | 'write'; tokenId: string };

const USE_RECORDED_EVERY_MS = 3_600_000;
const TOKEN_PATTERN = /^attest_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

export function createTokensService(deps: { repos: Repos; transact: Transact }) {
  const { repos, transact } = deps;
  return {
    /** The secret is returned once; only its hash is stored. */
    async create(orgId: string, input: { name: string; scope: 'read' | 'write'; expiresInDays: number }, actor: Actor & { userId: string; role: Role }) {
      if (input.scope === 'write' && !hasRole(actor.role, 'editor')) throw new ForbiddenError('Your role allows read-only tokens.');
      const prefix = randomToken(6).replace(/[-_]/g, 'x').slice(0, 8);
      const secret = `attest_${prefix}_${randomToken(32)}`;
      return transact(async (tx) => {
        const token = await tx.tokens.insert({
          orgId, userId: actor.userId, name: input.name, scope: input.scope, prefix, tokenHash: sha256Hex(secret),
          expiresAt: new Date(Date.now() + input.expiresInDays * 86_400_000),
        });
        await tx.securityLog.insertMany([{ orgId, action: 'token.created', actorUserId: actor.userId, actorEmail: actor.email, ip: actor.ip, targetType: 'token', targetId: token.id, detail: { name: input.name, scope: input.scope, expiresAt: token.expiresAt.toISOString() } }]);
        return { token, secret };
      });
    },
    /** Admins see every token of the org; everyone else their own. */
    list: (orgId: string, actor: { userId: string; role: Role }) => repos.tokens.list(orgId, hasRole(actor.role, 'admin') ? undefined : actor.userId),
    async revoke(orgId: string, id: string, actor: Actor & { userId: string; role: Role }) {
      await transact(async (tx) => {
        const token = await tx.tokens.find(orgId, id);
        if (!token || (token.userId !== actor.userId && !hasRole(actor.role, 'admin'))) throw new NotFoundError('Token');
        await tx.tokens.revoke(orgId, id);
        await tx.securityLog.insertMany([{ orgId, action: 'token.revoked', actorUserId: actor.userId, actorEmail: actor.email, ip: actor.ip, targetType: 'token', targetId: id }]);
      });
    },
    /** Resolves a bearer token to its org, user and current role; null for anything not live. */
    async authenticate(bearer: string, ip: string | null): Promise<TokenAuth | null> {
      if (!TOKEN_PATTERN.test(bearer)) return null;
      const found = await repos.tokens.findLiveForAuth(sha256Hex(bearer));
      if (!found) return null;
      const { token, email, role } = found;
      // Use is recorded at most hourly; the row tells whether this request is the one to do it.
      if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() >= USE_RECORDED_EVERY_MS) {
        if (await repos.tokens.markUsed(token.orgId, token.id)) {
          await repos.securityLog.insertMany([{ orgId: token.orgId, action: 'token.used', actorUserId: token.userId, actorEmail: email, ip, targetType: 'token', targetId: token.id }]);
        }
      }
      return { orgId: token.orgId, userId: token.userId, email, role, scope: token.scope, tokenId: token.id };
    },
  };
}
export type TokensService = ReturnType<typeof createTokensService>;
