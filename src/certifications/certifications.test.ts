import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../tests/support/app.ts';
import { newMember, newOrg, signIn } from '../../tests/support/factories.ts';
import type { Agent } from '../../tests/support/agent.ts';
import { addMonths, todayUtc, validUntil } from './certifications.rules.ts';

let t: TestApp;
before(async () => { t = await startTestApp(); });
after(async () => { await t?.close(); });

async function setup() {
  const { org, owner } = await newOrg(t, 'Certs');
  const agent = await signIn(t, owner.email);
  const base = `/api/v1/orgs/${org.id}`;
  const product = async (name: string) => (await agent.post(`${base}/products`, { name, kind: 'service' })).json().id as string;
  return { org, owner, agent, base, product };
}
const type2 = (extra: object = {}) => ({
  frameworkId: 'soc2-2017', name: 'SOC 2 Type II', details: { kind: 'soc2-type2', periodStart: '2025-10-01', periodEnd: '2026-09-30' }, ...extra,
});
const daysAgo = (n: number) => todayUtc(new Date(Date.now() - n * 86_400_000));

test('validity: expiry dates win, reports count for the configured months after their anchor date', () => {
  assert.equal(addMonths('2025-08-31', 6), '2026-02-28');
  assert.equal(validUntil({ kind: 'soc2-type2', periodStart: '2025-10-01', periodEnd: '2026-09-30' }, 12), '2027-09-30');
  assert.equal(validUntil({ kind: 'soc2-type1', asOf: '2026-03-31' }, 12), '2027-03-31');
  assert.equal(validUntil({ kind: 'certificate', issuedOn: '2024-01-01', expiresOn: '2027-01-01' }, 12), '2027-01-01');
  assert.equal(validUntil({ kind: 'government-authorization', program: 'FedRAMP', level: 'High' }, 12), null);
});

test('kind-specific fields: a Type 2 without a period is a 400 naming the field; bad dates and unknown frameworks too', async () => {
  const { agent, base } = await setup();
  const noPeriod = await agent.post(`${base}/certifications`, { frameworkId: 'soc2-2017', name: 'SOC 2', details: { kind: 'soc2-type2' } });
  assert.equal(noPeriod.statusCode, 400);
  const paths = noPeriod.json().errors.map((e: { path: string }) => e.path);
  assert.ok(paths.includes('details.periodStart') && paths.includes('details.periodEnd'), JSON.stringify(paths));
  const backwards = await agent.post(`${base}/certifications`, type2({ details: { kind: 'soc2-type2', periodStart: '2026-10-01', periodEnd: '2026-01-01' } }));
  assert.equal(backwards.statusCode, 400);
  assert.equal(backwards.json().errors[0].path, 'details.periodEnd');
  const notADate = await agent.post(`${base}/certifications`, type2({ details: { kind: 'soc2-type2', periodStart: '2026-02-30', periodEnd: '2026-09-30' } }));
  assert.equal(notADate.json().errors[0].path, 'details.periodStart');
  const gov = await agent.post(`${base}/certifications`, { frameworkId: 'ens-2022', name: 'ENS', details: { kind: 'government-authorization', program: 'ENS' } });
  assert.equal(gov.json().errors[0].path, 'details.level');
  const framework = await agent.post(`${base}/certifications`, type2({ frameworkId: 'made-up' }));
  assert.equal(framework.statusCode, 400);
  assert.equal(framework.json().errors[0].path, 'frameworkId');
  // Certified needs the dates of a certificate.
  const cert = await agent.post(`${base}/certifications`, { frameworkId: 'iso27001-2022', name: 'ISO 27001', status: 'certified', details: { kind: 'certificate', issuedOn: '2025-01-10' } });
  assert.equal(cert.statusCode, 400);
  assert.equal(cert.json().errors[0].path, 'details.expiresOn');
  // Reports are attested, not certified.
  const wrong = await agent.post(`${base}/certifications`, type2({ status: 'certified', details: { kind: 'soc2-type2', periodStart: '2025-01-01', periodEnd: '2025-12-31' } }));
  assert.equal(wrong.json().errors[0].path, 'status');
  assert.equal((await agent.get(`${base}/certifications`)).json().items.length, 0, 'nothing was written');
});

