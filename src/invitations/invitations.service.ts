import type { Repos, Transact } from '../db/repos.ts';
import { hasRole, type Role } from '../lib/roles.ts';
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, InvalidInputError } from '../lib/errors.ts';
import { hashPassword, randomToken, sha256Hex } from '../lib/secrets.ts';
import type { MailService } from '../mail/mail.service.ts';
import type { Actor } from '../lib/actor.ts';
import type { UserRow } from '../accounts/accounts.repo.ts';

const INVITATION_DAYS = 7;

export function createInvitationsService(deps: { repos: Repos; transact: Transact; mail: Pick<MailService, 'send'>; publicUrl: () => string }) {
  const { repos, transact } = deps;
  return {
    async create(orgId: string, input: { email: string; role: Role }, actor: Actor & { role: Role; userId: string }) {
      if (!hasRole(actor.role, input.role)) throw new ForbiddenError('You cannot invite someone to a role above your own.');
      return transact(async (tx) => {
        const org = await tx.orgs.findOrg(orgId);
        if (!org) throw new NotFoundError('Organization');
        const existing = await tx.accounts.findUserByEmail(input.email);
        if (existing && (await tx.orgs.findMembership(orgId, existing.id))) throw new ConflictError(`${input.email} is already a member.`);
        const token = randomToken();
        const invitation = await tx.invitations.insert({
          orgId, email: input.email, role: input.role, tokenHash: sha256Hex(token), invitedBy: actor.userId,
          expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
        });
        const link = `${deps.publicUrl()}/invite/${token}`;
        await deps.mail.send(orgId, {
          to: input.email,
          subject: `You are invited to ${org.name} on Attest`,
          text: `${actor.email ?? 'A colleague'} invited you to join ${org.name} on Attest as ${input.role}.\n\nAccept within ${INVITATION_DAYS} days:\n${link}\n\nIf you did not expect this, ignore this message.`,
        }, tx.mail);
        await tx.securityLog.insertMany([{ orgId, action: 'invitation.created', actorUserId: actor.userId, actorEmail: actor.email, ip: actor.ip, targetType: 'invitation', targetId: invitation.id, detail: { email: input.email, role: input.role } }]);
        return invitation;
      });
    },
    list: (orgId: string) => repos.invitations.list(orgId),
    async revoke(orgId: string, id: string, actor: Actor) {
      return transact(async (tx) => {
        const row = await tx.invitations.revoke(orgId, id);
        if (!row) throw new NotFoundError('Open invitation');
        await tx.securityLog.insertMany([{ orgId, action: 'invitation.revoked', actorUserId: actor.userId, actorEmail: actor.email, ip: actor.ip, targetType: 'invitation', targetId: id }]);
        return row;
      });
    },
    async lookup(token: string) {
      const found = await repos.invitations.findOpenByToken(sha256Hex(token));
      if (!found) throw new NotFoundError('Invitation (it may have expired, been used or revoked)');
      const user = await repos.accounts.findUserByEmail(found.invitation.email);
      return { orgId: found.invitation.orgId, orgName: found.orgName, email: found.invitation.email, role: found.invitation.role, userExists: !!user };
    },
    /**
     * A new person sets a name and password; an existing account must be the one signed in,
     * so a forwarded link cannot attach someone else's account.
     */
    async accept(token: string, input: { name?: string; password?: string }, signedIn: UserRow | null, ip: string | null) {
      return transact(async (tx) => {
        const found = await tx.invitations.findOpenByToken(sha256Hex(token));
        if (!found) throw new NotFoundError('Invitation (it may have expired, been used or revoked)');
        const inv = found.invitation;
        let user = await tx.accounts.findUserByEmail(inv.email);
        if (user) {
          if (!signedIn || signedIn.id !== user.id) throw new UnauthorizedError(`Sign in as ${inv.email} to accept this invitation.`, 'sign_in_required');
        } else {
          if (!input.name || !input.password) throw new InvalidInputError('Choose a name and a password.', [
            ...(!input.name ? [{ path: 'name', message: 'Required' }] : []),
            ...(!input.password ? [{ path: 'password', message: 'Required' }] : []),
          ]);
          user = await tx.accounts.insertUser({ email: inv.email, name: input.name, passwordHash: await hashPassword(input.password) });
        }
        if (!(await tx.invitations.markAccepted(inv.orgId, inv.id))) throw new ConflictError('This invitation was used already.');
        await tx.orgs.addMember(inv.orgId, user.id, inv.role);
        await tx.securityLog.insertMany([{ orgId: inv.orgId, action: 'invitation.accepted', actorUserId: user.id, actorEmail: user.email, ip, targetType: 'invitation', targetId: inv.id, detail: { role: inv.role } }]);
        return { user, orgId: inv.orgId };
      });
    },
  };
}
export type InvitationsService = ReturnType<typeof createInvitationsService>;
