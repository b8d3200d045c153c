/** What a batch decided for one of its jobs. */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Group commit: jobs submitted under the same key while a batch of that key is being written wait
 * and go together in the next batch, so concurrent writers share one transaction, one lock and one
 * COMMIT instead of queueing for them one by one. A lone job starts at once (no added latency);
 * batches form only under load, up to `maxBatch` jobs. `run` settles each job of a batch; if it
 * throws, every job of that batch fails with its error.
 */
export function createGroupCommit<J, R>(opts: { maxBatch: number; run: (key: string, jobs: J[]) => Promise<Settled<R>[]> }) {
  type Waiting = { job: J; resolve: (r: R) => void; reject: (e: unknown) => void };
  const queues = new Map<string, Waiting[]>();
  const running = new Map<string, Promise<void>>();

  async function drainKey(key: string): Promise<void> {
    const queue = queues.get(key)!;
    while (queue.length) {
      const batch = queue.splice(0, opts.maxBatch);
      try {
        const settled = await opts.run(key, batch.map((w) => w.job));
        batch.forEach((w, i) => {
          const s = settled[i];
          if (!s) w.reject(new Error('The batch returned no result for this job.'));
          else if (s.ok) w.resolve(s.value);
          else w.reject(s.error);
        });
      } catch (e) {
        for (const w of batch) w.reject(e);
      }
    }
    // Synchronously with the emptiness check above, so a job submitted after it starts a new run.
    queues.delete(key);
    running.delete(key);
  }

  return {
    submit(key: string, job: J): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        const queue = queues.get(key) ?? [];
        queues.set(key, queue);
        queue.push({ job, resolve, reject });
        if (!running.has(key)) running.set(key, drainKey(key));
      });
    },
    /** Resolves once every submitted job has settled (shutdown). */
    async drain(): Promise<void> {
      while (running.size) await Promise.allSettled(running.values());
    },
  };
}