test('create, filter and get with history; scope names products in and out of scope', async () => {
  const { agent, base, product } = await setup();
  const cdn = await product('CDN');
  const workers = await product('Workers');
  const res = await agent.post(`${base}/certifications`, type2({
    status: 'in-process', issuer: { name: 'Example Audit LLP', role: 'auditor' }, rolesCovered: ['processor'],
    inScope: [cdn], outOfScope: [workers], locations: ['Frankfurt', 'Ashburn'], scopeNotes: 'Edge network', public: true,
  }));
  assert.equal(res.statusCode, 201, res.body);
  const c = res.json();
  assert.deepEqual(c.inScope.map((p: { name: string }) => p.name), ['CDN']);
  assert.deepEqual(c.outOfScope.map((p: { name: string }) => p.name), ['Workers']);
  assert.deepEqual(c.issuer, { name: 'Example Audit LLP', role: 'auditor' });
  assert.equal(c.validUntil, '2027-09-30');
  assert.equal(c.history.length, 1);
  assert.equal(c.history[0].to, 'in-process');
  await agent.post(`${base}/certifications`, { frameworkId: 'iso27001-2022', name: 'ISO 27001', details: { kind: 'certificate' } });
  assert.equal((await agent.get(`${base}/certifications?status=in-process`)).json().items.length, 1);
  assert.equal((await agent.get(`${base}/certifications?kind=certificate`)).json().items.length, 1);
  assert.equal((await agent.get(`${base}/certifications?frameworkId=soc2-2017`)).json().items[0].id, c.id);
  // A referenced product is archived, not deleted; an unreferenced one goes.
  const del = await agent.delete(`${base}/products/${workers}`);
  assert.equal(del.json().outcome, 'archived');
  assert.equal((await agent.get(`${base}/certifications/${c.id}`)).json().outOfScope[0].archived, true);
  const spare = await product('Spare');
  assert.equal((await agent.delete(`${base}/products/${spare}`)).json().outcome, 'deleted');
  assert.equal((await agent.post(`${base}/products`, { name: 'cdn' })).statusCode, 409, 'names are unique per org, ignoring case');
});

test('transitions: enforced, with reasons in the history and each change in the evidence log', async () => {
  const { org, agent, base } = await setup();
  const c = (await agent.post(`${base}/certifications`, type2({ details: { kind: 'soc2-type2', periodStart: daysAgo(200), periodEnd: daysAgo(20) } }))).json();
  const move = (status: string, reason = `to ${status}`, version?: number) => agent.post(`${base}/certifications/${c.id}/status`, { status, reason, ...(version ? { version } : {}) });
  assert.equal((await move('attested')).statusCode, 409, 'planned cannot jump to attested');
  assert.equal((await agent.post(`${base}/certifications/${c.id}/status`, { status: 'in-process' })).json().errors[0].path, 'reason');
  const sizeBefore = await t.app.services.ledger.treeSize(org.id);
  assert.equal((await move('in-process', 'Fieldwork started')).statusCode, 200);
  assert.equal((await move('audit-complete')).statusCode, 200);
  const attested = await move('attested', 'Report issued');
  assert.equal(attested.statusCode, 200, attested.body);
  assert.equal(attested.json().status, 'attested');
  assert.deepEqual(attested.json().history.map((h: { to: string }) => h.to), ['attested', 'audit-complete', 'in-process', 'planned']);
  assert.equal(attested.json().history[0].reason, 'Report issued');
  assert.equal(await t.app.services.ledger.treeSize(org.id), sizeBefore + 3);
  const entry = await t.app.services.ledger.entry(org.id, attested.json().history[0].ledgerIndex);
  assert.equal(entry.kind, 'certification.status_changed');
  assert.deepEqual({ ...entry.parsed!.record, validUntil: undefined, version: undefined }, {
    certificationId: c.id, name: 'SOC 2 Type II', frameworkId: 'soc2-2017', kind: 'soc2-type2', from: 'audit-complete', to: 'attested', reason: 'Report issued',
    actor: attested.json().history[0].actor, validUntil: undefined, version: undefined,
  });
  assert.equal((await move('withdrawn', 'Scope sold')).statusCode, 200);
  const again = await move('in-process');
  assert.equal(again.statusCode, 409);
  assert.match(again.json().detail, /Withdrawn is final/);
  assert.equal((await agent.patch(`${base}/certifications/${c.id}`, { version: again.json().version ?? 99, name: 'x' })).statusCode, 409);
});

