import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from '../../tests/support/app.ts';
import { newOrg, signIn } from '../../tests/support/factories.ts';
import { verifyWebhookSignature } from '../notifications/webhook-signature.ts';

let t: TestApp;
let rx: { url: string; received: { path: string; headers: http.IncomingHttpHeaders; body: string }[]; close(): Promise<void> };
before(async () => {
  t = await startTestApp({ webhookAllowHttpLoopback: true, webhookRetrySeconds: 1 });
  const received: typeof rx.received = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => { received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }); res.writeHead(204).end(); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  rx = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
});
after(async () => { await rx?.close(); await t?.close(); });

const today = () => new Date().toISOString().slice(0, 10);
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const cloudy = { name: 'Cloudy Hosting', services: 'Infrastructure', purpose: 'Hosting of customer data', countries: ['DE'], dataCategories: ['Customer content'], subprocessor: true, dpaDate: '2025-03-01', website: 'https://cloudy.example' };

async function admin() {
  const { org, owner } = await newOrg(t, 'Vendors');
  return { org, owner, agent: await signIn(t, owner.email) };
}

test('saving vendors computes draft changes: addition, new country, new purpose, removal', async () => {
  const { org, agent } = await admin();
  const created = await agent.post(`/api/v1/orgs/${org.id}/vendors`, cloudy);
  assert.equal(created.statusCode, 201, created.body);
  const { vendor, changes } = created.json();
  assert.deepEqual(changes.map((c: { kind: string; status: string }) => [c.kind, c.status]), [['added', 'draft']]);

  const plain = await agent.post(`/api/v1/orgs/${org.id}/vendors`, { name: 'Office supplies', subprocessor: false });
  assert.deepEqual(plain.json().changes, []);

  const edited = await agent.patch(`/api/v1/orgs/${org.id}/vendors/${vendor.id}`, { countries: ['DE', 'us'], purpose: 'Hosting and backups' });
  assert.equal(edited.statusCode, 200, edited.body);
  // A later save replaces the vendor's unannounced drafts (the addition already covers the new state).
  assert.deepEqual(edited.json().changes.map((c: { kind: string }) => c.kind), ['added']);
  assert.deepEqual(edited.json().vendor.countries, ['DE', 'US']);

  const [draft] = (await agent.get(`/api/v1/orgs/${org.id}/subprocessor-changes?status=draft`)).json().items;
  assert.equal((await agent.post(`/api/v1/orgs/${org.id}/subprocessor-changes/${draft.id}/announce`, { effectiveAt: inDays(30) })).statusCode, 200);
  const more = await agent.patch(`/api/v1/orgs/${org.id}/vendors/${vendor.id}`, { countries: ['DE', 'US', 'IE'], purpose: 'Hosting, backups and support' });
  assert.deepEqual(more.json().changes.map((c: { kind: string; summary: string }) => c.kind), ['country-added', 'purpose-changed']);
  assert.match(more.json().changes[0].summary, /also process data in IE/);
  const removed = await agent.delete(`/api/v1/orgs/${org.id}/vendors/${vendor.id}`);
  assert.deepEqual(removed.json().changes.map((c: { kind: string }) => c.kind), ['removed']);
  assert.ok(removed.json().vendor.removedAt);
});

test('bad vendor input names the field: country codes, sub-processor without purpose, unknown product, duplicate name', async () => {
  const { org, agent } = await admin();
  const bad = await agent.post(`/api/v1/orgs/${org.id}/vendors`, { ...cloudy, countries: ['XX'] });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /countries\.0/);
  const noPurpose = await agent.post(`/api/v1/orgs/${org.id}/vendors`, { ...cloudy, purpose: '' });
  assert.equal(noPurpose.statusCode, 400);
  assert.match(noPurpose.body, /purpose/);
  const product = await agent.post(`/api/v1/orgs/${org.id}/vendors`, { ...cloudy, productIds: [crypto.randomUUID()] });
  assert.equal(product.statusCode, 400);
  assert.match(product.body, /productIds\.0/);
  assert.equal((await agent.post(`/api/v1/orgs/${org.id}/vendors`, cloudy)).statusCode, 201);
  const dup = await agent.post(`/api/v1/orgs/${org.id}/vendors`, { ...cloudy, name: 'cloudy hosting' });
  assert.equal(dup.statusCode, 400);
  assert.match(dup.body, /"path":"name"/);
  assert.equal((await agent.get(`/api/v1/orgs/${org.id}/vendors`)).json().items.length, 1);
});

