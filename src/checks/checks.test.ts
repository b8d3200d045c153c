// The checks domain through the real app: a PostgreSQL check against the suite's PostgreSQL proving
// client IPs are gone within 25 hours, an HTTPS check against a self-signed server, sealed secrets,
// the scheduler's claim under concurrent ticks, and results pushed by a pipeline with an API token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { startTestApp, type TestApp } from '../../tests/support/app.ts';
import { freshDatabaseUrl } from '../../tests/support/db.ts';
import { newMember, newOrg, signIn } from '../../tests/support/factories.ts';
import { Agent } from '../../tests/support/agent.ts';
import { controlHealth } from '../evidence/freshness.ts';
import { selfSignedCertificate, startHttpsServer } from './plugins/tls-fixture.ts';

const allowedDir = mkdtempSync(path.join(os.tmpdir(), 'attest-checks-allowed-'));
let t: TestApp;
let plain: { url: string; hits: number; close(): Promise<void> };
before(async () => {
  t = await startTestApp({ checkPolicy: { readablePaths: [allowedDir], commands: [], allowShell: false } });
  const server = http.createServer((_req, res) => { plain.hits++; res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  plain = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`, hits: 0, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
});
after(async () => { await plain?.close(); await t?.close(); });

async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try { return (await client.query<T>(text, params)).rows; } finally { await client.end(); }
}

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 150));
  }
  assert.fail(`timed out waiting for ${what}`);
}

async function orgWithControl(frequency: 'daily' | 'quarterly' = 'daily') {
  const { org, owner } = await newOrg(t, 'Checks');
  const actor = { userId: owner.id, email: owner.email, ip: null };
  const control = await t.app.services.controls.create(org.id, {
    code: 'PRIV-07', title: 'Client IPs are deleted within 25 hours', description: '', ownerUserId: null, frequency, nature: 'detective',
    automation: 'automated', lifecycle: 'operating', scope: [], requirements: [{ framework: 'soc2-2017', id: 'CC6.1' }],
  }, actor);
  return { org, owner, control, agent: await signIn(t, owner.email) };
}

test('a PostgreSQL check proves client IPs are gone within 25 hours, and records its failure as evidence and a notification', async () => {
  const { org, control, agent } = await orgWithControl();
  await t.app.services.notifications.createRule(org.id, { name: 'Checks', events: ['check.failed'], toAdmins: false, toOwners: false, addresses: ['ops@example.test'], enabled: true }, { userId: null, email: 'test', ip: null });
  const target = new URL(await freshDatabaseUrl());
  const password = target.password || 'ignored-by-trust-auth-7f3a';
  await sql(target.toString(), `CREATE TABLE access_log (id serial PRIMARY KEY, client_ip inet, created_at timestamptz NOT NULL);
    INSERT INTO access_log (client_ip, created_at) VALUES ('203.0.113.7', now() - interval '24 hours'), ('198.51.100.23', now() - interval '1 hour')`);
  const config = {
    host: target.hostname, port: Number(target.port), database: target.pathname.slice(1), user: decodeURIComponent(target.username), password, ssl: 'disable',
    query: "SELECT count(*)::int AS stale FROM access_log WHERE client_ip IS NOT NULL AND created_at < now() - interval '25 hours'",
    expect: { kind: 'firstValue', op: 'eq', value: 0 },
  };
  const created = await agent.post(`/api/v1/orgs/${org.id}/checks`, { name: 'Client IPs purged', type: 'postgres', config, intervalMinutes: 60, controlIds: [control.id] });
  assert.equal(created.statusCode, 201, created.body);
  const check = created.json();
  assert.equal(check.config.password, '[redacted]');
  assert.deepEqual(check.secretsStored, ['password']);
  assert.ok(!created.body.includes(password), 'the password never comes back');
  const [row] = await sql(t.config.databaseUrl!, 'SELECT config::text AS config, sealed_secrets FROM checks WHERE org_id = $1 AND id = $2', [org.id, check.id]);
  assert.ok(row && !row.config.includes(password) && !row.sealed_secrets.includes(password), 'the row holds the password only sealed');
  assert.match(row!.sealed_secrets, /^v1\./);
  assert.ok(!(await agent.get(`/api/v1/orgs/${org.id}/checks`)).body.includes(password));

  const pass = await agent.post(`/api/v1/orgs/${org.id}/checks/${check.id}/run`);
  assert.equal(pass.statusCode, 200, pass.body);
  assert.equal(pass.json().status, 'pass', pass.json().summary);
  assert.equal(pass.json().trigger, 'manual');
  const passEvidence = await t.app.services.evidence.get(org.id, pass.json().evidenceId);
  assert.equal(passEvidence.status, 'accepted');
  assert.deepEqual(passEvidence.controlIds, [control.id]);
  assert.match(passEvidence.title, /^Client IPs purged: /);
  const health = async () => {
    const latest = (await t.app.services.repos.evidence.latestForControls(org.id)).filter((e) => e.controlId === control.id);
    const newest = latest.sort((a, b) => b.collectedAt.getTime() - a.collectedAt.getTime())[0] ?? null;
    return controlHealth({ frequency: 'daily', newestAccepted: newest, latestChecks: latest.filter((e) => e.checkId).map((e) => ({ checkId: e.checkId!, status: e.checkStatus!, collectedAt: e.collectedAt })) }, new Date());
  };
  assert.equal((await health()).health, 'passing', 'the control’s newest evidence is fresh and passing');

  await sql(target.toString(), "INSERT INTO access_log (client_ip, created_at) VALUES ('192.0.2.99', now() - interval '26 hours')");
  const fail = (await agent.post(`/api/v1/orgs/${org.id}/checks/${check.id}/run`)).json();
  assert.equal(fail.status, 'fail');
  assert.deepEqual(fail.assertions.map((a: { actual: string; passed: boolean }) => [a.actual, a.passed]), [['1', false]]);
  const failEvidence = await t.app.services.evidence.get(org.id, fail.evidenceId);
  assert.equal(failEvidence.checkStatus, 'fail');
  assert.match(failEvidence.body!, /Status: fail[\s\S]*\[FAIL\] first value \(stale\): expected = 0, got 1[\s\S]*Output:\n[\s\S]*stale\n1\n/);
  assert.ok(!failEvidence.body!.includes(password));
  assert.equal((await health()).health, 'failing');
  const mail = await until('the check.failed mail', async () => (await t.outbox(org.id)).find((m) => m.text.includes(fail.id)));
  assert.equal(mail.to, 'ops@example.test');
  assert.match(mail.text, /Client IPs purged/);

  // A tick of the scheduler may add a run of its own in between; the manual ones come newest first.
  const history = (await agent.get(`/api/v1/orgs/${org.id}/checks/${check.id}/runs`)).json();
  assert.deepEqual(history.items.filter((r: { trigger: string }) => r.trigger === 'manual').map((r: { id: string }) => r.id), [fail.id, pass.json().id]);
  const page1 = (await agent.get(`/api/v1/orgs/${org.id}/checks/${check.id}/runs?limit=1`)).json();
  const page2 = (await agent.get(`/api/v1/orgs/${org.id}/checks/${check.id}/runs?limit=1&cursor=${page1.nextCursor}`)).json();
  assert.equal(page1.items.length, 1);
  assert.equal(page2.items.length, 1);
  assert.ok(new Date(page2.items[0].startedAt) <= new Date(page1.items[0].startedAt) && page2.items[0].id !== page1.items[0].id);
  const got = (await agent.get(`/api/v1/orgs/${org.id}/checks/${check.id}`)).json();
  assert.equal(got.lastStatus, 'fail');

  // An edit that sends the redacted password back keeps the stored one: the check still connects.
  const edited = await agent.patch(`/api/v1/orgs/${org.id}/checks/${check.id}`, { version: got.version, name: 'Client IPs purged (prod)', config: got.config });
  assert.equal(edited.statusCode, 200, edited.body);
  assert.equal((await agent.post(`/api/v1/orgs/${org.id}/checks/${check.id}/run`)).json().status, 'fail', 'still reaches the database, still finds the stale row');
  const stale = await agent.patch(`/api/v1/orgs/${org.id}/checks/${check.id}`, { version: got.version, name: 'Lost update' });
  assert.equal(stale.statusCode, 409);
});

test('an HTTPS check against a self-signed server sends its secret header and never shows it', async () => {
  const { org, control, agent } = await orgWithControl();
  const secret = 'Bearer s3cr3t-token-for-the-probe';
  const server = await startHttpsServer(selfSignedCertificate(90), (req, res) => {
    res.writeHead(req.headers.authorization === secret ? 200 : 401, { 'strict-transport-security': 'max-age=31536000', 'content-type': 'application/json' })
      .end(JSON.stringify({ status: 'ok', echoed: req.headers.authorization }));
  });
  try {
    const created = (await agent.post(`/api/v1/orgs/${org.id}/checks`, {
      name: 'API is up', type: 'http', controlIds: [control.id],
      config: { url: `${server.url}/health`, allowSelfSigned: true, secretHeaders: { Authorization: secret }, minTlsVersion: 'TLSv1.2', certMinDaysLeft: 30, hstsMinMaxAgeSeconds: 15552000, json: [{ pointer: '/status', op: 'equals', value: 'ok' }] },
    })).json();
    assert.equal(created.config.secretHeaders.Authorization, '[redacted]');
    const run = await agent.post(`/api/v1/orgs/${org.id}/checks/${created.id}/run`);
    assert.equal(run.json().status, 'pass', run.body);
    assert.ok(!run.body.includes('s3cr3t'), 'the echoed secret is scrubbed from the run');
    const evidence = await t.app.services.evidence.get(org.id, run.json().evidenceId);
    assert.ok(!evidence.body!.includes('s3cr3t'));
    assert.match(evidence.body!, /\[PASS\] certificate days left/i);
  } finally {
    await server.close();
  }
});

test('roles: viewers read, editors write, only admins set up checks that read files or run programs; other orgs see nothing', async () => {
  const { org, agent: owner } = await orgWithControl();
  const file = path.join(allowedDir, 'sshd_config');
  writeFileSync(file, 'PasswordAuthentication no\nTrustedUserCAKeys /etc/ssh/ca.pub\n');
  const fileCheck = { name: 'sshd hardened', type: 'file', config: { path: file, lines: [{ pattern: '^PasswordAuthentication no$' }, { pattern: '^TrustedUserCAKeys ' }] } };
  const editor = await signIn(t, (await newMember(t, org.id, 'editor')).email);
  const viewer = await signIn(t, (await newMember(t, org.id, 'viewer')).email);
  assert.equal((await editor.post(`/api/v1/orgs/${org.id}/checks`, fileCheck)).statusCode, 403);
  assert.equal((await editor.post(`/api/v1/orgs/${org.id}/checks`, { ...fileCheck, type: 'command', config: { command: '/bin/true' } })).statusCode, 403);
  assert.equal((await viewer.post(`/api/v1/orgs/${org.id}/checks`, { name: 'x', type: 'http', config: { url: plain.url } })).statusCode, 403);
  const created = await owner.post(`/api/v1/orgs/${org.id}/checks`, fileCheck);
  assert.equal(created.statusCode, 201, created.body);
  assert.equal((await editor.patch(`/api/v1/orgs/${org.id}/checks/${created.json().id}`, { version: 1, name: 'renamed' })).statusCode, 403);
  assert.equal((await editor.post(`/api/v1/orgs/${org.id}/checks/${created.json().id}/run`)).json().status, 'pass', 'running a configured check is an editor’s job');
  assert.equal((await viewer.get(`/api/v1/orgs/${org.id}/checks`)).json().items.length, 1);
  assert.equal((await viewer.post(`/api/v1/orgs/${org.id}/checks/${created.json().id}/run`)).statusCode, 403);

  // The operator's policy still applies to an admin's check.
  const outside = (await owner.post(`/api/v1/orgs/${org.id}/checks`, { ...fileCheck, config: { path: '/etc/hostname' } })).json();
  const refused = (await owner.post(`/api/v1/orgs/${org.id}/checks/${outside.id}/run`)).json();
  assert.equal(refused.status, 'error');
  assert.match(refused.summary, /policy does not allow reading/);

  const bad = await owner.post(`/api/v1/orgs/${org.id}/checks`, { name: 'bad', type: 'http', config: { url: 'ftp://x' } });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /config\.url/);
  const noControl = await owner.post(`/api/v1/orgs/${org.id}/checks`, { name: 'x', type: 'http', config: { url: plain.url }, controlIds: ['00000000-0000-4000-8000-000000000000'] });
  assert.equal(noControl.statusCode, 400);

  const { owner: stranger } = await newOrg(t, 'Other');
  const other = await signIn(t, stranger.email);
  assert.equal((await other.get(`/api/v1/orgs/${org.id}/checks/${created.json().id}`)).statusCode, 404);
  const { org: otherOrg } = await newOrg(t, 'Third');
  assert.equal((await owner.get(`/api/v1/orgs/${otherOrg.id}/checks`)).statusCode, 404);

  assert.equal((await owner.delete(`/api/v1/orgs/${org.id}/checks/${created.json().id}`)).statusCode, 204);
  assert.equal((await owner.get(`/api/v1/orgs/${org.id}/checks`)).json().items.length, 1, 'a disabled check leaves the list');
  assert.equal((await owner.get(`/api/v1/orgs/${org.id}/checks?includeDisabled=true`)).json().items.length, 2);
  assert.equal((await owner.get(`/api/v1/orgs/${org.id}/checks/${created.json().id}/runs`)).json().items.length, 1, 'its history stays');
});

test('two schedule ticks at once hand each due check out once, and the run jobs record it', async () => {
  const { org, control } = await orgWithControl();
  const actor = { userId: null, email: 'test', role: 'owner' as const };
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) {
    ids.push((await t.app.services.checks.create(org.id, { name: `probe ${i}`, type: 'http', config: { url: plain.url }, intervalMinutes: 60, enabled: true, controlIds: [control.id] }, actor)).id);
  }
  const [a, b] = await Promise.all([t.app.services.checks.scheduleDue(), t.app.services.checks.scheduleDue()]);
  // Checks of earlier tests are due as well; the claim is across orgs.
  const claimed = [...a, ...b].filter((d) => d.orgId === org.id).map((d) => d.id);
  assert.deepEqual([...claimed].sort(), [...ids].sort(), 'each due check claimed by exactly one tick');
  const runsOf = async (id: string) => (await t.app.services.checks.history(org.id, id, { limit: 10 })).items.filter((r) => r.trigger === 'schedule');
  await until('every scheduled run', async () => (await Promise.all(ids.map(runsOf))).every((r) => r.length >= 1));
  await t.app.services.checks.scheduleDue();
  await new Promise((r) => setTimeout(r, 1_500));
  for (const id of ids) assert.equal((await runsOf(id)).length, 1, 'one run per due check, however many ticks');
  const [first] = await runsOf(ids[0]!);
  assert.equal(first!.status, 'pass');
  const check = await t.app.services.checks.get(org.id, ids[0]!);
  assert.ok(check.nextRunAt.getTime() > Date.now() + 55 * 60_000, 'the next run is an interval away');
});

test('a pipeline pushes results with a write token; a read-only token is refused; no result in time is an error run', async () => {
  const { org, owner, control, agent } = await orgWithControl();
  const created = (await agent.post(`/api/v1/orgs/${org.id}/checks`, { name: 'CI dependency audit', type: 'push', intervalMinutes: 1440, controlIds: [control.id] })).json();
  const member = { userId: owner.id, email: owner.email, ip: null, role: 'owner' as const };
  const write = await t.app.services.tokens.create(org.id, { name: 'ci', scope: 'write', expiresInDays: 30 }, member);
  const read = await t.app.services.tokens.create(org.id, { name: 'ro', scope: 'read', expiresInDays: 30 }, member);
  const result = { status: 'pass', summary: 'npm audit: 0 high', assertions: [{ name: 'high vulnerabilities', expected: '= 0', actual: '0', passed: true }], output: 'found 0 vulnerabilities', observedAt: new Date().toISOString(), durationMs: 1200 };
  const url = `/api/v1/orgs/${org.id}/checks/${created.id}/results`;
  assert.equal((await Agent.withToken(t.server, read.secret).post(url, result)).statusCode, 403);
  const pushed = await Agent.withToken(t.server, write.secret).post(url, result);
  assert.equal(pushed.statusCode, 201, pushed.body);
  assert.equal(pushed.json().trigger, 'push');
  const ev = await t.app.services.evidence.get(org.id, pushed.json().evidenceId);
  assert.equal(ev.collectorKind, 'token');
  assert.equal(ev.checkStatus, 'pass');
  const lying = await Agent.withToken(t.server, write.secret).post(url, { ...result, assertions: [{ ...result.assertions[0], passed: false }] });
  assert.equal(lying.statusCode, 400, 'a pass with a failed assertion is refused');
  assert.equal((await agent.post(`/api/v1/orgs/${org.id}/checks/${created.id}/run`)).statusCode, 409);

  // Nothing pushed within the interval: the scheduler records the silence.
  await sql(t.config.databaseUrl!, "UPDATE checks SET next_run_at = now() - interval '1 minute' WHERE org_id = $1 AND id = $2", [org.id, created.id]);
  await t.app.services.checks.scheduleDue();
  const overdue = await until('the overdue run', async () => (await t.app.services.checks.history(org.id, created.id, { limit: 10 })).items.find((r) => r.trigger === 'schedule'));
  assert.equal(overdue.status, 'error');
  assert.equal(overdue.summary, 'No result was pushed within 1440 minute(s).');
});
