import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from '../../tests/support/app.ts';
import { newMember, newOrg, signIn } from '../../tests/support/factories.ts';
import { verifyWebhookSignature } from '../notifications/webhook-signature.ts';

type Received = { path: string; headers: Record<string, string>; body: string };
let t: TestApp;
let server: http.Server;
let receiverUrl = '';
const received: Received[] = [];
const DAY = 86_400_000;

before(async () => {
  t = await startTestApp({ webhookAllowHttpLoopback: true, webhookRetrySeconds: 1 });
  // A real webhook receiver on loopback.
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => { server?.closeAllConnections(); server?.close(); await t?.close(); });

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 150));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const actorOf = (u: { id: string; email: string }) => ({ userId: u.id, email: u.email, ip: null });
const checkCollector = { kind: 'check' as const, userId: null, label: 'check fixture' };

async function setup(frequency: 'quarterly' | 'monthly' = 'quarterly') {
  const { org, owner } = await newOrg(t);
  const controlOwner = await newMember(t, org.id, 'editor');
  const s = t.app.services;
  await s.catalog.setScope(org.id, ['soc2-2017'], actorOf(owner));
  const control = await s.controls.create(org.id, {
    code: `AR-${crypto.randomUUID().slice(0, 6)}`, title: 'Quarterly access review', description: '', ownerUserId: controlOwner.id, frequency,
    nature: 'detective', automation: 'manual', lifecycle: 'operating', scope: [], requirements: [{ framework: 'soc2-2017', id: 'CC6.1' }],
  }, actorOf(owner));
  return { org, owner, controlOwner, control };
}

const events = async (orgId: string, type: string) =>
  (await t.app.services.database.pool.query(`SELECT id, subject, data FROM notification_events WHERE org_id = $1 AND type = $2`, [orgId, type])).rows;

// Quarterly allows 92 days plus a grace of a tenth (freshness.ts): 100 days is still fresh, 110 is not.
test('a quarterly control whose accepted evidence is 110 days old turns stale (100 days is still within its grace): one event, one email to its owner, one signed webhook', async () => {
  const { org, owner, controlOwner, control } = await setup('quarterly');
  const s = t.app.services;
  const admin = await signIn(t, owner.email);
  const hook = await admin.post(`/api/v1/orgs/${org.id}/webhooks`, { url: `${receiverUrl}/stale`, events: ['control.stale'] });
  assert.equal(hook.statusCode, 201, hook.body);
  const rule = await admin.post(`/api/v1/orgs/${org.id}/notification-rules`, { name: 'owners hear of stale controls', events: ['control.stale'], toOwners: true });
  assert.equal(rule.statusCode, 201, rule.body);

  const before = await admin.get(`/api/v1/orgs/${org.id}/health/controls`);
  assert.deepEqual(before.json().items.map((i: { health: string }) => i.health), ['no-evidence']);

  await s.evidence.addCheckResult(org.id, {
    checkId: crypto.randomUUID(), status: 'pass', title: 'Access review export', output: 'ok', controlIds: [control.id], collectedAt: new Date(Date.now() - 100 * DAY),
  }, checkCollector);
  await until('the triggered recompute', async () => (await s.repos.health.stored(org.id)).length > 0);
  assert.equal((await s.health.monitorOrg(org.id)).published.length, 0, '100 days: still passing');
  assert.equal((await s.health.controls(org.id))[0]!.health, 'passing');
  // Ten more days pass (written to the row, so the background jobs see the same age as this test).
  await s.database.pool.query(`UPDATE evidence_items SET collected_at = now() - interval '110 days' WHERE org_id = $1`, [org.id]);
  const first = await s.health.monitorOrg(org.id);
  const again = await s.health.monitorOrg(org.id);
  await s.health.monitorAll();
  assert.equal(again.published.length, 0, 'rerunning publishes nothing new');
  const stale = await until('the control.stale event', async () => { const e = await events(org.id, 'control.stale'); return e.length ? e : null; });
  assert.equal(stale.length, 1, 'exactly one event for the transition');
  assert.ok(first.published.length <= 1, 'the triggered job may have seen the transition first');
  assert.equal(stale[0].subject.id, control.id);
  assert.equal(stale[0].data.health, 'stale');

  const mails = (await s.repos.mail.list(org.id)).filter((m) => m.subject.includes('control.stale'));
  assert.deepEqual(mails.map((m) => m.to), [controlOwner.email.toLowerCase()], 'the subject owner gets the email');
  assert.match(mails[0]!.text, /Quarterly access review/);

  const got = await until('the webhook', async () => received.find((r) => r.path === '/stale'));
  assert.equal(verifyWebhookSignature(hook.json().secret, got.headers, got.body).ok, true);
  assert.equal(JSON.parse(got.body).type, 'control.stale');
  assert.equal(JSON.parse(got.body).id, stale[0].id);

  const list = (await admin.get(`/api/v1/orgs/${org.id}/health/controls`)).json().items;
  assert.equal(list[0].health, 'stale');
  assert.match(list[0].reason, /quarterly control needs newer/);
  assert.ok(list[0].since, 'the job has recorded when it went stale');
  const summary = (await admin.get(`/api/v1/orgs/${org.id}/health`)).json();
  assert.deepEqual(summary.counts, { passing: 0, failing: 0, stale: 1, noEvidence: 0, total: 1 });
  const soc2 = summary.frameworks.find((f: { framework: { id: string } }) => f.framework.id === 'soc2-2017');
  // CC6.1 and whatever it reaches through mappings rest on the stale control; the rest are gaps.
  assert.ok(soc2.stale >= 1);
  assert.deepEqual([soc2.passing, soc2.failing, soc2.noEvidence, soc2.satisfiedAndPassing], [0, 0, 0, 0]);
  assert.equal(soc2.stale + soc2.gaps, soc2.requirements);
  // The coverage explanation carries the control's health too.
  const why = (await admin.get(`/api/v1/orgs/${org.id}/coverage/soc2-2017/requirements/CC6.1`)).json();
  assert.equal(why.paths[0].control.health, 'stale');
});

