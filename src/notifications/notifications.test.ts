import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from '../../tests/support/app.ts';
import { newMember, newOrg, signIn, uniqueEmail } from '../../tests/support/factories.ts';
import { verifyWebhookSignature } from './webhook-signature.ts';

type Received = { path: string; headers: http.IncomingHttpHeaders; body: string };
type Receiver = { url: string; received: Received[]; answer: (r: Received, res: http.ServerResponse) => void; close(): Promise<void> };

/** A real HTTP receiver on loopback; `answer` decides each response. */
async function receiver(): Promise<Receiver> {
  const r: Receiver = { url: '', received: [], answer: (_req, res) => { res.writeHead(204).end(); }, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const got = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      r.received.push(got);
      r.answer(got, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  r.close = () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return r;
}

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await probe();
    if (v && !(Array.isArray(v) && v.length === 0)) return v;
    await new Promise((r) => setTimeout(r, 150));
  }
  assert.fail(`timed out waiting for ${what}`);
}

let t: TestApp;
let rx: Receiver;
before(async () => {
  t = await startTestApp({ webhookAllowHttpLoopback: true, webhookRetrySeconds: 1 });
  rx = await receiver();
});
after(async () => { await rx?.close(); await t?.close(); });

const event = (type = 'control.failing', extra: Record<string, unknown> = {}) => ({
  type, subject: { type: 'control', id: 'ctl-1', label: 'AC-2 Access reviews' }, data: { health: 'failing', ...extra }, occurredAt: new Date('2026-11-30T10:00:00Z'),
});

async function setup(path = '/hook', events = ['control.failing']) {
  const { org, owner } = await newOrg(t);
  const admin = await signIn(t, owner.email);
  const created = await admin.post(`/api/v1/orgs/${org.id}/webhooks`, { url: `${rx.url}${path}`, events, description: 'CI' });
  assert.equal(created.statusCode, 201, created.body);
  return { org, owner, admin, endpoint: created.json().endpoint, secret: created.json().secret as string };
}

const deliveriesOf = async (orgId: string, endpointId: string) => t.app.services.webhooks.deliveries(orgId, endpointId, { limit: 50 });

test('a published event reaches a subscribed receiver, signed so the exported helper verifies it; others are not called', async () => {
  const { org, endpoint, secret } = await setup('/signed');
  const other = await setup('/stale-only', ['control.stale']);
  const published = await t.app.services.notifications.publish(org.id, event());
  assert.equal(published.deliveryIds.length, 1);
  const got = await until('the delivery', async () => rx.received.find((r) => r.path === '/signed'));
  assert.deepEqual(verifyWebhookSignature(secret, got.headers as Record<string, string>, got.body).ok, true);
  assert.equal(got.headers['webhook-id'], published.deliveryIds[0]);
  assert.equal(got.headers['attest-event-type'], 'control.failing');
  const body = JSON.parse(got.body);
  assert.deepEqual({ id: body.id, type: body.type, orgId: body.orgId, subject: body.subject, data: body.data, timestamp: body.timestamp },
    { id: published.eventId, type: 'control.failing', orgId: org.id, subject: event().subject, data: { health: 'failing' }, timestamp: '2026-11-30T10:00:00.000Z' });
  assert.equal(verifyWebhookSignature(other.secret, got.headers as Record<string, string>, got.body).ok, false, 'another endpoint’s secret does not verify it');

  const [row] = await until('delivered status', async () => (await deliveriesOf(org.id, endpoint.id)).filter((d) => d.status === 'delivered'));
  assert.equal(row!.attempts, 1);
  assert.equal(row!.responseStatus, 204);
  assert.equal((await t.app.services.webhooks.get(org.id, endpoint.id)).lastDeliveryStatus, 'delivered');
  assert.equal(rx.received.filter((r) => r.path === '/stale-only').length, 0);
  assert.equal((await deliveriesOf(other.org.id, other.endpoint.id)).length, 0);

  // The same event id again is a no-op: never delivered twice to the same endpoint.
  const again = await t.app.services.notifications.publish(org.id, { ...event(), id: published.eventId });
  assert.deepEqual([again.duplicate, again.deliveryIds], [true, []]);
  const redeliver = await (await signIn(t, (await t.app.services.repos.accounts.findUserById(endpoint.createdBy))!.email))
    .post(`/api/v1/orgs/${org.id}/webhooks/${endpoint.id}/deliveries/${row!.id}/redeliver`);
  assert.equal(redeliver.statusCode, 409, 'a delivered event is not sent again');
  await new Promise((r) => setTimeout(r, 1_000));
  assert.equal(rx.received.filter((r) => r.path === '/signed').length, 1);
});

