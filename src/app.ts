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
import { createEvidenceService } from './evidence/evidence.service.ts';
import { createEvidenceVerifier } from './evidence/evidence.verify.ts';
import { createBlobStore } from './storage/create-blob-store.ts';
import { createControlsService } from './controls/controls.service.ts';
import { createControlsTransfer } from './controls/controls.transfer.ts';
import { catalogRequirements } from './controls/catalog-requirements.ts';
import { createCoverageService } from './coverage/coverage.service.ts';
import { catalogCoverageInputs } from './coverage/coverage.inputs.ts';
import { createCatalogService } from './catalog/catalog.service.ts';
import { loadBuiltinCatalogs } from './catalog/catalog.builtin.ts';
import { createProductsService } from './products/products.service.ts';
import { createCertificationsService } from './certifications/certifications.service.ts';
import { catalogFrameworks } from './certifications/frameworks.adapter.ts';
import { createWebhooksService } from './notifications/webhooks.service.ts';
import { createNotificationsService } from './notifications/notifications.service.ts';
import { createTrustDocsService } from './trust-docs/trust-docs.service.ts';
import { createFormGuard } from './trust-docs/form-guard.ts';
import { createTrustHubService } from './trust-hub/trust-hub.service.ts';
import { createTrustHubPublic } from './trust-hub/trust-hub.public.ts';
import { createHostRouter } from './trust-hub/host-routing.ts';
import type { HubSections, PublishedHubs } from './trust-hub/hub-sections.ts';
import { createChecksService } from './checks/checks.service.ts';
import { createHealthService } from './health/health.service.ts';
import { HEALTH_RECOMPUTE_JOB } from './jobs/definitions.ts';
import { createVendorsService } from './vendors/vendors.service.ts';
import { createResponsibilitiesService } from './responsibilities/responsibilities.service.ts';
import crypto from 'node:crypto';

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
  progress(config.databaseUrl ? 'connecting to PostgreSQL' : 'starting embedded PostgreSQL', 0, 4);
  const embedded: EmbeddedServer | null = config.databaseUrl ? null : await startOrJoinEmbedded(config.dataDir, log);
  const url = config.databaseUrl ?? embedded!.url;
  const database: Database = openDatabase(url);
  progress('applying migrations', 1, 4);
  try {
    await runMigrations(database);
    progress('loading framework catalogs', 2, 4);
    await loadBuiltinCatalogs(createTransact(database.db));
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
  const blobs = createBlobStore(config);
  // Catalogs, controls and coverage lean on each other: controls link to catalog requirements,
  // a requirement's page lists the controls that satisfy it, and coverage reads both.
  const catalog = createCatalogService({
    repos, transact,
    controlsForRequirement: async (orgId, frameworkId, requirementId) =>
      (await controls.controlsForRequirement(orgId, frameworkId, requirementId)).map((c) => ({ id: c.controlId, code: c.code, title: c.title, lifecycle: c.lifecycle })),
  });
  const requirements = catalogRequirements(catalog);
  const controls = createControlsService({ repos, transact, requirements });
  const controlsTransfer = createControlsTransfer({ repos, transact, requirements });
  // Evidence supports live controls; the log audit checks every logged evidence record against its row.
  const evidenceBase = createEvidenceService({ repos, transact, blobs, ledger, controls: { existingIds: (orgId, ids) => repos.controls.existingIds(orgId, ids) } });
  // A new check result may flip a control to failing: recompute its org's health right away (the cron job catches up otherwise).
  const evidenceWithHealth: typeof evidenceBase = {
    ...evidenceBase,
    async addCheckResult(...args) {
      const result = await evidenceBase.addCheckResult(...args);
      await jobs.send(HEALTH_RECOMPUTE_JOB, { orgId: args[0] }).catch(() => undefined);
      return result;
    },
  };
  const evidence = evidenceWithHealth;
  const evidenceVerifier = createEvidenceVerifier({ repos, blobs, ledger });
  ledger.registerRecordVerifier(evidenceVerifier.recordVerifier);
  // Coverage carries each control's health on its explanation paths; health rolls up per framework through coverage.
  const coverage = createCoverageService({ inputs: catalogCoverageInputs({ catalog, controls, health: { byControl: (orgId) => health.byControl(orgId) } }) });

  // A product named by a certification scope is archived, not deleted.
  const products = createProductsService({ repos, transact, referencedBy: [
    (tx, orgId, id) => tx.certifications.productReferenced(orgId, id),
    (tx, orgId, id) => tx.vendors.productReferenced(orgId, id),
    (tx, orgId, id) => tx.responsibilities.productReferenced(orgId, id),
  ] });
  const certifications = createCertificationsService({
    repos, transact, products, ledger, reportValidityMonths: config.reportValidityMonths,
    frameworks: catalogFrameworks(catalog),
  });

  // Webhook signing secrets are sealed with the instance key; receivers get Standard Webhooks signatures.
  const webhooks = createWebhooksService({
    repos, transact, secrets, jobs, allowLoopback: config.webhookAllowHttpLoopback, retrySeconds: config.webhookRetrySeconds, userAgent: 'Attest-Webhooks/1',
  });
  const notifications = createNotificationsService({ repos, transact, mail, jobs, publicUrl });
  // Checks record their runs as accepted evidence and announce failures; connection secrets are sealed with the instance key.
  const checks = createChecksService({
    repos, transact, secrets, jobs, evidence, notifications, policy: config.checkPolicy, maxTimeoutSeconds: config.checkTimeoutSeconds,
  });

  // Hub documents: gated ones only under an approved grant, redeemed through a single-use emailed link.
  const trustDocs = createTrustDocsService({
    repos, transact, ledger, mail, blobs, instanceKey, publicUrl,
    // Visitor pages exist only while the org's hub is published, and wear its branding.
    hubs: { bySlug: (slug) => trustHub.published(slug) },
  });
  const trustForms = createFormGuard(instanceKey);
  // The Trust Hub's documents, sub-processors and responsibilities sections come from other domains.
  const hubSections: HubSections = {
    documents: { publicDocuments: (orgId) => trustDocs.publicDocuments(orgId) },
    subprocessors: { publicSubprocessors: (orgId) => vendors.publicSubprocessors(orgId) },
    responsibilities: { publicResponsibilities: (orgId) => responsibilities.publicResponsibilities(orgId) },
  };
  const hubHosts = createHostRouter({ loadHosts: () => repos.trustHub.allHosts(), trustProxy: config.trustProxy, log });
  const trustHubPublic = createTrustHubPublic({
    repos, certifications, products, sections: hubSections, publicUrl,
    // A commitment backed by a control shows that control's health and when its newest evidence is from.
    commitmentHealth: async (orgId, controlIds) => {
      const wanted = new Set(controlIds);
      return new Map((await health.controls(orgId)).filter((v) => wanted.has(v.control.id)).map((v) => [v.control.id, { health: v.health, checkedAt: v.lastEvidenceAt }]));
    },
    publishedBySlug: (slug) => trustHub.publishedBySlug(slug),
  });
  const trustHub = createTrustHubService({ repos, transact, ledger, hostRouter: hubHosts, onChange: (orgId) => trustHubPublic.invalidate(orgId) });

  const health = createHealthService({ repos, transact, coverage, notifications });
  // Unsubscribe links are signed, so each announcement mail can carry one without a stored secret.
  const subprocessorLinkKey = Buffer.from(crypto.hkdfSync('sha256', instanceKey, 'attest', 'subprocessor unsubscribe links', 32));
  const vendors = createVendorsService({ repos, transact, products, ledger, notifications, mail, publicUrl, linkKey: subprocessorLinkKey });
  const responsibilities = createResponsibilitiesService({ repos, transact, catalog, products, ledger });
  const publishedHubs: PublishedHubs = { bySlug: (slug) => trustHub.published(slug) };

  progress('starting the job queue', 3, 4);
  runner = await startJobs(url, jobDefinitions({ mail, repos, config, ledger, certifications, webhooks, evidence: evidenceWithHealth, blobs, checks, health }), {
    work: (opts.work ?? false) && config.jobs,
    onError: (e) => log(`[jobs] ${String(e)}`),
  });

  progress('ready', 4, 4);
  const services = { config, database, repos, transact, secrets, jobs: runner, securityLog, mail, auth, orgs, invitations, tokens, accounts, guard, ledger, blobs, evidence, evidenceVerifier, catalog, controls, controlsTransfer, coverage, products, certifications, webhooks, notifications, trustDocs, trustForms, trustHub, trustHubPublic, hubHosts, checks, health, vendors, responsibilities, publishedHubs, publicUrl, embedded };

  return {
    services,
    async close() {
      await evidence.drain();
      await ledger.drain();
      await runner?.stop().catch(() => undefined);
      await database.close();
      await embedded?.stop();
    },
  };
}
export type App = Awaited<ReturnType<typeof createApp>>;
export type AppServices = App['services'];
