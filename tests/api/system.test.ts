import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startTestApp, type TestApp } from '../support/app.ts';
import { newOrg, signIn } from '../support/factories.ts';

let t: TestApp;
before(async () => { t = await startTestApp({ trustProxy: true }); });
after(async () => { await t?.close(); });

test('liveness and readiness', async () => {
  assert.deepEqual((await t.server.inject('/healthz')).json(), { status: 'ok' });
  assert.deepEqual((await t.server.inject('/readyz')).json(), { status: 'ready' });
});

test('Prometheus metrics include request latency by route', async () => {
  await t.server.inject('/healthz');
  const res = await t.server.inject('/metrics');
  assert.equal(res.statusCode, 200);
  assert.match(res.headers['content-type'] as string, /text\/plain/);
  assert.match(res.body, /attest_http_request_duration_seconds_bucket\{[^}]*route="\/healthz"/);
  assert.match(res.body, /attest_process_cpu_seconds_total/);
});

test('security headers: CSP with frame-ancestors, nosniff, HSTS only over TLS', async () => {
  const plain = await t.server.inject('/healthz');
  assert.match(plain.headers['content-security-policy'] as string, /frame-ancestors 'none'/);
  assert.equal(plain.headers['x-content-type-options'], 'nosniff');
  assert.equal(plain.headers['strict-transport-security'], undefined);
  const tls = await t.server.inject({ url: '/healthz', headers: { 'x-forwarded-proto': 'https' } });
  assert.match(tls.headers['strict-transport-security'] as string, /max-age=\d+/);
});

test('the served OpenAPI 3.1 document is the checked-in openapi.json (run `npm run openapi` when this fails)', async () => {
  const served = (await t.server.inject('/api/openapi.json')).json();
  assert.equal(served.openapi, '3.1.0');
  const checkedIn = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8'));
  assert.deepEqual(served, checkedIn);
});

test('member lists page with opaque cursors', async () => {
  const { org, owner } = await newOrg(t);
  for (let i = 0; i < 5; i++) {
    const u = await t.app.services.repos.accounts.insertUser({ email: `p${i}-${org.id}@example.test`, name: `p${i}`, passwordHash: null });
    await t.app.services.repos.orgs.addMember(org.id, u.id, 'viewer');
  }
  const agent = await signIn(t, owner.email);
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: { userId: string }[]; nextCursor: string | null } = (await agent.get(`/api/v1/orgs/${org.id}/members?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
    seen.push(...page.items.map((m) => m.userId));
    cursor = page.nextCursor;
  } while (cursor);
  assert.equal(seen.length, 6);
  assert.equal(new Set(seen).size, 6);
  for (const bad of ['garbage!', Buffer.from('["x","y"]').toString('base64url'), Buffer.from('{}').toString('base64url')]) {
    assert.equal((await agent.get(`/api/v1/orgs/${org.id}/members?cursor=${bad}`)).statusCode, 400);
    assert.equal((await agent.get(`/api/v1/orgs/${org.id}/audit-log?cursor=${bad}`)).statusCode, 400);
  }
});
