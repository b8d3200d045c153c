import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createGroupCommit, type Settled } from './group-commit.ts';

/** A run that records its batches and takes a little while, like a transaction. */
function recorder(settle: (job: number) => Settled<string> = (j) => ({ ok: true, value: `done ${j}` })) {
  const batches: { key: string; jobs: number[] }[] = [];
  const run = async (key: string, jobs: number[]) => {
    batches.push({ key, jobs });
    await new Promise((r) => setTimeout(r, 5));
    return jobs.map(settle);
  };
  return { batches, run };
}

test('a lone job runs at once; jobs arriving meanwhile go together in the next batch, per key', async () => {
  const { batches, run } = recorder();
  const group = createGroupCommit<number, string>({ maxBatch: 100, run });
  const first = group.submit('a', 0);
  assert.deepEqual(batches, [{ key: 'a', jobs: [0] }], 'started without waiting for company');
  const rest = [1, 2, 3].map((j) => group.submit('a', j));
  const other = group.submit('b', 9);
  assert.deepEqual(await Promise.all([first, ...rest, other]), ['done 0', 'done 1', 'done 2', 'done 3', 'done 9']);
  assert.deepEqual(batches, [{ key: 'a', jobs: [0] }, { key: 'b', jobs: [9] }, { key: 'a', jobs: [1, 2, 3] }]);
});

test('batches are at most maxBatch jobs', async () => {
  const { batches, run } = recorder();
  const group = createGroupCommit<number, string>({ maxBatch: 3, run });
  await Promise.all(Array.from({ length: 8 }, (_, j) => group.submit('k', j)));
  assert.deepEqual(batches.map((b) => b.jobs), [[0], [1, 2, 3], [4, 5, 6], [7]]);
});

test('each job gets its own settlement; a run that throws fails its whole batch and only that batch', async () => {
  const { run } = recorder((j) => (j % 2 ? { ok: false, error: new Error(`odd ${j}`) } : { ok: true, value: `even ${j}` }));
  const group = createGroupCommit<number, string>({ maxBatch: 10, run });
  const settled = await Promise.allSettled([0, 1, 2].map((j) => group.submit('k', j)));
  assert.deepEqual(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message)), ['even 0', 'odd 1', 'even 2']);

  let calls = 0;
  const flaky = createGroupCommit<number, string>({
    maxBatch: 10,
    run: async (_k, jobs) => { if (calls++ === 1) throw new Error('commit failed'); return jobs.map((j) => ({ ok: true, value: String(j) })); },
  });
  const [a, b, c] = await Promise.allSettled([flaky.submit('k', 1), flaky.submit('k', 2), flaky.submit('k', 3)]);
  assert.equal(a.status, 'fulfilled');
  assert.deepEqual([b, c].map((s) => (s as PromiseRejectedResult).reason.message), ['commit failed', 'commit failed']);
  assert.equal(await flaky.submit('k', 4), '4', 'the key works again after a failed batch');
});

test('a run that returns too few results rejects the jobs it left out; drain waits for everything', async () => {
  const group = createGroupCommit<number, string>({ maxBatch: 10, run: async () => [{ ok: true, value: 'only one' }] });
  const first = group.submit('k', 1);
  const pair = [group.submit('k', 2), group.submit('k', 3)].map((p) => p.then((v) => v, (e: Error) => e.message));
  await group.drain();
  assert.equal(await first, 'only one');
  assert.deepEqual(await Promise.all(pair), ['only one', 'The batch returned no result for this job.']);
});