test('a receiver answering 500 is retried with backoff until it answers 2xx', async () => {
  const { org, endpoint } = await setup('/flaky');
  let calls = 0;
  const previous = rx.answer;
  rx.answer = (r, res) => {
    if (r.path !== '/flaky') return previous(r, res);
    calls++;
    res.writeHead(calls <= 2 ? 500 : 200, { 'content-type': 'text/plain' }).end(calls <= 2 ? 'try later' : 'ok');
  };
  await t.app.services.notifications.publish(org.id, event());
  const [row] = await until('delivered after retries', async () => (await deliveriesOf(org.id, endpoint.id)).filter((d) => d.status === 'delivered'), 45_000);
  rx.answer = previous;
  assert.equal(row!.attempts, 3);
  assert.equal(row!.responseStatus, 200);
  assert.equal(row!.error, null);
  const ids = new Set(rx.received.filter((r) => r.path === '/flaky').map((r) => r.headers['webhook-id']));
  assert.deepEqual([...ids], [row!.id], 'every retry carries the same webhook-id');
});

test('a redirect is reported and never followed', async () => {
  const { org, endpoint } = await setup('/moved');
  const previous = rx.answer;
  rx.answer = (r, res) => (r.path === '/moved' ? res.writeHead(302, { location: `${rx.url}/elsewhere` }).end() : previous(r, res));
  await t.app.services.notifications.publish(org.id, event());
  const [row] = await until('failed delivery', async () => (await deliveriesOf(org.id, endpoint.id)).filter((d) => d.status === 'failed'));
  rx.answer = previous;
  assert.equal(row!.responseStatus, 302);
  assert.match(row!.error!, /not followed/);
  assert.equal(row!.attempts, 1, 'a redirect is not retried either');
  assert.equal(rx.received.filter((r) => r.path === '/elsewhere').length, 0);
});

test('private addresses are refused when the endpoint is created and again at delivery, without sending anything', async () => {
  const { org, owner } = await newOrg(t);
  const admin = await signIn(t, owner.email);
  const refused = await admin.post(`/api/v1/orgs/${org.id}/webhooks`, { url: 'http://10.0.0.1/', events: ['*'] });
  assert.equal(refused.statusCode, 400);
  assert.equal(refused.json().errors[0].path, 'url');
  const metadata = await admin.post(`/api/v1/orgs/${org.id}/webhooks`, { url: 'https://169.254.169.254/latest', events: ['*'] });
  assert.equal(metadata.statusCode, 400);
  // An endpoint whose address became private after creation (written behind the API's back) is refused at send time.
  const ok = (await admin.post(`/api/v1/orgs/${org.id}/webhooks`, { url: `${rx.url}/fine`, events: ['*'] })).json().endpoint;
  await t.app.services.database.pool.query(`UPDATE webhook_endpoints SET url = 'http://10.0.0.1/' WHERE id = $1`, [ok.id]);
  await t.app.services.notifications.publish(org.id, event('check.failed'));
  const [row] = await until('refused delivery', async () => (await deliveriesOf(org.id, ok.id)).filter((d) => d.status === 'failed'));
  assert.match(row!.error!, /refused: 10\.0\.0\.1 is a private or reserved address/);
  assert.equal(row!.durationMs, 0);
});

