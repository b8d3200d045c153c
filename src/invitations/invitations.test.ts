import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../tests/support/app.ts';
import { newOrg, newUser, PASSWORD, signIn, uniqueEmail } from '../../tests/support/factories.ts';
import { Agent } from '../../tests/support/agent.ts';

let t: TestApp;
before(async () => { t = await startTestApp(); });
after(async () => { await t?.close(); });

const linkIn = (text: string) => text.match(/\/invite\/([\w-]+)/)?.[1];

test('an invited colleague gets a link by email, sets a password, and lands in the org with the invited role', async () => {
  const { org, owner } = await newOrg(t);
  const admin = await signIn(t, owner.email);
  const email = uniqueEmail('colleague');
  const created = await admin.post(`/api/v1/orgs/${org.id}/invitations`, { email, role: 'editor' });
  assert.equal(created.statusCode, 201);
  assert.equal(created.json().token, undefined, 'the link secret is only ever emailed');
  const mail = (await admin.get(`/api/v1/orgs/${org.id}/outbox`)).json().items.find((m: { to: string }) => m.to === email);
  const token = linkIn(mail.text);
  assert.ok(token);

  const guest = new Agent(t.server);
  const info = await guest.get(`/api/v1/invitations/${token}`);
  assert.deepEqual(info.json(), { orgName: org.name, email, role: 'editor', userExists: false });
  const missing = await guest.post(`/api/v1/invitations/${token}/accept`, {});
  assert.equal(missing.statusCode, 400);
  assert.deepEqual(missing.json().errors.map((e: { path: string }) => e.path).sort(), ['name', 'password']);
  const weak = await guest.post(`/api/v1/invitations/${token}/accept`, { name: 'Col', password: 'short' });
  assert.equal(weak.statusCode, 400);
  const accepted = await guest.post(`/api/v1/invitations/${token}/accept`, { name: 'Colleague', password: PASSWORD });
  assert.equal(accepted.statusCode, 200, accepted.body);
  assert.equal(accepted.json().status, 'ok');
  await guest.refreshCsrf();
  const me = (await guest.get('/api/v1/auth/me')).json();
  assert.deepEqual(me.memberships.map((m: { orgId: string; role: string }) => [m.orgId, m.role]), [[org.id, 'editor']]);

  assert.equal((await new Agent(t.server).post(`/api/v1/invitations/${token}/accept`, { name: 'Again', password: PASSWORD })).statusCode, 404, 'a link works once');
  const log = (await admin.get(`/api/v1/orgs/${org.id}/audit-log?action=invitation.accepted`)).json().items;
  assert.equal(log.length, 1);
});

test('revoked and expired invitations are dead links', async () => {
  const { org, owner } = await newOrg(t);
  const admin = await signIn(t, owner.email);
  const email = uniqueEmail('late');
  const inv = (await admin.post(`/api/v1/orgs/${org.id}/invitations`, { email, role: 'viewer' })).json();
  const token = linkIn((await t.outbox(org.id)).find((m) => m.to === email)!.text)!;
  assert.equal((await admin.delete(`/api/v1/orgs/${org.id}/invitations/${inv.id}`)).statusCode, 200);
  assert.equal((await new Agent(t.server).get(`/api/v1/invitations/${token}`)).statusCode, 404);
  assert.equal((await admin.delete(`/api/v1/orgs/${org.id}/invitations/${inv.id}`)).statusCode, 404, 'revoking twice');

  const email2 = uniqueEmail('expired');
  const inv2 = (await admin.post(`/api/v1/orgs/${org.id}/invitations`, { email: email2, role: 'viewer' })).json();
  const token2 = linkIn((await t.outbox(org.id)).find((m) => m.to === email2)!.text)!;
  await t.app.services.database.pool.query(`UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = $1`, [inv2.id]);
  assert.equal((await new Agent(t.server).post(`/api/v1/invitations/${token2}/accept`, { name: 'X', password: PASSWORD })).statusCode, 404);
});

test('an existing account must be signed in as the invited person to accept', async () => {
  const { org, owner } = await newOrg(t);
  const admin = await signIn(t, owner.email);
  const existing = await newUser(t, 'existing');
  await admin.post(`/api/v1/orgs/${org.id}/invitations`, { email: existing.email, role: 'auditor' });
  const token = linkIn((await t.outbox(org.id)).find((m) => m.to === existing.email)!.text)!;
  const anonymous = await new Agent(t.server).post(`/api/v1/invitations/${token}/accept`, { name: 'Hijack', password: PASSWORD });
  assert.equal(anonymous.statusCode, 401);
  const someoneElse = await signIn(t, (await newUser(t, 'other')).email);
  assert.equal((await someoneElse.post(`/api/v1/invitations/${token}/accept`, {})).statusCode, 401);
  const right = await signIn(t, existing.email);
  const ok = await right.post(`/api/v1/invitations/${token}/accept`, {});
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal((await t.app.services.repos.orgs.findMembership(org.id, existing.id))?.role, 'auditor');
});

test('first-run setup works once with the printed link', async () => {
  const fresh = await startTestApp();
  try {
    const guest = new Agent(fresh.server);
    assert.deepEqual((await guest.get('/api/v1/setup/status')).json(), { needsSetup: true });
    const token = await fresh.app.services.accounts.issueSetupToken();
    const body = { token, orgName: 'Acme', name: 'Ada', email: 'ada@acme.test', password: PASSWORD };
    assert.equal((await guest.post('/api/v1/setup', { ...body, token: 'x'.repeat(43) })).statusCode, 401);
    assert.equal((await guest.post('/api/v1/setup', body)).statusCode, 201);
    assert.deepEqual((await guest.get('/api/v1/setup/status')).json(), { needsSetup: false });
    assert.equal((await guest.post('/api/v1/setup', body)).statusCode, 401, 'the link is single-use');
    await signIn(fresh, 'ada@acme.test');
  } finally {
    await fresh.close();
  }
});

test('sign-in attempts are rate limited per client', async () => {
  const limited = await startTestApp({ authRateLimitPerMinute: 3 });
  try {
    const guest = new Agent(limited.server);
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await guest.post('/api/v1/auth/login', { email: `x${i}@example.test`, password: 'whatever whatever' })).statusCode);
    assert.deepEqual(codes, [401, 401, 401, 429, 429]);
  } finally {
    await limited.close();
  }
});
