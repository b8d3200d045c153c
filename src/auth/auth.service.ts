import type { AccountsRepo, UserRow } from '../accounts/accounts.repo.ts';
import type { OrgsRepo } from '../orgs/orgs.repo.ts';
import type { SecurityLogService } from '../security-log/security-log.service.ts';
import type { Config } from '../config/config.ts';
import { ConflictError, ForbiddenError, InvalidInputError, LockedOutError, UnauthorizedError } from '../lib/errors.ts';
import { randomToken, sha256Hex, verifyPassword, type SecretBox } from '../lib/secrets.ts';
import { matchTotp, newRecoveryCodes, newTotpSecret, normaliseRecoveryCode, totpEnrolment } from './totp.ts';
import type { SessionRow } from '../accounts/accounts.repo.ts';

export type Client = { ip: string | null; userAgent: string | null };
export type LoginStatus = 'ok' | 'totp_required' | 'totp_enrolment_required';
export type AuthenticatedSession = { session: SessionRow; user: UserRow };

type Deps = {
  accounts: AccountsRepo;
  orgs: Pick<OrgsRepo, 'membershipsOfUser'>;
  securityLog: Pick<SecurityLogService, 'recordForUser'>;
  secrets: SecretBox;
  config: Pick<Config, 'sessionIdleMs' | 'sessionAbsoluteMs' | 'loginMaxFailures' | 'lockoutMs'>;
};

const TOTP_PURPOSE = 'totp-secret';
const TOUCH_EVERY_MS = 60_000;