test('a failing check result triggers a recompute on its own and publishes control.failing; recovery and the timeline', async () => {
  const { org, owner, control } = await setup('monthly');
  const s = t.app.services;
  const checkId = crypto.randomUUID();
  await s.evidence.addCheckResult(org.id, { checkId, status: 'pass', title: 'TLS check', output: 'TLS 1.3', controlIds: [control.id], collectedAt: new Date() }, checkCollector);
  await until('passing recorded by the triggered job', async () => (await s.repos.health.stored(org.id)).find((h) => h.health === 'passing'));
  await s.evidence.addCheckResult(org.id, { checkId, status: 'fail', title: 'TLS check', output: 'TLS 1.0 offered', controlIds: [control.id], collectedAt: new Date() }, checkCollector);
  const failing = await until('control.failing', async () => { const e = await events(org.id, 'control.failing'); return e.length ? e : null; });
  assert.equal(failing.length, 1);
  assert.equal(failing[0].data.previous, 'passing');
  assert.equal((await s.health.monitorOrg(org.id)).published.length, 0);
  await s.evidence.addCheckResult(org.id, { checkId, status: 'pass', title: 'TLS check', output: 'TLS 1.3', controlIds: [control.id], collectedAt: new Date() }, checkCollector);
  await until('recovered', async () => (await s.repos.health.stored(org.id)).find((h) => h.health === 'passing'));
  assert.equal((await events(org.id, 'control.failing')).length, 1, 'recovering publishes nothing');

  const viewer = await signIn(t, (await newMember(t, org.id, 'viewer')).email);
  const res = await viewer.get(`/api/v1/orgs/${org.id}/controls/${control.id}/timeline`);
  assert.equal(res.statusCode, 200, res.body);
  const items = res.json().items as { type: string; state: string | null; ledgerIndex: number | null; summary: string }[];
  assert.deepEqual(items.filter((i) => i.type === 'check.result').map((i) => i.state), ['pass', 'fail', 'pass']);
  assert.ok(items.filter((i) => i.type === 'check.result').every((i) => Number.isInteger(i.ledgerIndex)), 'each result carries its log index');
  assert.deepEqual(items.filter((i) => i.type === 'health.changed').map((i) => i.state), ['passing', 'failing', 'passing']);
  assert.equal(items.at(-1)!.summary, 'Control created');

  // Another tenant sees nothing; an unknown control is a 404.
  const other = await signIn(t, (await newOrg(t)).owner.email);
  assert.equal((await other.get(`/api/v1/orgs/${org.id}/controls/${control.id}/timeline`)).statusCode, 404);
  assert.equal((await other.get(`/api/v1/orgs/${org.id}/health`)).statusCode, 404);
  const admin = await signIn(t, owner.email);
  assert.equal((await admin.get(`/api/v1/orgs/${org.id}/controls/${crypto.randomUUID()}/timeline`)).statusCode, 404);
  assert.equal((await admin.get(`/api/v1/orgs/${org.id}/controls/not-a-uuid/timeline`)).statusCode, 400);
});

test('reviewed evidence shows on the timeline with the review’s own log index', async () => {
  const { org, owner, controlOwner, control } = await setup('quarterly');
  const s = t.app.services;
  const { evidence: item } = await s.evidence.addRecord(org.id, { kind: 'text', body: 'We reviewed all access.', meta: { title: 'Q3 access review', description: '', controlIds: [control.id], retentionDays: 400 } },
    { kind: 'user', userId: controlOwner.id, label: controlOwner.email });
  await s.evidence.review(org.id, item.id, { decision: 'accepted' }, { userId: owner.id });
  const { items } = await s.health.timeline(org.id, control.id);
  const added = items.find((i) => i.type === 'evidence.added')!;
  const reviewed = items.find((i) => i.type === 'evidence.reviewed')!;
  assert.equal(reviewed.state, 'accepted');
  assert.ok(Number.isInteger(added.ledgerIndex) && Number.isInteger(reviewed.ledgerIndex));
  assert.ok(reviewed.ledgerIndex! > added.ledgerIndex!);
  assert.equal((await s.health.controls(org.id))[0]!.health, 'passing');
});
