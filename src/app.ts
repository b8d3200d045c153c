import type { Config } from './config/config.ts';
import { openDatabase, runMigrations, type Database } from './db/database.ts';
import { startOrJoinEmbedded, type EmbeddedServer } from './db/embedded.ts';
import { createRepos, createTransact, type Repos } from './db/repos.ts';
import { resolveInstanceKey } from './lib/instance-key.ts';
import { createSecretBox } from './lib/secrets.ts';
import { startJobs, type JobRunner, type JobSender } from './jobs/jobs.ts';
import { jobDefinitions } from './jobs/definitions.ts';
import { createSecurityLogService } from './security-log/security-log.service.ts';
import { createMailService } from './mail/mail.service.ts';
import { createAuthService } from './auth/auth.service.ts';
import { createOrgsService } from './orgs/orgs.service.ts';
import { createInvitationsService } from './invitations/invitations.service.ts';
import { createTokensService } from './tokens/tokens.service.ts';
import { createAccountsService } from './accounts/accounts.service.ts';
import { createGuard } from './http/guard.ts';
import { createLedgerService } from './ledger/ledger.service.ts';
import { createWebhooksService } from './notifications/webhooks.service.ts';
import { createNotificationsService } from './notifications/notifications.service.ts';

export type AppOptions = {
  log?: (message: string) => void;
  /** Start the job worker and scheduler (serve does; one-shot CLI commands only enqueue). */
  work?: boolean;
  /** Start-up steps, for a progress bar. */
  progress?: (step: string, done: number, total: number) => void;
};

/**
 * The composition root: the one place that builds the database, repositories, services and
 * jobs and wires them together. `serve`, the CLI and the tests all start from here.
 */
export async function createApp(config: Config, opts: AppOptions = {}) {
  const log = opts.log ?? (() => undefined);
  const progress = opts.progress ?? (() => undefined);
  progress(config.databaseUrl ? 'connecting to PostgreSQL' : 'starting embedded PostgreSQL', 0, 3);
  const embedded: EmbeddedServer | null = config.databaseUrl ? null : await startOrJoinEmbedded(config.dataDir, log);
  const url = config.databaseUrl ?? embedded!.url;
  const database: Database = openDatabase(url);
  progress('applying migrations', 1, 3);
  try {
    await runMigrations(database);
  } catch (e) {
    await database.close();
    await embedded?.stop();
    throw e;
  }

  const repos: Repos = createRepos(database.db);
  const transact = createTransact(database.db);
  const instanceKey = resolveInstanceKey(config);
  const secrets = createSecretBox(instanceKey);
  // Services enqueue through this handle; it points at the job runner once that has started.
  let runner: JobRunner | null = null;
  const jobs: JobSender = { send: (name, data) => (runner ? runner.send(name, data) : Promise.reject(new Error('job queue not started'))) };

  const securityLog = createSecurityLogService({ repo: repos.securityLog, orgs: repos.orgs });
  const mail = createMailService({ repo: repos.mail, config, jobs });
  const auth = createAuthService({ accounts: repos.accounts, orgs: repos.orgs, securityLog, secrets, config });
  const orgs = createOrgsService({ repos, transact });
  const publicUrl = () => config.publicUrl ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  const invitations = createInvitationsService({ repos, transact, mail, publicUrl });
  const tokens = createTokensService({ repos, transact });
  const accounts = createAccountsService({ repos, transact, orgs });
  const guard = createGuard({ auth, tokens, orgs: repos.orgs });
  // Log signing keys are sealed with the instance key (key-seal.ts), like other secrets at rest.
  const ledger = createLedgerService({ repos, transact, instanceKey, publicUrl });

  // Webhook signing secrets are sealed with the instance key; receivers get Standard Webhooks signatures.
  const webhooks = createWebhooksService({
    repos, transact, secrets, jobs, allowLoopback: config.webhookAllowHttpLoopback, retrySeconds: config.webhookRetrySeconds, userAgent: 'Attest-Webhooks/1',
  });
  const notifications = createNotificationsService({ repos, transact, mail, jobs, publicUrl });

  progress('starting the job queue', 2, 3);
  runner = await startJobs(url, jobDefinitions({ mail, repos, config, ledger, webhooks }), {
    work: (opts.work ?? false) && config.jobs,
    onError: (e) => log(`[jobs] ${String(e)}`),
  });

  progress('ready', 3, 3);
  const services = { config, database, repos, transact, secrets, jobs: runner, securityLog, mail, auth, orgs, invitations, tokens, accounts, guard, ledger, webhooks, notifications, publicUrl, embedded };
  return {
    services,
    async close() {
      await ledger.drain();
      await runner?.stop().catch(() => undefined);
      await database.close();
      await embedded?.stop();
    },
  };
}
export type App = Awaited<ReturnType<typeof createApp>>;
export type AppServices = App['services'];