export function createAuthService(deps: Deps) {
  const { accounts, securityLog, config } = deps;
  const badCredentials = () => new UnauthorizedError('Email or password is incorrect.', 'invalid_credentials');

  async function newSession(user: UserRow, stage: SessionRow['stage'], client: Client) {
    const token = randomToken();
    await accounts.insertSession({
      idHash: sha256Hex(token), userId: user.id, stage, csrfToken: randomToken(24),
      ip: client.ip, userAgent: client.userAgent?.slice(0, 500) ?? null,
      expiresAt: new Date(Date.now() + config.sessionAbsoluteMs),
    });
    return token;
  }

  async function ensureNotLocked(user: UserRow, client: Client) {
    if (user.lockedUntil && user.lockedUntil.getTime() > Date.now()) {
      await securityLog.recordForUser(user.id, { action: 'login.locked', actorEmail: user.email, ip: client.ip });
      throw new LockedOutError(Math.ceil((user.lockedUntil.getTime() - Date.now()) / 1000));
    }
  }

  async function countFailure(user: UserRow, client: Client, action: string) {
    const after = await accounts.recordFailure(user.id, config.lockoutMs, config.loginMaxFailures, config.lockoutMs);
    await securityLog.recordForUser(user.id, { action, actorEmail: user.email, ip: client.ip });
    if (after?.lockedUntil && after.lockedUntil.getTime() > Date.now()) {
      await securityLog.recordForUser(user.id, { action: 'login.lockout', actorEmail: user.email, ip: client.ip, detail: { until: after.lockedUntil.toISOString() } });
    }
  }

  async function twoFactorRequired(userId: string) {
    return (await deps.orgs.membershipsOfUser(userId)).some((m) => m.requireTwoFactor);
  }

  /** Replaces the session with a fresh id when it gains privilege, so a planted id is worthless. */
  async function promote(current: SessionRow, user: UserRow, client: Client) {
    await accounts.deleteSession(current.idHash);
    const token = await newSession(user, 'full', client);
    await securityLog.recordForUser(user.id, { action: 'login.success', actorEmail: user.email, ip: client.ip, detail: { twoFactor: true } });
    return token;
  }

  async function checkSecondFactor(user: UserRow, code: string): Promise<boolean> {
    if (!user.totpSecretSealed || !user.totpEnabledAt) return false;
    const step = matchTotp(deps.secrets.open(user.totpSecretSealed, TOTP_PURPOSE), code.trim());
    if (step !== null) return accounts.advanceTotpStep(user.id, step);
    return accounts.useRecoveryCode(user.id, sha256Hex(normaliseRecoveryCode(code)));
  }

  return {
    async login(email: string, password: string, client: Client): Promise<{ status: LoginStatus; token: string }> {
      const user = await accounts.findUserByEmail(email);
      if (user) await ensureNotLocked(user, client);
      const ok = await verifyPassword(password, user?.passwordHash ?? null);
      if (!user) throw badCredentials();
      if (!ok || user.disabledAt) {
        await countFailure(user, client, user.disabledAt ? 'login.disabled' : 'login.failure');
        throw badCredentials();
      }
      await accounts.updateUser(user.id, { failedLogins: 0, firstFailureAt: null, lockedUntil: null });
      const stage = user.totpEnabledAt ? 'totp' : (await twoFactorRequired(user.id)) ? 'enrol' : 'full';
      if (stage === 'full') await securityLog.recordForUser(user.id, { action: 'login.success', actorEmail: user.email, ip: client.ip, detail: { twoFactor: false } });
      const status: LoginStatus = stage === 'full' ? 'ok' : stage === 'totp' ? 'totp_required' : 'totp_enrolment_required';
      return { status, token: await newSession(user, stage, client) };
    },

    async completeTotpLogin(auth: AuthenticatedSession, code: string, client: Client): Promise<string> {
      if (auth.session.stage !== 'totp') throw new ConflictError('This session is not waiting for a two-factor code.');
      await ensureNotLocked(auth.user, client);
      if (!(await checkSecondFactor(auth.user, code))) {
        await countFailure(auth.user, client, 'login.two_factor_failure');
        throw new UnauthorizedError('The code is not valid.', 'invalid_code');
      }
      return promote(auth.session, auth.user, client);
    },

    async resolveSession(token: string): Promise<AuthenticatedSession | null> {
      const session = await accounts.findLiveSession(sha256Hex(token), config.sessionIdleMs);
      if (!session) return null;
      const user = await accounts.findUserById(session.userId);
      if (!user || user.disabledAt) return null;
      if (Date.now() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) await accounts.touchSession(session.idHash);
      return { session, user };
    },

    async logout(token: string) {
      await accounts.deleteSession(sha256Hex(token));
    },

    async beginTotpEnrolment(user: UserRow) {
      if (user.totpEnabledAt) throw new ConflictError('Two-factor authentication is already enabled.');
      const secret = newTotpSecret();
      await accounts.updateUser(user.id, { totpSecretSealed: deps.secrets.seal(secret, TOTP_PURPOSE) });
      return totpEnrolment(secret, user.email);
    },

    /** Confirms enrolment with a first code; returns recovery codes (shown once) and, for a sign-in in progress, a promoted session. */
    async confirmTotpEnrolment(auth: AuthenticatedSession, code: string, client: Client) {
      const { user } = auth;
      if (user.totpEnabledAt) throw new ConflictError('Two-factor authentication is already enabled.');
      if (!user.totpSecretSealed) throw new ConflictError('Start two-factor enrolment first.');
      const step = matchTotp(deps.secrets.open(user.totpSecretSealed, TOTP_PURPOSE), code.trim());
      if (step === null) throw new InvalidInputError('The code is not valid.', [{ path: 'code', message: 'Code does not match; check the time on your device.' }]);
      await accounts.updateUser(user.id, { totpEnabledAt: new Date(), totpLastStep: step });
      const codes = newRecoveryCodes();
      await accounts.replaceRecoveryCodes(user.id, codes.map((c) => sha256Hex(normaliseRecoveryCode(c))));
      await securityLog.recordForUser(user.id, { action: 'two_factor.enabled', actorEmail: user.email, ip: client.ip });
      const token = auth.session.stage === 'enrol' ? await promote(auth.session, { ...user, totpEnabledAt: new Date() }, client) : null;
      return { recoveryCodes: codes, token };
    },

    async disableTotp(auth: AuthenticatedSession, code: string, client: Client) {
      const { user } = auth;
      if (!user.totpEnabledAt) throw new ConflictError('Two-factor authentication is not enabled.');
      if (await twoFactorRequired(user.id)) throw new ForbiddenError('An organization you belong to requires two-factor authentication.');
      if (!(await checkSecondFactor(user, code))) throw new InvalidInputError('The code is not valid.', [{ path: 'code', message: 'Invalid code' }]);
      await accounts.updateUser(user.id, { totpEnabledAt: null, totpSecretSealed: null, totpLastStep: null });
      await accounts.replaceRecoveryCodes(user.id, []);
      await securityLog.recordForUser(user.id, { action: 'two_factor.disabled', actorEmail: user.email, ip: client.ip });
    },

    newSession,
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
