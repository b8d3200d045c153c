import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateSync } from 'otplib';
import { startTestApp, type TestApp } from '../../tests/support/app.ts';
import { newOrg, newUser, PASSWORD, signIn } from '../../tests/support/factories.ts';
import { Agent } from '../../tests/support/agent.ts';

let t: TestApp;
before(async () => { t = await startTestApp(); });
after(async () => { await t?.close(); });

const totp = (secret: string, offsetSteps = 0) => generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 });

async function enrol(agent: Agent) {
  const enrolRes = await agent.post('/api/v1/auth/totp/enrol');
  assert.equal(enrolRes.statusCode, 200);
  const { secret, qrDataUrl, otpauthUrl } = enrolRes.json();
  assert.match(qrDataUrl, /^data:image\/png;base64,/);
  assert.match(otpauthUrl, /^otpauth:\/\/totp\//);
  const enrolmentCode = totp(secret);
  const confirm = await agent.post('/api/v1/auth/totp/confirm', { code: enrolmentCode });
  assert.equal(confirm.statusCode, 200, confirm.body);
  return { secret, enrolmentCode, recoveryCodes: confirm.json().recoveryCodes as string[] };
}

test('sign-in with a wrong password is refused with a problem, and recorded', async () => {
  const { org, owner } = await newOrg(t);
  const res = await new Agent(t.server).post('/api/v1/auth/login', { email: owner.email, password: 'wrong password!!' });
  assert.equal(res.statusCode, 401);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  assert.equal(res.json().code, 'invalid_credentials');
  const agent = await signIn(t, owner.email);
  const log = await agent.get(`/api/v1/orgs/${org.id}/audit-log?action=login.failure`);
  assert.equal(log.json().items.length, 1);
});

test('an unknown email gets the same answer as a wrong password', async () => {
  const res = await new Agent(t.server).post('/api/v1/auth/login', { email: 'nobody@example.test', password: PASSWORD });
  assert.equal(res.statusCode, 401);
  assert.equal(res.json().code, 'invalid_credentials');
});

test('repeated failures lock the account even for the right password, and the lockout is logged', async () => {
  const { org, owner } = await newOrg(t);
  const agent = new Agent(t.server);
  for (let i = 0; i < t.config.loginMaxFailures; i++) {
    // Distinct forwarded addresses would not help an attacker: the lock is per account.
    assert.equal((await agent.post('/api/v1/auth/login', { email: owner.email, password: `guess number ${i}!` })).statusCode, 401);
  }
  const locked = await agent.post('/api/v1/auth/login', { email: owner.email, password: PASSWORD });
  assert.equal(locked.statusCode, 429);
  assert.equal(locked.json().code, 'locked_out');
  assert.ok(Number(locked.headers['retry-after']) > 0);
  await t.app.services.accounts.enableUser(owner.email);
  const admin = await signIn(t, owner.email);
  const log = await admin.get(`/api/v1/orgs/${org.id}/audit-log?action=login.lockout`);
  assert.equal(log.json().items.length, 1);
});

test('TOTP enrolment, challenge at sign-in, no replay, single-use recovery codes', async () => {
  const { org, owner } = await newOrg(t);
  const agent = await signIn(t, owner.email);
  const { secret, enrolmentCode, recoveryCodes } = await enrol(agent);
  assert.equal(recoveryCodes.length, 10);

  const second = new Agent(t.server);
  const login = await second.post('/api/v1/auth/login', { email: owner.email, password: PASSWORD });
  assert.equal(login.json().status, 'totp_required');
  await second.refreshCsrf();
  // A half-signed-in session reaches nothing else.
  assert.equal((await second.get(`/api/v1/orgs/${org.id}`)).statusCode, 401);
  assert.equal((await second.post('/api/v1/auth/login/totp', { code: '000000' })).statusCode, 401);
  // The very code used for enrolment cannot be replayed (the same string, even if the clock has moved on).
  assert.equal((await second.post('/api/v1/auth/login/totp', { code: enrolmentCode })).statusCode, 401);
  const ok = await second.post('/api/v1/auth/login/totp', { code: totp(secret, 1) });
  assert.equal(ok.statusCode, 200, ok.body);
  await second.refreshCsrf();
  assert.equal((await second.get(`/api/v1/orgs/${org.id}`)).statusCode, 200);

  const third = new Agent(t.server);
  await third.post('/api/v1/auth/login', { email: owner.email, password: PASSWORD });
  await third.refreshCsrf();
  assert.equal((await third.post('/api/v1/auth/login/totp', { code: recoveryCodes[0] })).statusCode, 200);
  const fourth = new Agent(t.server);
  await fourth.post('/api/v1/auth/login', { email: owner.email, password: PASSWORD });
  await fourth.refreshCsrf();
  assert.equal((await fourth.post('/api/v1/auth/login/totp', { code: recoveryCodes[0] })).statusCode, 401, 'a recovery code works once');
});

test('the session id changes when sign-in completes (no fixation)', async () => {
  const { owner } = await newOrg(t);
  const agent = await signIn(t, owner.email);
  const { secret } = await enrol(agent);
  const next = new Agent(t.server);
  await next.post('/api/v1/auth/login', { email: owner.email, password: PASSWORD });
  const planted = next.cookie;
  await next.refreshCsrf();
  await next.post('/api/v1/auth/login/totp', { code: totp(secret, 1) });
  assert.notEqual(next.cookie, planted);
  const stale = new Agent(t.server);
  stale.cookie = planted;
  assert.equal((await stale.get('/api/v1/auth/me')).statusCode, 401);
});

test('an org that requires two-factor sends members without it to enrolment first', async () => {
  const { org, owner } = await newOrg(t);
  const admin = await signIn(t, owner.email);
  await enrol(admin);
  assert.equal((await admin.patch(`/api/v1/orgs/${org.id}`, { requireTwoFactor: true })).statusCode, 200);
  const member = await newUser(t, 'member');
  await t.app.services.repos.orgs.addMember(org.id, member.id, 'editor');
  const agent = new Agent(t.server);
  assert.equal((await agent.post('/api/v1/auth/login', { email: member.email, password: PASSWORD })).json().status, 'totp_enrolment_required');
  assert.equal((await agent.get(`/api/v1/orgs/${org.id}`)).statusCode, 401, 'no access before enrolling');
  await agent.refreshCsrf();
  await enrol(agent);
  await agent.refreshCsrf();
  assert.equal((await agent.get(`/api/v1/orgs/${org.id}`)).statusCode, 200);
  // Two-factor cannot be switched off while an org requires it.
  assert.equal((await agent.post('/api/v1/auth/totp/disable', { code: '123456' })).statusCode, 403);
});

test('writes with a session need the CSRF token', async () => {
  const { org, owner } = await newOrg(t);
  const agent = await signIn(t, owner.email);
  const noToken = await agent.patch(`/api/v1/orgs/${org.id}`, { name: 'Renamed org' }, { 'x-csrf-token': '' });
  assert.equal(noToken.statusCode, 403);
  const wrong = await agent.patch(`/api/v1/orgs/${org.id}`, { name: 'Renamed org' }, { 'x-csrf-token': 'x'.repeat(32) });
  assert.equal(wrong.statusCode, 403);
  assert.equal((await agent.patch(`/api/v1/orgs/${org.id}`, { name: 'Renamed org' })).statusCode, 200);
});

test('sessions expire when idle and at their absolute limit, and logout ends them', async () => {
  const { owner } = await newOrg(t);
  const pool = t.app.services.database.pool;
  const idle = await signIn(t, owner.email);
  await pool.query(`UPDATE sessions SET last_seen_at = now() - interval '1 day' WHERE user_id = $1`, [owner.id]);
  assert.equal((await idle.get('/api/v1/auth/me')).statusCode, 401);
  const old = await signIn(t, owner.email);
  await pool.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [owner.id]);
  assert.equal((await old.get('/api/v1/auth/me')).statusCode, 401);
  const live = await signIn(t, owner.email);
  const cookie = live.cookie;
  await live.post('/api/v1/auth/logout');
  const replay = new Agent(t.server);
  replay.cookie = cookie;
  assert.equal((await replay.get('/api/v1/auth/me')).statusCode, 401);
});

test('the session cookie is httpOnly and SameSite', async () => {
  const { owner } = await newOrg(t);
  const res = await new Agent(t.server).post('/api/v1/auth/login', { email: owner.email, password: PASSWORD });
  const cookie = res.cookies.find((c) => c.name === 'attest_session');
  assert.ok(cookie?.httpOnly);
  assert.equal(cookie?.sameSite, 'Lax');
});

test('a disabled user cannot sign in and loses existing sessions', async () => {
  const { owner } = await newOrg(t);
  const agent = await signIn(t, owner.email);
  await t.app.services.accounts.disableUser(owner.email);
  assert.equal((await agent.get('/api/v1/auth/me')).statusCode, 401);
  assert.equal((await new Agent(t.server).post('/api/v1/auth/login', { email: owner.email, password: PASSWORD })).statusCode, 401);
});
