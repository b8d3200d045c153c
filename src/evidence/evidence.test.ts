// Evidence through the real app: records in the evidence log, four-eyes review, versions, dedup, tamper detection, retention.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startTestApp, type TestApp } from '../../tests/support/app.ts';
import { newMember, newOrg, signIn } from '../../tests/support/factories.ts';

let t: TestApp;
before(async () => { t = await startTestApp(); });
after(async () => { await t?.close(); });

async function orgWithControl() {
  const { org, owner } = await newOrg(t, 'Evidence');
  const actor = { userId: owner.id, email: owner.email, ip: null };
  const control = await t.app.services.controls.create(org.id, {
    code: 'IAM-02', title: 'Quarterly access review', description: '', ownerUserId: null, frequency: 'quarterly', nature: 'detective',
    automation: 'manual', lifecycle: 'operating', scope: [], requirements: [{ framework: 'soc2-2017', id: 'CC6.2' }],
  }, actor);
  return { org, owner, control, agent: await signIn(t, owner.email) };
}

function multipart(fields: Record<string, string>, file: { name: string; type: string; data: Buffer }) {
  const boundary = `----attest${crypto.randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.name}"\r\ncontent-type: ${file.type}\r\n\r\n`), file.data, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const ledgerSize = async (orgId: string) => (await t.app.services.ledger.status(orgId)).treeSize;

test('an uploaded file is stored by hash, logged with its controls and period, and verifies against a checkpoint', async () => {
  const { org, control, agent } = await orgWithControl();
  const data = Buffer.from('%PDF-1.4\n% access review Q3\n');
  const body = multipart({ title: 'Q3 access review', controlIds: control.id, periodStart: '2026-07-01', periodEnd: '2026-09-30' }, { name: 'review.pdf', type: 'application/pdf', data });
  const res = await agent.request('POST', `/api/v1/orgs/${org.id}/evidence/files`, body.payload, body.headers);
  assert.equal(res.statusCode, 201, res.body);
  const ev = res.json().evidence;
  assert.equal(ev.sha256, crypto.createHash('sha256').update(data).digest('hex'));
  assert.equal(ev.mediaType, 'application/pdf');
  assert.equal(ev.status, 'submitted');
  assert.deepEqual(ev.controlIds, [control.id]);
  assert.equal(typeof ev.ledgerIndex, 'number');

  const entry = await t.app.services.ledger.entry(org.id, ev.ledgerIndex);
  assert.equal(entry.kind, 'evidence.added');
  assert.equal(entry.parsed!.record.sha256, ev.sha256);
  assert.deepEqual(entry.parsed!.record.controls, [control.id]);
  assert.equal(entry.parsed!.record.periodEnd, '2026-09-30T00:00:00.000Z');

  assert.equal((await agent.get(`/api/v1/orgs/${org.id}/evidence/${ev.id}/verification`)).json().state, 'pending-checkpoint');
  await t.app.services.ledger.checkpoint(org.id);
  const v = (await agent.get(`/api/v1/orgs/${org.id}/evidence/${ev.id}/verification`)).json();
  assert.equal(v.state, 'verified', v.detail);
  assert.equal(v.fileIntact, true);

  const file = await agent.get(`/api/v1/orgs/${org.id}/evidence/${ev.id}/file`);
  assert.equal(file.statusCode, 200);
  assert.deepEqual(file.rawPayload, data);

  // The same bytes for the same control and period are the evidence already held.
  const again = await agent.request('POST', `/api/v1/orgs/${org.id}/evidence/files`, body.payload, body.headers);
  assert.equal(again.statusCode, 200);
  assert.equal(again.json().duplicate, true);
  assert.equal(again.json().evidence.id, ev.id);
});

test('a bad upload form or an unknown control is refused and leaves nothing behind', async () => {
  const { org, agent } = await orgWithControl();
  const size = await ledgerSize(org.id);
  const data = crypto.randomBytes(4096);
  const noControl = multipart({ title: 'x' }, { name: 'a.bin', type: 'application/octet-stream', data });
  const r1 = await agent.request('POST', `/api/v1/orgs/${org.id}/evidence/files`, noControl.payload, noControl.headers);
  assert.equal(r1.statusCode, 400);
  assert.ok(r1.json().errors.some((e: { path: string }) => e.path === 'controlIds'));
  const unknown = multipart({ title: 'x', controlIds: crypto.randomUUID() }, { name: 'a.bin', type: 'application/octet-stream', data });
  const r2 = await agent.request('POST', `/api/v1/orgs/${org.id}/evidence/files`, unknown.payload, unknown.headers);
  assert.equal(r2.statusCode, 400);
  assert.equal(await ledgerSize(org.id), size);
  assert.equal(await t.app.services.blobs.stat(crypto.createHash('sha256').update(data).digest('hex')), null);
  assert.equal((await agent.get(`/api/v1/orgs/${org.id}/evidence`)).json().items.length, 0);
});

