// Malformed input gets a 400 problem naming the field, unknown ids a 404, and never a 500 or a partial write.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startTestApp, type TestApp } from '../support/app.ts';
import { newOrg, signIn, uniqueEmail } from '../support/factories.ts';
import type { Agent } from '../support/agent.ts';

let t: TestApp;
let agent: Agent;
let orgId: string;
before(async () => {
  t = await startTestApp();
  const { org, owner } = await newOrg(t);
  orgId = org.id;
  agent = await signIn(t, owner.email);
});
after(async () => { await t?.close(); });

type Doc = { paths: Record<string, Record<string, { requestBody?: unknown }>> };
const doc = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8')) as Doc;
const writeRoutesWithBody = Object.entries(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops).filter(([, op]) => op.requestBody).map(([method]) => ({ method: method.toUpperCase(), path })));

const fill = (path: string) => path.replace('{orgId}', orgId).replace('{userId}', crypto.randomUUID()).replace('{id}', crypto.randomUUID()).replace('{token}', 'x'.repeat(43));

function assertProblem(res: { statusCode: number; headers: Record<string, unknown>; json(): any; body: string }, status: number) {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const p = res.json();
  assert.equal(p.status, status);
  assert.ok(p.code && p.title && p.detail && p.requestId, `incomplete problem: ${res.body}`);
  return p;
}

const garbage: unknown[] = [{}, [], 'text', 42, null, { name: 7, email: false, role: 'emperor', password: 1, scope: 'all', expiresInDays: -1, code: {}, token: 1, requireTwoFactor: 'yes' }];

test('every route with a body rejects malformed bodies with 400 naming the field, never 500', async () => {
  assert.ok(writeRoutesWithBody.length >= 8);
  for (const { method, path } of writeRoutesWithBody) {
    for (const body of garbage) {
      const res = await agent.request(method, fill(path), body);
      assert.ok(res.statusCode < 500, `${method} ${path} with ${JSON.stringify(body)} gave ${res.statusCode}`);
      if (path.includes('{userId}') || path.includes('{id}') || path.includes('{token}')) continue;
      if (typeof body === 'string') { assertProblem(res, 415); continue; }
      const p = assertProblem(res, 400);
      assert.equal(p.code, 'invalid_input');
      if (body && typeof body === 'object' && !Array.isArray(body)) assert.ok(p.errors?.length > 0 && p.errors.every((e: { path: string }) => e.path), `${method} ${path}: no field named: ${res.body}`);
    }
  }
});

test('broken JSON and the wrong content type are client errors', async () => {
  const bad = await agent.request('POST', `/api/v1/orgs/${orgId}/invitations`, '{"email": ', { 'content-type': 'application/json' });
  assertProblem(bad, 400);
  const text = await agent.request('POST', `/api/v1/orgs/${orgId}/invitations`, 'email=x', { 'content-type': 'application/x-www-form-urlencoded' });
  assertProblem(text, 415);
  const huge = await agent.request('POST', `/api/v1/orgs/${orgId}/tokens`, { name: 'x'.repeat(2_000_000), scope: 'read', expiresInDays: 1 });
  assertProblem(huge, 413);
});

test('unknown and malformed ids answer 404', async () => {
  for (const id of [crypto.randomUUID(), 'not-a-uuid', "1' OR '1'='1"]) {
    assertProblem(await agent.get(`/api/v1/orgs/${encodeURIComponent(id)}`), 404);
  }
  assertProblem(await agent.delete(`/api/v1/orgs/${orgId}/invitations/${crypto.randomUUID()}`), 404);
  assertProblem(await agent.delete(`/api/v1/orgs/${orgId}/tokens/${crypto.randomUUID()}`), 404);
  assertProblem(await agent.get('/api/v1/invitations/' + 'y'.repeat(43)), 404);
  assertProblem(await agent.get('/api/v1/no-such-route'), 404);
});

test('a refused request writes nothing', async () => {
  const pool = t.app.services.database.pool;
  const count = async () => (await pool.query('SELECT (SELECT count(*) FROM invitations) + (SELECT count(*) FROM security_events) + (SELECT count(*) FROM outbox) AS n')).rows[0].n;
  const before = await count();
  const me = (await agent.get('/api/v1/auth/me')).json().user.email;
  assertProblem(await agent.post(`/api/v1/orgs/${orgId}/invitations`, { email: me, role: 'viewer' }), 409);
  assertProblem(await agent.post(`/api/v1/orgs/${orgId}/invitations`, { email: uniqueEmail(), role: 'emperor' }), 400);
  assert.equal(await count(), before);
});

test('the request id is echoed in the header and the problem', async () => {
  const res = await agent.get(`/api/v1/orgs/${crypto.randomUUID()}`, { 'x-request-id': 'trace-123' });
  assert.equal(res.headers['x-request-id'], 'trace-123');
  assert.equal(res.json().requestId, 'trace-123');
});
