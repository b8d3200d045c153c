import nodemailer from 'nodemailer';
import type { MailRepo } from './mail.repo.ts';
import type { Config } from '../config/config.ts';
import type { JobSender } from '../jobs/jobs.ts';

export const MAIL_JOB = 'mail.send';

/**
 * Every message is written to the org's outbox first (the record of what was sent); with SMTP
 * configured a job delivers it with retries, without SMTP the outbox page is where developers read it.
 */
export function createMailService(deps: { repo: MailRepo; config: Pick<Config, 'smtpUrl' | 'mailFrom'>; jobs: JobSender }) {
  const transport = deps.config.smtpUrl ? nodemailer.createTransport(deps.config.smtpUrl) : null;
  return {
    smtpConfigured: transport !== null,
    /** Pass the repo of an open transaction so the message is recorded only if the change commits. */
    async send(orgId: string, message: { to: string; subject: string; text: string }, repo: MailRepo = deps.repo) {
      const row = await repo.insert({ orgId, ...message });
      // A job queued for a message whose transaction rolls back finds no row and does nothing.
      if (transport) await deps.jobs.send(MAIL_JOB, { orgId, id: row.id });
      return row;
    },
    async deliver(orgId: string, id: string) {
      const row = await deps.repo.find(orgId, id);
      if (!row || row.sentAt || !transport) return;
      await transport.sendMail({ from: deps.config.mailFrom, to: row.to, subject: row.subject, text: row.text });
      await deps.repo.markSent(orgId, id);
    },
    list: (orgId: string) => deps.repo.list(orgId),
  };
}
export type MailService = ReturnType<typeof createMailService>;
