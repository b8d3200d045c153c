import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../tests/support/app.ts';
import { newOrg, signIn } from '../../tests/support/factories.ts';
import { publishHub } from '../trust-docs/visitor.test-support.ts';
import { HubVisitor } from '../../tests/support/hub-forms.ts';

let t: TestApp;
before(async () => { t = await startTestApp(); });
after(async () => { await t?.close(); });

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const cloudy = { name: 'Cloudy Hosting', services: 'Infrastructure', purpose: 'Hosting of customer data', countries: ['DE', 'IE'], dataCategories: ['Customer content'], subprocessor: true, dpaDate: '2025-03-01', website: 'https://cloudy.example' };

async function hubWithChange(effectiveInDays = 30) {
  const { org, owner } = await newOrg(t, 'Hub');
  await publishHub(t, org.id);
  const agent = await signIn(t, owner.email);
  const [draft] = (await agent.post(`/api/v1/orgs/${org.id}/vendors`, cloudy)).json().changes;
  const change = (await agent.post(`/api/v1/orgs/${org.id}/subprocessor-changes/${draft.id}/announce`, { effectiveAt: inDays(effectiveInDays) })).json();
  return { org, agent, change, visitor: new HubVisitor(t.baseUrl), base: `/trust/${org.slug}/subprocessors` };
}
const mails = async (orgId: string, to: string) => (await t.outbox(orgId)).filter((m) => m.to === to);

test('the public list renders without JavaScript, lists the announced change with an objection link, and escapes text', async () => {
  const { org, agent, visitor, base, change } = await hubWithChange();
  const evil = (await agent.post(`/api/v1/orgs/${org.id}/vendors`, { ...cloudy, name: '<script>alert(1)</script> Ltd' })).json().changes[0];
  await agent.post(`/api/v1/orgs/${org.id}/subprocessor-changes/${evil.id}/announce`, { effectiveAt: inDays(5) });
  const page = await visitor.get(base);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type')!, /text\/html/);
  assert.match(page.body, /Announced changes/);
  assert.match(page.body, new RegExp(`${base}/changes/${change.id}/object`));
  assert.doesNotMatch(page.body, /<script>alert/);
  assert.match(page.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt; Ltd/);
  assert.match(page.body, /<form class="stack" method="post" action="[^"]+\/subscribe"/);
  assert.match(page.headers.get('set-cookie')!, /attest_trust_form=.*Path=\/trust\/[^;]+\/?;.*HttpOnly/i);
});

test('subscribing is double opt-in: a confirm mail, nothing announced until confirmed, then an unsubscribe link that works', async () => {
  const { org, agent, visitor, base } = await hubWithChange();
  await visitor.get(base);
  const bad = await visitor.post(`${base}/subscribe`, { email: 'not an email' });
  assert.equal(bad.status, 400);
  assert.match(bad.body, /aria-invalid="true"/);
  assert.match(bad.body, /Enter a valid email address/);
  const ok = await visitor.post(`${base}/subscribe`, { email: 'Reviewer@Customer.example' });
  assert.equal(ok.status, 200, ok.body);
  const [confirmMail] = await mails(org.id, 'reviewer@customer.example');
  assert.ok(confirmMail, 'no confirmation mail');
  const link = /(\/trust\/\S+\/confirm\?token=\S+)/.exec(confirmMail.text)![1]!;

  // Unconfirmed: an announcement mails nobody.
  const second = (await agent.post(`/api/v1/orgs/${org.id}/vendors`, { ...cloudy, name: 'Mailer Co' })).json().changes[0];
  await agent.post(`/api/v1/orgs/${org.id}/subprocessor-changes/${second.id}/announce`, { effectiveAt: inDays(14) });
  assert.equal((await mails(org.id, 'reviewer@customer.example')).length, 1);

  // The link opens a page with a button; following the link alone changes nothing.
  const page = await visitor.get(link);
  assert.equal(page.status, 200);
  assert.equal((await t.app.services.vendors.subscribers(org.id))[0]!.confirmedAt, null);
  const token = /name="token" value="([^"]+)"/.exec(page.body)![1]!;
  assert.equal((await visitor.post(`${base}/confirm`, { token: 'wrong' })).status, 404);
  assert.equal((await visitor.post(`${base}/confirm`, { token })).status, 200);
  assert.ok((await t.app.services.vendors.subscribers(org.id))[0]!.confirmedAt);

  const third = (await agent.post(`/api/v1/orgs/${org.id}/vendors`, { ...cloudy, name: 'Support Desk Inc' })).json().changes[0];
  await agent.post(`/api/v1/orgs/${org.id}/subprocessor-changes/${third.id}/announce`, { effectiveAt: inDays(14) });
  const notice = (await mails(org.id, 'reviewer@customer.example')).find((m) => m.subject.includes('Support Desk Inc'));
  assert.ok(notice, 'no announcement mail');
  assert.match(notice.text, new RegExp(`changes/${third.id}/object`));
  const unsub = /(\/trust\/\S+\/unsubscribe\?token=\S+)/.exec(notice.text)![1]!;
  const unsubPage = await visitor.get(unsub);
  const unsubToken = /name="token" value="([^"]+)"/.exec(unsubPage.body)![1]!;
  assert.equal((await visitor.post(`${base}/unsubscribe`, { token: `${unsubToken.split('.')[0]}.forged` })).status, 404);
  assert.equal((await visitor.post(`${base}/unsubscribe`, { token: unsubToken })).status, 200);

  const fourth = (await agent.post(`/api/v1/orgs/${org.id}/vendors`, { ...cloudy, name: 'Analytics GmbH' })).json().changes[0];
  await agent.post(`/api/v1/orgs/${org.id}/subprocessor-changes/${fourth.id}/announce`, { effectiveAt: inDays(14) });
  assert.equal((await mails(org.id, 'reviewer@customer.example')).filter((m) => m.subject.includes('Analytics')).length, 0);
});