test('a Type 2 cannot be attested before its period ends; stale versions get 409', async () => {
  const { agent, base } = await setup();
  const c = (await agent.post(`${base}/certifications`, type2({ status: 'in-process', details: { kind: 'soc2-type2', periodStart: daysAgo(10), periodEnd: daysAgo(-100) } }))).json();
  const early = await agent.post(`${base}/certifications/${c.id}/status`, { status: 'attested', reason: 'too early' });
  assert.equal(early.statusCode, 400);
  assert.equal(early.json().errors[0].path, 'details.periodEnd');
  const ok = await agent.patch(`${base}/certifications/${c.id}`, { version: c.version, name: 'SOC 2 Type II (2026)' });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().version, c.version + 1);
  const stale = await agent.patch(`${base}/certifications/${c.id}`, { version: c.version, name: 'Lost update' });
  assert.equal(stale.statusCode, 409);
  assert.equal((await agent.get(`${base}/certifications/${c.id}`)).json().name, 'SOC 2 Type II (2026)');
});

test('automatic expiry: on read and by the job, with a system history entry and a ledger entry', async () => {
  const { org, agent, base } = await setup();
  const cert = (await agent.post(`${base}/certifications`, {
    frameworkId: 'iso27001-2022', name: 'ISO 27001', status: 'certified', details: { kind: 'certificate', issuedOn: daysAgo(900), expiresOn: daysAgo(-30), certificateNumber: 'IS 123' },
  })).json();
  assert.equal(cert.status, 'certified');
  // Its expiry date passes (set behind the API's back, as time would).
  await t.app.services.database.pool.query(`UPDATE certifications SET expires_on = current_date - 1 WHERE id = $1`, [cert.id]);
  const listed = (await agent.get(`${base}/certifications`)).json().items[0];
  assert.equal(listed.status, 'expired');
  const got = (await agent.get(`${base}/certifications/${cert.id}`)).json();
  assert.equal(got.history[0].actor, 'system');
  assert.equal(got.history[0].from, 'certified');
  assert.equal((await t.app.services.ledger.entry(org.id, got.history[0].ledgerIndex)).parsed!.record.actor, 'system');
  assert.equal(got.history.filter((h: { to: string }) => h.to === 'expired').length, 1, 'expired once');

  // A report: period end plus 12 months; the job handles it without any read.
  const report = (await agent.post(`${base}/certifications`, type2({ status: 'attested', details: { kind: 'soc2-type2', periodStart: daysAgo(500), periodEnd: daysAgo(300) } }))).json();
  assert.equal(report.status, 'attested');
  await t.app.services.database.pool.query(`UPDATE certifications SET period_end = current_date - interval '13 months', period_start = current_date - interval '20 months' WHERE id = $1`, [report.id]);
  assert.equal(await t.app.services.certifications.expireAll(), 1);
  const row = await t.app.services.repos.certifications.find(org.id, report.id);
  assert.equal(row?.status, 'expired');
  // Creating one already past its validity as attested is refused.
  const late = await agent.post(`${base}/certifications`, type2({ status: 'attested', details: { kind: 'soc2-type2', periodStart: '2020-01-01', periodEnd: '2020-12-31' } }));
  assert.equal(late.statusCode, 400);
  assert.match(late.json().detail, /expired/);
});