test('review is four-eyes, once, and a rejection needs a reason', async () => {
  const { org, control, agent } = await orgWithControl();
  const created = await agent.post(`/api/v1/orgs/${org.id}/evidence`, { kind: 'text', body: 'We reviewed all admin accounts on 2026-10-01.', meta: { title: 'Attestation', controlIds: [control.id] } });
  assert.equal(created.statusCode, 201, created.body);
  const id = created.json().evidence.id;
  assert.equal((await agent.post(`/api/v1/orgs/${org.id}/evidence/${id}/review`, { decision: 'accepted' })).statusCode, 403);
  const reviewer = await signIn(t, (await newMember(t, org.id, 'editor')).email);
  const noReason = await reviewer.post(`/api/v1/orgs/${org.id}/evidence/${id}/review`, { decision: 'rejected' });
  assert.equal(noReason.statusCode, 400);
  assert.equal(noReason.json().errors[0].path, 'reason');
  const ok = await reviewer.post(`/api/v1/orgs/${org.id}/evidence/${id}/review`, { decision: 'accepted' });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().status, 'accepted');
  assert.equal((await reviewer.post(`/api/v1/orgs/${org.id}/evidence/${id}/review`, { decision: 'rejected', reason: 'late' })).statusCode, 409);
  const viewer = await signIn(t, (await newMember(t, org.id, 'viewer')).email);
  assert.equal((await viewer.post(`/api/v1/orgs/${org.id}/evidence/${id}/review`, { decision: 'accepted' })).statusCode, 403);
});

test('a new version joins its series; nothing is overwritten', async () => {
  const { org, control, agent } = await orgWithControl();
  const v1 = (await agent.post(`/api/v1/orgs/${org.id}/evidence`, { kind: 'link', url: 'https://wiki.example.test/review-q2', meta: { title: 'Review', controlIds: [control.id] } })).json().evidence;
  const v2 = (await agent.post(`/api/v1/orgs/${org.id}/evidence`, { kind: 'link', url: 'https://wiki.example.test/review-q3', meta: { title: 'Review', controlIds: [control.id], seriesId: v1.seriesId } })).json().evidence;
  assert.equal(v2.version, 2);
  assert.equal(v2.seriesId, v1.seriesId);
  const series = (await agent.get(`/api/v1/orgs/${org.id}/evidence?seriesId=${v1.seriesId}`)).json().items;
  assert.deepEqual(series.map((e: { version: number }) => e.version), [2, 1]);
  const wrongKind = await agent.post(`/api/v1/orgs/${org.id}/evidence`, { kind: 'text', body: 'x', meta: { title: 'Review', controlIds: [control.id], seriesId: v1.seriesId } });
  assert.equal(wrongKind.statusCode, 409);
});

test('an UPDATE of an evidence row after logging is caught by its verification state and by the log audit', async () => {
  const { org, control, agent } = await orgWithControl();
  const ev = (await agent.post(`/api/v1/orgs/${org.id}/evidence`, { kind: 'link', url: 'https://ci.example.test/run/1', meta: { title: 'CI run', controlIds: [control.id] } })).json().evidence;
  assert.equal((await t.app.services.ledger.audit(org.id)).ok, true);
  await t.app.services.database.pool.query(`UPDATE evidence_items SET url = 'https://ci.example.test/run/2' WHERE id = $1`, [ev.id]);
  assert.equal((await agent.get(`/api/v1/orgs/${org.id}/evidence/${ev.id}/verification`)).json().state, 'mismatch');
  const report = await t.app.services.ledger.audit(org.id);
  assert.equal(report.ok, false);
  assert.ok(report.problems.some((p) => p.code === 'record_mismatch' && p.index === ev.ledgerIndex), JSON.stringify(report.problems));
});

test('retention purges files past their date unless on legal hold, and logs the purge', async () => {
  const { org, control, agent } = await orgWithControl();
  const upload = async (text: string) => {
    const body = multipart({ title: text, controlIds: control.id, retentionDays: '1' }, { name: `${text}.txt`, type: 'text/plain', data: Buffer.from(`${text} ${crypto.randomUUID()}`) });
    return (await agent.request('POST', `/api/v1/orgs/${org.id}/evidence/files`, body.payload, body.headers)).json().evidence;
  };
  const kept = await upload('held');
  const gone = await upload('expired');
  assert.equal((await agent.request('PUT', `/api/v1/orgs/${org.id}/evidence/${kept.id}/legal-hold`, { hold: true, reason: 'Litigation 2026-14' })).statusCode, 200);
  const purged = await t.app.services.evidence.purgeDue(new Date(Date.now() + 3 * 86_400_000));
  assert.ok(purged >= 1);
  assert.equal(await t.app.services.blobs.stat(gone.sha256), null);
  assert.notEqual(await t.app.services.blobs.stat(kept.sha256), null);
  assert.equal((await agent.get(`/api/v1/orgs/${org.id}/evidence/${gone.id}/file`)).statusCode, 409);
  const row = (await agent.get(`/api/v1/orgs/${org.id}/evidence/${gone.id}`)).json();
  assert.ok(row.purgedAt);
  assert.equal((await t.app.services.ledger.audit(org.id)).ok, true);
});