test('forms without the cookie-bound CSRF token are refused', async () => {
  const { org, visitor, base } = await hubWithChange();
  await visitor.get(base);
  assert.equal((await visitor.post(`${base}/subscribe`, { email: 'a@customer.example' }, { csrf: 'forged' })).status, 403);
  const stranger = new HubVisitor(t.baseUrl);
  assert.equal((await stranger.post(`${base}/subscribe`, { email: 'a@customer.example' }, { csrf: visitor.lastCsrf })).status, 403);
  assert.equal((await mails(org.id, 'a@customer.example')).length, 0);
});

test('objections are recorded inside the notice window, shown to admins, and refused once the change took effect', async () => {
  const { org, agent, visitor, base, change } = await hubWithChange();
  const form = await visitor.get(`${base}/changes/${change.id}/object`);
  assert.equal(form.status, 200);
  const missing = await visitor.post(`${base}/changes/${change.id}/object`, { name: 'Rita', email: 'rita@customer.example', company: '', reason: '' });
  assert.equal(missing.status, 400);
  assert.match(missing.body, /Enter your company/);
  assert.match(missing.body, /value="Rita"/);
  const ok = await visitor.post(`${base}/changes/${change.id}/object`, { name: 'Rita', email: 'rita@customer.example', company: 'Customer Inc', reason: 'Our contract excludes processing outside the EU.' });
  assert.equal(ok.status, 200, ok.body);
  const listed = (await agent.get(`/api/v1/orgs/${org.id}/subprocessor-changes`)).json().items.find((c: { id: string }) => c.id === change.id);
  assert.deepEqual(listed.objections.map((o: { company: string }) => o.company), ['Customer Inc']);

  await t.app.services.database.pool.query(`UPDATE subprocessor_changes SET effective_at = current_date - 1 WHERE id = $1`, [change.id]);
  assert.equal((await visitor.get(`${base}/changes/${change.id}/object`)).status, 409);
  const late = await visitor.post(`${base}/changes/${change.id}/object`, { name: 'Rita', email: 'rita@customer.example', company: 'Customer Inc', reason: 'Late' });
  assert.equal(late.status, 409);
  assert.match(late.body, /closed/);
  assert.equal((await agent.get(`/api/v1/orgs/${org.id}/subprocessor-changes`)).json().items.find((c: { id: string }) => c.id === change.id).objections.length, 1);
});

test('drafts, other orgs\u2019 changes, unknown slugs and unpublished hubs are 404', async () => {
  const a = await hubWithChange();
  const b = await hubWithChange();
  const draft = (await a.agent.post(`/api/v1/orgs/${a.org.id}/vendors`, { ...cloudy, name: 'Draft Only' })).json().changes[0];
  assert.equal((await a.visitor.get(`${a.base}/changes/${draft.id}/object`)).status, 404);
  assert.equal((await a.visitor.get(`${a.base}/changes/${b.change.id}/object`)).status, 404);
  assert.equal((await a.visitor.get(`${a.base}/changes/not-a-uuid/object`)).status, 404);
  assert.equal((await a.visitor.get('/trust/no-such-org/subprocessors')).status, 404);
  const published = t.app.services.publishedHubs;
  const original = published.bySlug;
  published.bySlug = async (slug) => (slug === a.org.slug ? null : original(slug));
  try {
    assert.equal((await a.visitor.get(a.base)).status, 404);
    assert.equal((await a.visitor.get(`/trust/${a.org.slug}/responsibilities.csv`)).status, 404);
    assert.equal((await a.visitor.get(b.base)).status, 200);
  } finally {
    published.bySlug = original;
  }
});
