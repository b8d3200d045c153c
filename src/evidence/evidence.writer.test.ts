// Group commit of evidence writes on the real database: concurrent writes share transactions, a
// failing job fails alone, identical content in one batch is stored once, and every version is
// tied to its own log entry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { Transact } from '../db/repos.ts';
import { ConflictError, InvalidInputError, NotFoundError } from '../lib/errors.ts';
import { startTestApp, type TestApp } from '../../tests/support/app.ts';
import { newOrg } from '../../tests/support/factories.ts';
import { createEvidenceWriter, type WriteJob } from './evidence.writer.ts';

let t: TestApp;
before(async () => { t = await startTestApp(); });
after(async () => { await t?.close(); });

async function setUp() {
  const { org, owner } = await newOrg(t, 'Writer');
  const newControl = (code: string) => t.app.services.controls.create(org.id, {
    code, title: 'Change management', description: '', ownerUserId: null, frequency: 'monthly', nature: 'preventive',
    automation: 'manual', lifecycle: 'operating', scope: [], requirements: [],
  }, { userId: owner.id, email: owner.email, ip: null });
  const control = await newControl('OPS-01');
  let transactions = 0;
  const counting: Transact = (fn) => { transactions++; return t.app.services.transact(fn); };
  const writer = createEvidenceWriter({ transact: counting, ledger: t.app.services.ledger, controls: { existingIds: (o, ids) => t.app.services.repos.controls.existingIds(o, ids) } });
  const job = (title: string, over: Partial<WriteJob> = {}): WriteJob => ({
    meta: { title, description: '', controlIds: [control.id], retentionDays: 30 }, controlIds: [control.id],
    content: { kind: 'text', body: `${title} ${crypto.randomUUID()}` }, collector: { kind: 'user', userId: owner.id, label: owner.email }, status: 'submitted',
    ...over,
  });
  return { org, control, newControl, writer, job, transactions: () => transactions };
}

async function assertTiedToLog(orgId: string, rows: { id: string; ledgerIndex: number | null }[]) {
  for (const row of rows) {
    assert.equal(typeof row.ledgerIndex, 'number');
    assert.equal((await t.app.services.repos.evidence.find(orgId, row.id))?.ledgerIndex, row.ledgerIndex, 'the stored row carries its index');
    const entry = await t.app.services.ledger.entry(orgId, row.ledgerIndex!);
    assert.equal(entry.parsed!.record.evidenceId, row.id);
  }
}

test('40 concurrent writes of one org share a few transactions, each version with its own log entry', async () => {
  const { org, writer, job, transactions } = await setUp();
  const written = await Promise.all(Array.from({ length: 40 }, (_, i) => writer.write(org.id, job(`attestation ${i}`))));
  assert.ok(transactions() <= 3, `${transactions()} transactions for 40 writes`);
  const indexes = written.map((w) => w.row.ledgerIndex);
  assert.equal(new Set(indexes).size, 40, 'distinct log entries');
  await assertTiedToLog(org.id, written.map((w) => w.row));
  assert.equal((await t.app.services.ledger.audit(org.id)).ok, true);
});

test('a job that fails in a batch is rejected with its own error; the others of the batch commit', async () => {
  const { org, writer, job, transactions } = await setUp();
  const text = await writer.write(org.id, job('first version'));
  const before = transactions();
  // The first write starts alone; the five submitted with it in the same tick form the next batch.
  const lead = writer.write(org.id, job('lead'));
  const batch = [
    writer.write(org.id, job('good 1')),
    writer.write(org.id, job('unknown series', { meta: { ...job('x').meta, seriesId: crypto.randomUUID() } })),
    writer.write(org.id, job('good 2')),
    writer.write(org.id, job('wrong kind', { meta: { ...job('x').meta, seriesId: text.row.seriesId }, content: { kind: 'link', url: 'https://example.com/a' } })),
    writer.write(org.id, job('good 3', { meta: { ...job('x').meta, title: 'version 2', seriesId: text.row.seriesId } })),
  ];
  const settled = await Promise.allSettled([lead, ...batch]);
  assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
  assert.ok((settled[2] as PromiseRejectedResult).reason instanceof NotFoundError);
  assert.ok((settled[4] as PromiseRejectedResult).reason instanceof ConflictError);
  // The lead alone, then the batch three times: without the unknown series, then without the wrong kind.
  assert.equal(transactions() - before, 4);
  const ok = settled.filter((s) => s.status === 'fulfilled').map((s) => (s as PromiseFulfilledResult<Awaited<typeof lead>>).value.row);
  await assertTiedToLog(org.id, ok);
  assert.equal(ok.at(-1)!.version, 2, 'the new version of the series');
  const titles = (await t.app.services.evidence.list(org.id, { limit: 50 })).items.map((i) => i.title).sort();
  assert.deepEqual(titles, ['first version', 'good 1', 'good 2', 'lead', 'version 2'], 'nothing of the failed jobs was kept');
  assert.equal((await t.app.services.ledger.status(org.id)).treeSize, 5);
});