test('the advance-notice date must be today or later; an announced change cannot be announced or withdrawn again', async () => {
  const { org, agent } = await admin();
  const [draft] = (await agent.post(`/api/v1/orgs/${org.id}/vendors`, cloudy)).json().changes;
  const url = `/api/v1/orgs/${org.id}/subprocessor-changes/${draft.id}`;
  const past = await agent.post(`${url}/announce`, { effectiveAt: inDays(-1) });
  assert.equal(past.statusCode, 400);
  assert.match(past.body, /effectiveAt/);
  assert.equal((await agent.post(`${url}/announce`, { effectiveAt: '2026-02-30' })).statusCode, 400);
  const ok = await agent.post(`${url}/announce`, { effectiveAt: today() });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().objectionsOpen, true);
  assert.equal((await agent.post(`${url}/announce`, { effectiveAt: inDays(3) })).statusCode, 409);
  assert.equal((await agent.post(`${url}/withdraw`, {})).statusCode, 409);
});

test('announcing is on the evidence log and reaches a subscribed webhook on loopback, signed', async () => {
  const { org, agent } = await admin();
  const hook = await agent.post(`/api/v1/orgs/${org.id}/webhooks`, { url: `${rx.url}/subprocessors`, events: ['subprocessor.change_announced'] });
  assert.equal(hook.statusCode, 201, hook.body);
  const [draft] = (await agent.post(`/api/v1/orgs/${org.id}/vendors`, cloudy)).json().changes;
  const announced = (await agent.post(`/api/v1/orgs/${org.id}/subprocessor-changes/${draft.id}/announce`, { effectiveAt: inDays(30) })).json();
  assert.equal(typeof announced.ledgerIndex, 'number');
  const entry = (await agent.get(`/api/v1/orgs/${org.id}/ledger/entries/${announced.ledgerIndex}`)).json();
  assert.match(JSON.stringify(entry), /subprocessor\.change_announced/);
  assert.match(JSON.stringify(entry), /Cloudy Hosting/);

  const deadline = Date.now() + 30_000;
  while (!rx.received.some((r) => r.path === '/subprocessors') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 150));
  const got = rx.received.find((r) => r.path === '/subprocessors');
  assert.ok(got, 'the webhook was not delivered');
  assert.equal(verifyWebhookSignature(hook.json().secret, got.headers as Record<string, string>, got.body).ok, true);
  const payload = JSON.parse(got.body);
  assert.equal(got.headers['attest-event-type'], 'subprocessor.change_announced');
  assert.match(JSON.stringify(payload), new RegExp(inDays(30)));
  assert.match(JSON.stringify(payload), /"change":"added"/);
});

test('the public list hides unannounced additions and keeps announced removals until they take effect', async () => {
  const { org, agent } = await admin();
  const s = t.app.services.vendors;
  const a = (await agent.post(`/api/v1/orgs/${org.id}/vendors`, cloudy)).json();
  assert.deepEqual((await s.publicSubprocessors(org.id)).current, []);
  await agent.post(`/api/v1/orgs/${org.id}/subprocessor-changes/${a.changes[0].id}/announce`, { effectiveAt: today() });
  const listed = await s.publicSubprocessors(org.id);
  assert.deepEqual(listed.current.map((v) => v.name), ['Cloudy Hosting']);
  assert.deepEqual(Object.keys(listed.current[0]!).sort(), ['countries', 'dataCategories', 'dpaDate', 'id', 'name', 'purpose', 'services', 'website']);
  assert.equal(listed.changes[0]!.kind, 'added');
  assert.ok(listed.changes[0]!.effectiveAt instanceof Date && listed.changes[0]!.announcedAt instanceof Date);

  const removal = (await agent.delete(`/api/v1/orgs/${org.id}/vendors/${a.vendor.id}`)).json().changes[0];
  await agent.post(`/api/v1/orgs/${org.id}/subprocessor-changes/${removal.id}/announce`, { effectiveAt: inDays(10) });
  assert.deepEqual((await s.publicSubprocessors(org.id)).current.map((v) => v.name), ['Cloudy Hosting']);
  await t.app.services.database.pool.query(`UPDATE subprocessor_changes SET effective_at = current_date - 1 WHERE id = $1`, [removal.id]);
  assert.deepEqual((await s.publicSubprocessors(org.id)).current, []);

  const other = await admin();
  assert.deepEqual(await s.publicSubprocessors(other.org.id), { current: [], changes: [] });
});