test('wrong-role and other-org callers cannot see or redeliver deliveries', async () => {
  const a = await setup('/tenant-a', ['*']);
  const previous = rx.answer;
  rx.answer = (r, res) => (r.path === '/tenant-a' ? res.writeHead(302, { location: '/x' }).end() : previous(r, res));
  await t.app.services.notifications.publish(a.org.id, event('evidence.rejected'));
  const [failed] = await until('failed delivery', async () => (await deliveriesOf(a.org.id, a.endpoint.id)).filter((d) => d.status === 'failed'));
  rx.answer = previous;
  const b = await newOrg(t);
  const intruder = await signIn(t, b.owner.email);
  const base = `/api/v1/orgs/${a.org.id}/webhooks/${a.endpoint.id}`;
  assert.equal((await intruder.get(`${base}/deliveries`)).statusCode, 404);
  assert.equal((await intruder.post(`${base}/deliveries/${failed!.id}/redeliver`)).statusCode, 404);
  // Org A's ids under org B's own path are not found either.
  assert.equal((await intruder.get(`/api/v1/orgs/${b.org.id}/webhooks/${a.endpoint.id}/deliveries`)).statusCode, 404);
  const editor = await signIn(t, (await newMember(t, a.org.id, 'editor')).email);
  assert.equal((await editor.get(`${base}/deliveries`)).statusCode, 403);

  // The owner can redeliver a failed one; it is tried again under the same id.
  const receivedBefore = rx.received.filter((r) => r.path === '/tenant-a').length;
  const again = await a.admin.post(`${base}/deliveries/${failed!.id}/redeliver`);
  assert.equal(again.statusCode, 202, again.body);
  await until('redelivered', async () => (await deliveriesOf(a.org.id, a.endpoint.id)).find((d) => d.id === failed!.id && d.status === 'delivered'));
  assert.equal(rx.received.filter((r) => r.path === '/tenant-a').length, receivedBefore + 1);
  const list = (await a.admin.get(`${base}/deliveries`)).json().items;
  assert.equal(list[0].attempts, 2);
});

test('the secret is shown once, stored sealed, and changes on rotation; delete disables and keeps history', async () => {
  const { org, admin, endpoint, secret } = await setup('/secret', ['control.stale']);
  assert.match(secret, /^whsec_/);
  const listed = await admin.get(`/api/v1/orgs/${org.id}/webhooks`);
  assert.equal(listed.statusCode, 200);
  assert.ok(!listed.body.includes(secret.slice(6, 30)), 'the list does not carry the secret');
  assert.equal(listed.json().items[0].secretSealed, undefined);
  assert.ok(listed.json().eventTypes.some((e: { type: string }) => e.type === 'subprocessor.change_announced'));
  const { rows } = await t.app.services.database.pool.query('SELECT secret_sealed FROM webhook_endpoints WHERE id = $1', [endpoint.id]);
  assert.ok(!rows[0].secret_sealed.includes(secret.slice(6)), 'the row is not the plaintext');
  assert.match(rows[0].secret_sealed, /^v1\./);
  assert.equal(t.app.services.secrets.open(rows[0].secret_sealed, 'webhook-secret'), secret);

  const rotated = await admin.post(`/api/v1/orgs/${org.id}/webhooks/${endpoint.id}/rotate-secret`);
  assert.equal(rotated.statusCode, 200);
  assert.notEqual(rotated.json().secret, secret);
  const test1 = await admin.post(`/api/v1/orgs/${org.id}/webhooks/${endpoint.id}/test`);
  assert.equal(test1.statusCode, 202);
  const got = await until('the test event', async () => rx.received.find((r) => r.headers['webhook-id'] === test1.json().id));
  assert.equal(JSON.parse(got.body).type, 'webhook.test');
  assert.equal(verifyWebhookSignature(rotated.json().secret, got.headers as Record<string, string>, got.body).ok, true);
  assert.equal(verifyWebhookSignature(secret, got.headers as Record<string, string>, got.body).ok, false, 'the old secret no longer verifies');

  const patched = await admin.patch(`/api/v1/orgs/${org.id}/webhooks/${endpoint.id}`, { events: ['*'], enabled: false });
  assert.deepEqual([patched.json().events, patched.json().enabled], [['*'], false]);
  assert.equal((await admin.patch(`/api/v1/orgs/${org.id}/webhooks/${endpoint.id}`, { events: ['control.exploded'] })).statusCode, 400);
  assert.equal((await t.app.services.notifications.publish(org.id, event('control.stale'))).deliveryIds.length, 0, 'a disabled endpoint gets nothing');
  assert.equal((await admin.delete(`/api/v1/orgs/${org.id}/webhooks/${endpoint.id}`)).statusCode, 200);
  assert.equal((await admin.get(`/api/v1/orgs/${org.id}/webhooks`)).json().items.length, 0);
  const history = (await admin.get(`/api/v1/orgs/${org.id}/webhooks?includeDeleted=true`)).json().items;
  assert.ok(history[0].deletedAt);
  assert.equal((await admin.get(`/api/v1/orgs/${org.id}/webhooks/${endpoint.id}/deliveries`)).json().items.length, 1, 'deliveries are kept');
  assert.equal((await admin.post(`/api/v1/orgs/${org.id}/webhooks/${endpoint.id}/test`)).statusCode, 404);
  const actions = (await admin.get(`/api/v1/orgs/${org.id}/audit-log?limit=50`)).json().items.map((e: { action: string }) => e.action);
  for (const a of ['webhook.created', 'webhook.secret_rotated', 'webhook.updated', 'webhook.deleted']) assert.ok(actions.includes(a), a);
});

