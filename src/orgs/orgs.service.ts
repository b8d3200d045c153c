import { z } from 'zod';
import type { Repos, Transact } from '../db/repos.ts';
import type { Role } from '../lib/roles.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../lib/errors.ts';
import { decodeCursor, pageResult } from '../lib/pagination.ts';
import type { Actor } from '../lib/actor.ts';

export function slugify(name: string): string {
  const base = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48);
  return base || 'org';
}

export function createOrgsService(deps: { repos: Repos; transact: Transact }) {
  const { repos, transact } = deps;

  async function uniqueSlug(r: Repos, name: string) {
    const base = slugify(name);
    for (let i = 1; ; i++) {
      const slug = i === 1 ? base : `${base}-${i}`;
      if (!(await r.orgs.slugTaken(slug))) return slug;
    }
  }

  return {
    /** Creates an org with its first owner, in one transaction. */
    async create(name: string, ownerId: string, actor: Actor, r?: Repos) {
      const run = async (tx: Repos) => {
        const org = await tx.orgs.insertOrg({ name, slug: await uniqueSlug(tx, name) });
        await tx.orgs.addMember(org.id, ownerId, 'owner');
        await tx.securityLog.insertMany([{ orgId: org.id, action: 'org.created', actorUserId: actor.userId, actorEmail: actor.email, ip: actor.ip, targetType: 'org', targetId: org.id }]);
        return org;
      };
      return r ? run(r) : transact(run);
    },
    async get(orgId: string) {
      const org = await repos.orgs.findOrg(orgId);
      if (!org) throw new NotFoundError('Organization');
      return org;
    },
    list: () => repos.orgs.listOrgs(),
    async update(orgId: string, patch: { name?: string; requireTwoFactor?: boolean }, actor: Actor) {
      return transact(async (tx) => {
        const org = await tx.orgs.updateOrg(orgId, patch);
        if (!org) throw new NotFoundError('Organization');
        await tx.securityLog.insertMany([{ orgId, action: 'org.settings_changed', actorUserId: actor.userId, actorEmail: actor.email, ip: actor.ip, targetType: 'org', targetId: orgId, detail: patch }]);
        return org;
      });
    },
    async listMembers(orgId: string, q: { cursor?: string; limit: number }) {
      const key = decodeCursor(q.cursor, z.tuple([z.iso.datetime(), z.uuid()]));
      const rows = await repos.orgs.listMembers(orgId, key, q.limit);
      return pageResult(rows, q.limit, (r) => [r.joinedAt.toISOString(), r.userId]);
    },
    /** Only owners hand out or take away ownership, and an org always keeps one owner. */
    async changeRole(orgId: string, userId: string, role: Role, actor: Actor & { role: Role }) {
      return transact(async (tx) => {
        await tx.orgs.lockMemberships(orgId);
        const member = await tx.orgs.findMembership(orgId, userId);
        if (!member) throw new NotFoundError('Member');
        if ((member.role === 'owner' || role === 'owner') && actor.role !== 'owner') throw new ForbiddenError('Only an owner can grant or remove the owner role.');
        if (member.role === 'owner' && role !== 'owner' && (await tx.orgs.countOwners(orgId)) <= 1) throw new ConflictError('The organization must keep at least one owner.');
        await tx.orgs.setRole(orgId, userId, role);
        await tx.securityLog.insertMany([{ orgId, action: 'member.role_changed', actorUserId: actor.userId, actorEmail: actor.email, ip: actor.ip, targetType: 'user', targetId: userId, detail: { from: member.role, to: role } }]);
        return { ...member, role };
      });
    },
    async removeMember(orgId: string, userId: string, actor: Actor & { role: Role }) {
      await transact(async (tx) => {
        await tx.orgs.lockMemberships(orgId);
        const member = await tx.orgs.findMembership(orgId, userId);
        if (!member) throw new NotFoundError('Member');
        if (member.role === 'owner' && actor.role !== 'owner') throw new ForbiddenError('Only an owner can remove an owner.');
        if (member.role === 'owner' && (await tx.orgs.countOwners(orgId)) <= 1) throw new ConflictError('The organization must keep at least one owner.');
        await tx.orgs.removeMember(orgId, userId);
        await tx.securityLog.insertMany([{ orgId, action: 'member.removed', actorUserId: actor.userId, actorEmail: actor.email, ip: actor.ip, targetType: 'user', targetId: userId, detail: { role: member.role } }]);
      });
    },
  };
}
export type OrgsService = ReturnType<typeof createOrgsService>;
