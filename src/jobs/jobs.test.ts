import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { freshDatabaseUrl } from '../../tests/support/db.ts';
import { defineJob, startJobs, type JobRunner } from './jobs.ts';

// One fresh database; a working runner (worker + scheduler) and an enqueue-only runner on it.
let url: string;
let worker: JobRunner;
let enqueuer: JobRunner;
const errors: unknown[] = [];

const flakyCalls: number[] = [];
const strictCalls: unknown[] = [];
const queuedOnlyCalls: unknown[] = [];

const flaky = defineJob({
  name: 'test.flaky',
  schema: z.object({ n: z.number() }),
  handler: async ({ n }) => {
    flakyCalls.push(n);
    if (flakyCalls.length === 1) throw new Error('first attempt fails on purpose');
  },
  retryLimit: 2, retryDelaySeconds: 1, retryBackoff: false,
});
const strict = defineJob({
  name: 'test.strict',
  schema: z.object({ id: z.string().uuid() }),
  handler: async (data) => { strictCalls.push(data); },
  retryLimit: 0, retryDelaySeconds: 1, retryBackoff: false,
});
const scheduled = defineJob({
  name: 'test.scheduled',
  schema: z.object({}).passthrough(),
  handler: async () => undefined,
  retryLimit: 0, retryDelaySeconds: 1, retryBackoff: false,
  cron: '*/5 * * * *',
});
// Only the enqueue-only runner knows this one, so no worker anywhere may pick it up.
const queuedOnly = defineJob({
  name: 'test.queued-only',
  schema: z.object({ x: z.number() }),
  handler: async (data) => { queuedOnlyCalls.push(data); },
  retryLimit: 0, retryDelaySeconds: 1, retryBackoff: false,
  cron: '*/7 * * * *',
});

before(async () => {
  url = await freshDatabaseUrl();
  worker = await startJobs(url, [flaky, strict, scheduled], { work: true, onError: (e) => errors.push(e) });
  enqueuer = await startJobs(url, [queuedOnly], { work: false, onError: (e) => errors.push(e) });
});

after(async () => {
  await enqueuer?.stop().catch(() => undefined);
  await worker?.stop().catch(() => undefined);
});

type JobRow = { state: string; retryCount: number; output: unknown };

async function waitForState(runner: JobRunner, name: string, id: string, states: string[], timeoutMs = 30_000): Promise<JobRow> {
  const deadline = Date.now() + timeoutMs;
  let job: JobRow | null = null;
  while (Date.now() < deadline) {
    job = (await runner.boss.getJobById(name, id)) as unknown as JobRow | null;
    if (job && states.includes(job.state)) return job;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`job ${name}/${id} did not reach ${states.join('|')} within ${timeoutMs} ms (last state: ${job?.state ?? 'missing'})`);
}

test('a handler that fails once is retried per its definition and then completes', async () => {
  const id = await worker.send(flaky.name, { n: 7 });
  assert.ok(id, 'send returns a job id');
  const job = await waitForState(worker, flaky.name, id, ['completed', 'failed']);
  assert.equal(job.state, 'completed');
  assert.deepEqual(flakyCalls, [7, 7], 'the handler ran exactly twice');
  assert.equal(job.retryCount, 1);
});

test('a payload that fails the job schema ends failed, and the handler never runs', async () => {
  const id = await worker.send(strict.name, { id: 'not-a-uuid' });
  assert.ok(id);
  const job = await waitForState(worker, strict.name, id, ['completed', 'failed']);
  assert.equal(job.state, 'failed');
  assert.deepEqual(strictCalls, []);
  // A valid payload on the same queue still completes, so the failure above is the schema's doing.
  const okId = await worker.send(strict.name, { id: '5b0c2f4e-8f0a-4c39-9d7c-2b1d6f1e9a10' });
  assert.ok(okId);
  assert.equal((await waitForState(worker, strict.name, okId, ['completed', 'failed'])).state, 'completed');
  assert.equal(strictCalls.length, 1);
});

test('a definition with cron is registered as a pg-boss schedule (only by a working runner)', async () => {
  const schedules = (await worker.boss.getSchedules()) as { name: string; cron: string; timezone?: string }[];
  const mine = schedules.find((s) => s.name === scheduled.name);
  assert.ok(mine, `expected a schedule for ${scheduled.name}, got ${JSON.stringify(schedules.map((s) => s.name))}`);
  assert.equal(mine.cron, scheduled.cron);
  assert.equal(mine.timezone, 'UTC');
  assert.equal(schedules.find((s) => s.name === queuedOnly.name), undefined, 'work:false must not register schedules');
  assert.equal(schedules.find((s) => s.name === flaky.name), undefined, 'definitions without cron are not scheduled');
});

test('a work:false runner only enqueues: the job stays queued and nothing handles it', async () => {
  const id = await enqueuer.send(queuedOnly.name, { x: 1 });
  assert.ok(id);
  // Several polling intervals of the working runner (0.5 s) pass without the job moving.
  await new Promise((r) => setTimeout(r, 2_500));
  const job = (await enqueuer.boss.getJobById(queuedOnly.name, id)) as unknown as JobRow | null;
  assert.ok(job, 'the job exists');
  assert.equal(job.state, 'created');
  assert.deepEqual(queuedOnlyCalls, []);
});
