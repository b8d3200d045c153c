import type { Repos, Transact } from '../db/repos.ts';
import type { OrgsService } from '../orgs/orgs.service.ts';
import { ConflictError, NotFoundError, UnauthorizedError } from '../lib/errors.ts';
import { hashPassword, randomToken, sha256Hex } from '../lib/secrets.ts';
import { cliActor, type Actor } from '../lib/actor.ts';

const SETUP_LINK_HOURS = 24;

/** Instance-level account administration (the CLI's `admin` commands) and first-run setup. */
export function createAccountsService(deps: { repos: Repos; transact: Transact; orgs: Pick<OrgsService, 'create'> }) {
  const { repos, transact } = deps;

  async function userByEmail(email: string) {
    const user = await repos.accounts.findUserByEmail(email);
    if (!user) throw new NotFoundError(`User ${email}`);
    return user;
  }

  async function logForUser(userId: string, action: string, email: string) {
    const orgs = await repos.orgs.membershipsOfUser(userId);
    await repos.securityLog.insertMany(orgs.map((o) => ({ orgId: o.orgId, action, actorEmail: cliActor.email, targetType: 'user', targetId: userId, detail: { email } })));
  }

  async function createFirstOwner(input: { orgName: string; email: string; name: string; password: string }, tx: Repos) {
    if ((await tx.accounts.countUsers()) > 0) throw new ConflictError('Attest is already set up; sign in, or create more organizations with `attest orgs create`.');
    const user = await tx.accounts.insertUser({ email: input.email, name: input.name, passwordHash: await hashPassword(input.password) });
    const actor: Actor = { userId: user.id, email: user.email, ip: null };
    const org = await deps.orgs.create(input.orgName, user.id, actor, tx);
    return { user, org };
  }

  return {
    needsSetup: async () => (await repos.accounts.countUsers()) === 0,
    /** A one-time link for finishing setup in the browser, printed to the console at first start. */
    async issueSetupToken(): Promise<string> {
      const token = randomToken();
      await repos.accounts.insertSetupToken(sha256Hex(token), new Date(Date.now() + SETUP_LINK_HOURS * 3_600_000));
      return token;
    },
    async completeSetup(token: string, input: { orgName: string; email: string; name: string; password: string }) {
      return transact(async (tx) => {
        if (!(await tx.accounts.consumeSetupToken(sha256Hex(token)))) throw new UnauthorizedError('This setup link is not valid or has expired. Run `attest admin bootstrap` or restart Attest for a new link.', 'invalid_setup_token');
        return createFirstOwner(input, tx);
      });
    },
    bootstrap: (input: { orgName: string; email: string; name: string; password: string }) => transact((tx) => createFirstOwner(input, tx)),
    async listUsers() {
      const users = await repos.accounts.listUsers();
      return Promise.all(users.map(async (u) => ({
        id: u.id, email: u.email, name: u.name, disabled: !!u.disabledAt, twoFactor: !!u.totpEnabledAt, createdAt: u.createdAt,
        orgs: (await repos.orgs.membershipsOfUser(u.id)).map((m) => `${m.orgSlug}:${m.role}`),
      })));
    },
    async disableUser(email: string) {
      const user = await userByEmail(email);
      await transact(async (tx) => {
        await tx.accounts.updateUser(user.id, { disabledAt: new Date() });
        await tx.accounts.deleteUserSessions(user.id);
      });
      await logForUser(user.id, 'user.disabled', user.email);
      return user;
    },
    async enableUser(email: string) {
      const user = await userByEmail(email);
      await repos.accounts.updateUser(user.id, { disabledAt: null, failedLogins: 0, lockedUntil: null });
      await logForUser(user.id, 'user.enabled', user.email);
      return user;
    },
    /** For a lost authenticator: the person enrols again at next sign-in. */
    async resetTwoFactor(email: string) {
      const user = await userByEmail(email);
      await transact(async (tx) => {
        await tx.accounts.updateUser(user.id, { totpEnabledAt: null, totpSecretSealed: null, totpLastStep: null });
        await tx.accounts.replaceRecoveryCodes(user.id, []);
        await tx.accounts.deleteUserSessions(user.id);
      });
      await logForUser(user.id, 'two_factor.reset', user.email);
      return user;
    },
    async createOrg(name: string, ownerEmail: string) {
      const owner = await userByEmail(ownerEmail);
      return deps.orgs.create(name, owner.id, cliActor);
    },
  };
}
export type AccountsService = ReturnType<typeof createAccountsService>;