test('email rules put one mail per recipient in the outbox: fixed addresses, admins, and the subject’s owners', async () => {
  const { org, owner } = await newOrg(t);
  const admin = await signIn(t, owner.email);
  const controlOwner = await newMember(t, org.id, 'editor');
  const ciso = uniqueEmail('ciso');
  const bad = await admin.post(`/api/v1/orgs/${org.id}/notification-rules`, { name: 'Nobody', events: ['control.failing'] });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().errors[0].path, 'addresses');
  const rule = await admin.post(`/api/v1/orgs/${org.id}/notification-rules`, { name: 'Failing controls', events: ['control.failing', 'control.stale'], toOwners: true, addresses: [ciso.toUpperCase()] });
  assert.equal(rule.statusCode, 201, rule.body);
  assert.deepEqual(rule.json().addresses, [ciso]);
  await admin.post(`/api/v1/orgs/${org.id}/notification-rules`, { name: 'Admins hear of everything', events: ['*'], toAdmins: true });

  const res = await t.app.services.notifications.publish(org.id, { ...event(), ownerUserIds: [controlOwner.id] });
  assert.deepEqual(res.emailedTo, [ciso, controlOwner.email, owner.email].sort());
  const mails = await t.outbox(org.id);
  assert.equal(mails.length, 3);
  const toCiso = mails.find((m) => m.to === ciso)!;
  assert.match(toCiso.subject, /AC-2 Access reviews: control\.failing/);
  assert.match(toCiso.text, /health: failing/);

  await t.app.services.notifications.publish(org.id, event('check.failed'));
  assert.equal((await t.outbox(org.id)).length, 4, 'only the catch-all admins rule matches check.failed');

  const disabled = await admin.patch(`/api/v1/orgs/${org.id}/notification-rules/${rule.json().id}`, { enabled: false });
  assert.equal(disabled.json().enabled, false);
  assert.equal((await admin.get(`/api/v1/orgs/${org.id}/notification-rules`)).json().items.length, 2);
  assert.equal((await admin.delete(`/api/v1/orgs/${org.id}/notification-rules/${rule.json().id}`)).statusCode, 204);
  assert.equal((await admin.delete(`/api/v1/orgs/${org.id}/notification-rules/${rule.json().id}`)).statusCode, 404);
});

test('publishing inside a transaction that rolls back leaves no event, delivery or mail', async () => {
  const { org } = await setup('/rollback', ['*']);
  await t.app.services.notifications.createRule(org.id, { name: 'all', events: ['*'], toAdmins: false, toOwners: false, addresses: ['ops@example.test'], enabled: true }, { userId: null, email: 'test', ip: null });
  await assert.rejects(t.app.services.transact(async (tx) => {
    await t.app.services.notifications.publishTx(tx, org.id, event());
    throw new Error('the caller’s change failed');
  }), /caller’s change failed/);
  const counts = await t.app.services.database.pool.query(
    'SELECT (SELECT count(*) FROM notification_events WHERE org_id = $1)::int AS e, (SELECT count(*) FROM webhook_deliveries WHERE org_id = $1)::int AS d, (SELECT count(*) FROM outbox WHERE org_id = $1)::int AS m', [org.id]);
  assert.deepEqual(counts.rows[0], { e: 0, d: 0, m: 0 });
});
