import PgBoss from 'pg-boss';
import type { z } from 'zod';

/** A job: a name, a payload schema, a handler, and its retry policy declared next to it. */
export type JobDefinition<T = unknown> = {
  name: string;
  schema: z.ZodType<T>;
  /** `attempt` says which try this is, so a handler can record its final failure itself. */
  handler: (data: T, attempt: JobAttempt) => Promise<void>;
  retryLimit: number;
  retryDelaySeconds: number;
  retryBackoff: boolean;
  /** Cron expression (UTC); pg-boss makes sure one node enqueues it per tick across the cluster. */
  cron?: string;
  /** Jobs fetched at once and handled side by side (default 1); each one that throws is failed (and retried) alone. */
  concurrency?: number;
};

export type JobAttempt = { retryCount: number; retryLimit: number; isLast: boolean };

export function defineJob<T>(def: JobDefinition<T>): JobDefinition<T> {
  return def;
}

export type JobSender = { send(name: string, data: object): Promise<string | null> };
export type JobRunner = JobSender & { stop(): Promise<void>; boss: PgBoss };

export async function startJobs(url: string, defs: JobDefinition<any>[], opts: { work: boolean; onError: (e: unknown) => void }): Promise<JobRunner> {
  const boss = new PgBoss({ connectionString: url, max: 4, schedule: opts.work, supervise: opts.work });
  boss.on('error', opts.onError);
  await boss.start();
  for (const def of defs) {
    await boss.createQueue(def.name, { name: def.name, retryLimit: def.retryLimit, retryDelay: def.retryDelaySeconds, retryBackoff: def.retryBackoff });
    if (opts.work) {
      type Fetched = { id: string; data: unknown; retryCount: number; retryLimit: number };
      const handle = (job: Fetched) => def.handler(def.schema.parse(job.data), { retryCount: job.retryCount, retryLimit: job.retryLimit, isLast: job.retryCount >= job.retryLimit });
      const batchSize = def.concurrency ?? 1;
      await boss.work(def.name, { pollingIntervalSeconds: 0.5, includeMetadata: true, batchSize }, async (jobs: Fetched[]) => {
        if (batchSize === 1) {
          for (const job of jobs) await handle(job);
          return;
        }
        // pg-boss completes the whole batch when this resolves; a failed job is failed first, so only it is retried.
        const results = await Promise.allSettled(jobs.map(handle));
        for (const [i, r] of results.entries()) {
          if (r.status === 'rejected') await boss.fail(def.name, jobs[i]!.id, { message: String(r.reason) });
        }
      });
      if (def.cron) await boss.schedule(def.name, def.cron, {}, { tz: 'UTC' });
    }
  }
  return {
    boss,
    send: (name, data) => boss.send(name, data),
    // stop() returns before the workers and the pool are done; 'stopped' says they are, so the
    // database can go away afterwards without connections being cut under pg-boss.
    stop: () => new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 15_000);
      boss.once('stopped', () => { clearTimeout(timer); resolve(); });
      boss.stop({ graceful: true, close: true, timeout: 10_000 }).catch(() => resolve());
    }),
  };
}
