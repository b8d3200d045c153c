import { z } from 'zod';
import { defineJob, type JobDefinition } from './jobs.ts';
import { MAIL_JOB, type MailService } from '../mail/mail.service.ts';
import type { Repos } from '../db/repos.ts';
import type { Config } from '../config/config.ts';

/** Every background job of the product, with its retry policy beside its handler. */
export function jobDefinitions(deps: { mail: MailService; repos: Repos; config: Config }): JobDefinition<any>[] {
  return [
    defineJob({
      name: MAIL_JOB,
      schema: z.object({ orgId: z.string().uuid(), id: z.string().uuid() }),
      handler: ({ orgId, id }) => deps.mail.deliver(orgId, id),
      retryLimit: 8, retryDelaySeconds: 30, retryBackoff: true,
    }),
    defineJob({
      name: 'sessions.purge',
      schema: z.object({}).passthrough(),
      handler: async () => { await deps.repos.accounts.purgeExpiredSessions(deps.config.sessionIdleMs); },
      retryLimit: 2, retryDelaySeconds: 60, retryBackoff: false,
      cron: '*/15 * * * *',
    }),
  ];
}
