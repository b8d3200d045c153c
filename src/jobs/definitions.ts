import { z } from 'zod';
import { defineJob, type JobDefinition } from './jobs.ts';
import { MAIL_JOB, type MailService } from '../mail/mail.service.ts';
import type { Repos } from '../db/repos.ts';
import type { Config } from '../config/config.ts';
import type { LedgerService } from '../ledger/ledger.service.ts';
import type { CertificationsService } from '../certifications/certifications.service.ts';
import type { EvidenceService } from '../evidence/evidence.service.ts';
import type { BlobStore } from '../storage/blob-store.ts';
import { CHECKS_RUN_JOB, CHECKS_SCHEDULE_JOB, type ChecksService } from '../checks/checks.service.ts';
import { WEBHOOK_DELIVER_JOB, type WebhooksService } from '../notifications/webhooks.service.ts';
import type { HealthService } from '../health/health.service.ts';

export const LEDGER_CHECKPOINT_JOB = 'ledger.checkpoint';
export const LEDGER_AUDIT_JOB = 'ledger.audit';
export const CERTIFICATIONS_EXPIRE_JOB = 'certifications.expire';
export const HEALTH_MONITOR_JOB = 'health.monitor';
export const HEALTH_RECOMPUTE_JOB = 'health.recompute';

/** Every background job of the product, with its retry policy beside its handler. */
/** What the jobs call into: each domain adds the one service method its job runs. */
export type JobDeps = {
  mail: MailService;
  repos: Repos;
  config: Config;
  ledger: Pick<LedgerService, 'checkpointGrown' | 'auditAll'>;
  certifications: Pick<CertificationsService, 'expireAll'>;
  webhooks: Pick<WebhooksService, 'deliver'>;
  evidence: Pick<EvidenceService, 'purgeDue'>;
  blobs: Pick<BlobStore, 'sweepTemporary'>;
  checks: Pick<ChecksService, 'scheduleDue' | 'runScheduled'>;
  health: Pick<HealthService, 'monitorAll' | 'monitorOrg'>;
};

export function jobDefinitions(deps: JobDeps): JobDefinition<any>[] {
  return [
    defineJob({
      name: MAIL_JOB,
      schema: z.object({ orgId: z.string().uuid(), id: z.string().uuid() }),
      handler: ({ orgId, id }) => deps.mail.deliver(orgId, id),
      retryLimit: 8, retryDelaySeconds: 30, retryBackoff: true,
    }),
    defineJob({
      // One signed POST per attempt; the handler records each outcome and marks the last failure itself.
      name: WEBHOOK_DELIVER_JOB,
      schema: z.object({ orgId: z.string().uuid(), deliveryId: z.string().uuid() }),
      handler: ({ orgId, deliveryId }, attempt) => deps.webhooks.deliver(orgId, deliveryId, attempt),
      retryLimit: 8, retryDelaySeconds: deps.config.webhookRetrySeconds, retryBackoff: true,
    }),
    defineJob({
      // Every 5 minutes: time alone makes evidence stale, so every org with live controls is recomputed;
      // a transition into failing or stale publishes control.failing / control.stale once.
      name: HEALTH_MONITOR_JOB,
      schema: z.object({}).passthrough(),
      handler: async () => { await deps.health.monitorAll(); },
      retryLimit: 1, retryDelaySeconds: 60, retryBackoff: false,
      cron: '*/5 * * * *',
    }),
    defineJob({
      // After a new check result: the same recompute for just that org, so a failure is heard within seconds.
      name: HEALTH_RECOMPUTE_JOB,
      schema: z.object({ orgId: z.string().uuid() }),
      handler: async ({ orgId }) => { await deps.health.monitorOrg(orgId); },
      retryLimit: 3, retryDelaySeconds: 10, retryBackoff: true,
    }),
    defineJob({
      name: 'sessions.purge',
      schema: z.object({}).passthrough(),
      handler: async () => { await deps.repos.accounts.purgeExpiredSessions(deps.config.sessionIdleMs); },
      retryLimit: 2, retryDelaySeconds: 60, retryBackoff: false,
      cron: '*/15 * * * *',
    }),
    defineJob({
      // Signs a checkpoint for every org whose log grew since its last one.
      name: LEDGER_CHECKPOINT_JOB,
      schema: z.object({}).passthrough(),
      handler: async () => { await deps.ledger.checkpointGrown(); },
      retryLimit: 2, retryDelaySeconds: 60, retryBackoff: false,
      cron: '*/10 * * * *',
    }),
    defineJob({
      // Daily: recomputes every org's log with entries from its stored bytes and records the result (trigger 'schedule').
      name: LEDGER_AUDIT_JOB,
      schema: z.object({}).passthrough(),
      handler: async () => { await deps.ledger.auditAll('schedule'); },
      retryLimit: 1, retryDelaySeconds: 600, retryBackoff: false,
      cron: '17 3 * * *',
    }),
    defineJob({
      // Hourly: certified/attested records past their validity become expired (history actor "system").
      // Reads of the register apply the same function, so nobody sees a stale status in between.
      name: CERTIFICATIONS_EXPIRE_JOB,
      schema: z.object({}).passthrough(),
      handler: async () => { await deps.certifications.expireAll(); },
      retryLimit: 2, retryDelaySeconds: 300, retryBackoff: false,
      cron: '7 * * * *',
    }),
    defineJob({
      // Daily: deletes files past their retention date (never under legal hold); rows and log entries stay.
      name: 'evidence.purge',
      schema: z.object({}).passthrough(),
      handler: async () => { await deps.evidence.purgeDue(); },
      retryLimit: 2, retryDelaySeconds: 600, retryBackoff: false,
      cron: '41 2 * * *',
    }),
    defineJob({
      // Every minute: claims the due checks (FOR UPDATE SKIP LOCKED, so two nodes never hand one out twice) and queues a run each.
      name: CHECKS_SCHEDULE_JOB,
      schema: z.object({}).passthrough(),
      handler: async () => { await deps.checks.scheduleDue(); },
      retryLimit: 0, retryDelaySeconds: 30, retryBackoff: false,
      cron: '* * * * *',
    }),
    defineJob({
      // One scheduled run. A check that cannot reach its system is an 'error' run, not a job failure;
      // retries cover the database being briefly away. The next tick does not wait for this one.
      name: CHECKS_RUN_JOB,
      schema: z.object({ orgId: z.string().uuid(), id: z.string().uuid() }),
      handler: async ({ orgId, id }) => { await deps.checks.runScheduled(orgId, id); },
      retryLimit: 2, retryDelaySeconds: 20, retryBackoff: true,
      // A tick may queue hundreds at once; checks mostly wait on the network.
      concurrency: 16,
    }),
    defineJob({
      // Daily: temporary upload files a crashed process left behind (a day old, so no upload in flight).
      name: 'storage.sweep',
      schema: z.object({}).passthrough(),
      handler: async () => { await deps.blobs.sweepTemporary(24 * 3_600_000); },
      retryLimit: 1, retryDelaySeconds: 600, retryBackoff: false,
      cron: '53 2 * * *',
    }),
  ];
}