test('tenant isolation: another org\'s products are rejected in scope; roles: viewers read, admins write', async () => {
  const a = await setup();
  const b = await setup();
  const foreign = await b.product('Their product');
  const res = await a.agent.post(`${a.base}/certifications`, type2({ inScope: [foreign] }));
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().errors[0].path, 'inScope.0');
  const mine = (await a.agent.post(`${a.base}/certifications`, type2())).json();
  assert.equal((await b.agent.get(`${a.base}/certifications/${mine.id}`)).statusCode, 404);
  assert.equal((await b.agent.get(`${b.base}/certifications/${mine.id}`)).statusCode, 404);
  const out = await a.agent.patch(`${a.base}/certifications/${mine.id}`, { version: mine.version, outOfScope: [foreign] });
  assert.equal(out.json().errors[0].path, 'outOfScope.0');

  for (const role of ['viewer', 'editor'] as const) {
    const agent: Agent = await signIn(t, (await newMember(t, a.org.id, role)).email);
    assert.equal((await agent.get(`${a.base}/certifications`)).statusCode, 200);
    assert.equal((await agent.post(`${a.base}/certifications`, type2())).statusCode, 403);
    assert.equal((await agent.post(`${a.base}/certifications/${mine.id}/status`, { status: 'in-process', reason: 'x' })).statusCode, 403);
    assert.equal((await agent.post(`${a.base}/products`, { name: 'Nope' })).statusCode, 403);
  }
});

test('edits keep what the status needs; withdrawn records are final; expired records can restart', async () => {
  const { agent, base } = await setup();
  const cert = (await agent.post(`${base}/certifications`, {
    frameworkId: 'iso27001-2022', name: 'ISO 27001', status: 'certified', details: { kind: 'certificate', issuedOn: daysAgo(100), expiresOn: daysAgo(-900) },
  })).json();
  const stripped = await agent.patch(`${base}/certifications/${cert.id}`, { version: cert.version, details: { kind: 'certificate', issuedOn: daysAgo(100) } });
  assert.equal(stripped.statusCode, 400);
  assert.equal(stripped.json().errors[0].path, 'details.expiresOn');
  const toReport = await agent.patch(`${base}/certifications/${cert.id}`, { version: cert.version, details: { kind: 'soc3', periodStart: daysAgo(400), periodEnd: daysAgo(40) } });
  assert.equal(toReport.json().errors[0].path, 'details.kind', 'a certified record cannot become a report, which is attested');
  // Dates moved into the past: the answer already shows it expired.
  const lapsed = await agent.patch(`${base}/certifications/${cert.id}`, { version: cert.version, details: { kind: 'certificate', issuedOn: daysAgo(1200), expiresOn: daysAgo(2) } });
  assert.equal(lapsed.statusCode, 200, lapsed.body);
  assert.equal(lapsed.json().status, 'expired');
  const restart = await agent.post(`${base}/certifications/${cert.id}/status`, { status: 'in-process', reason: 'Recertification audit booked', version: lapsed.json().version });
  assert.equal(restart.statusCode, 200, restart.body);
  assert.deepEqual(restart.json().history.map((h: { to: string }) => h.to), ['in-process', 'expired', 'certified']);
  const withdrawn = (await agent.post(`${base}/certifications/${cert.id}/status`, { status: 'withdrawn', reason: 'Dropped' })).json();
  const edit = await agent.patch(`${base}/certifications/${cert.id}`, { version: withdrawn.version, name: 'Renamed' });
  assert.equal(edit.statusCode, 409);
  assert.match(edit.json().detail, /final/);
  assert.deepEqual(withdrawn.nextStatuses, []);
});

test('the framework picker lists the built-in catalogs', async () => {
  const { agent, base } = await setup();
  const items = (await agent.get(`${base}/certifications/frameworks`)).json().items as { id: string; name: string }[];
  assert.ok(items.some((f) => f.id === 'soc2-2017' && f.name.includes('SOC 2')));
  assert.ok(items.some((f) => f.id === 'ens-2022'));
});