test('the same file twice in one batch is stored once and logged once', async () => {
  const { org, newControl, writer, job } = await setUp();
  const other = await newControl('OPS-02');
  const sha256 = crypto.randomBytes(32).toString('hex');
  const file = { kind: 'file' as const, sha256, size: 10, mediaType: 'text/plain', fileName: 'a.txt' };
  const lead = writer.write(org.id, job('lead'));
  const [a, b] = await Promise.all([writer.write(org.id, job('export', { content: file })), writer.write(org.id, job('export', { content: file }))]);
  await lead;
  assert.equal(a.duplicate, false);
  assert.equal(b.duplicate, true);
  assert.equal(b.row.id, a.row.id);
  assert.equal(typeof a.row.ledgerIndex, 'number');
  assert.equal(b.row.ledgerIndex, a.row.ledgerIndex, 'the duplicate answers with the version it duplicates, index included');
  assert.equal((await t.app.services.ledger.status(org.id)).treeSize, 2);
  // In a later batch, the same file is the version already held; for other controls it is new.
  const lead2 = writer.write(org.id, job('lead 2'));
  const [again, otherControls] = await Promise.all([
    writer.write(org.id, job('export', { content: file })),
    writer.write(org.id, job('export', { content: file, controlIds: [other.id] })),
  ]);
  await lead2;
  assert.equal(again.duplicate, true);
  assert.equal(again.row.id, a.row.id);
  assert.equal(otherControls.duplicate, false);
  assert.equal((await t.app.services.ledger.status(org.id)).treeSize, 4);
});

test('when a statement for the whole batch fails, the batch is written one job at a time and only the bad job fails', async () => {
  const { org, writer, job, transactions } = await setUp();
  const before = transactions();
  const lead = writer.write(org.id, job('lead'));
  // A file without a size breaks a CHECK constraint of the multi-row insert, which names no job.
  const sizeless = { kind: 'file' as const, sha256: crypto.randomBytes(32).toString('hex'), mediaType: 'text/plain', fileName: 'b.txt' };
  const settled = await Promise.allSettled([lead, writer.write(org.id, job('good 1')), writer.write(org.id, job('no size', { content: sizeless })), writer.write(org.id, job('good 2'))]);
  assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
  assert.match(String((settled[2] as PromiseRejectedResult).reason?.cause ?? (settled[2] as PromiseRejectedResult).reason), /evidence_items_file_has_hash/);
  // The lead; the batch together (fails); one by one up to the bad job; one by one without it.
  assert.equal(transactions() - before, 4);
  const titles = (await t.app.services.evidence.list(org.id, { limit: 50 })).items.map((i) => i.title).sort();
  assert.deepEqual(titles, ['good 1', 'good 2', 'lead']);
  assert.equal((await t.app.services.ledger.status(org.id)).treeSize, 3);
  assert.equal((await t.app.services.ledger.audit(org.id)).ok, true);
});

test('a job naming a control that does not exist fails alone, before the batch transaction', async () => {
  const { org, writer, job, transactions } = await setUp();
  const before = transactions();
  const lead = writer.write(org.id, job('lead'));
  const missing = crypto.randomUUID();
  const settled = await Promise.allSettled([lead, writer.write(org.id, job('good')), writer.write(org.id, job('stray', { controlIds: [missing] }))]);
  assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'fulfilled', 'rejected']);
  const reason = (settled[2] as PromiseRejectedResult).reason as InvalidInputError;
  assert.ok(reason instanceof InvalidInputError);
  assert.deepEqual(reason.fields, [{ path: 'controlIds', message: `No control ${missing}` }]);
  assert.equal(transactions() - before, 2, 'no transaction was rolled back for it');
});
