// Controls through the HTTP API on a real database: CRUD, versions, retire, links, starter set, isolation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../tests/support/app.ts';
import { newMember, newOrg, signIn } from '../../tests/support/factories.ts';
import type { Agent } from '../../tests/support/agent.ts';

let t: TestApp;
before(async () => { t = await startTestApp(); });
after(async () => { await t?.close(); });

const base = (orgId: string) => `/api/v1/orgs/${orgId}/controls`;
const sample = (code: string, extra: Record<string, unknown> = {}) => ({
  code, title: `Control ${code}`, description: 'Backups are taken nightly and restored once a quarter.', frequency: 'daily', nature: 'preventive', automation: 'automated', ...extra,
});

async function setup() {
  const { org, owner } = await newOrg(t);
  return { org, owner, agent: await signIn(t, owner.email) };
}
async function actions(orgId: string) {
  const rows = await t.app.services.database.pool.query('SELECT action, detail FROM security_events WHERE org_id = $1 AND target_type = $2 ORDER BY id', [orgId, 'control']);
  return rows.rows.map((r: { action: string }) => r.action);
}

test('create, get, list with filters and sorting, update', async () => {
  const { org, owner, agent } = await setup();
  const created = await agent.post(base(org.id), sample('BCK-01', { ownerUserId: owner.id, scope: ['api', 'billing'], requirements: [{ framework: 'soc2-2017', id: 'CC6.1' }, { framework: 'iso27001-2022', id: 'A.8.5' }] }));
  assert.equal(created.statusCode, 201, created.body);
  const c = created.json();
  assert.equal(c.lifecycle, 'draft');
  assert.equal(c.version, 1);
  assert.equal(c.ownerEmail, owner.email);
  assert.deepEqual(c.scope, ['api', 'billing']);
  assert.deepEqual(c.requirements, [{ framework: 'iso27001-2022', id: 'A.8.5' }, { framework: 'soc2-2017', id: 'CC6.1' }]);
  await agent.post(base(org.id), sample('ACC-02', { title: 'Zebra access review', frequency: 'quarterly', requirements: [{ framework: 'soc2-2017', id: 'CC6.2' }] }));
  await agent.post(base(org.id), sample('NET-03', { title: 'Alpha firewall', lifecycle: 'operating' }));

  const got = await agent.get(`${base(org.id)}/${c.id}`);
  assert.equal(got.json().code, 'BCK-01');
  const codes = async (qs: string) => (await agent.get(`${base(org.id)}?${qs}`)).json().items.map((i: { code: string }) => i.code);
  assert.deepEqual(await codes(''), ['ACC-02', 'BCK-01', 'NET-03']);
  assert.deepEqual(await codes('sort=title'), ['NET-03', 'BCK-01', 'ACC-02']);
  assert.deepEqual(await codes('sort=code&dir=desc'), ['NET-03', 'BCK-01', 'ACC-02']);
  assert.deepEqual(await codes('lifecycle=operating'), ['NET-03']);
  assert.deepEqual(await codes(`owner=${owner.id}`), ['BCK-01']);
  assert.deepEqual(await codes('framework=iso27001-2022'), ['BCK-01']);
  assert.deepEqual(await codes('frequency=quarterly'), ['ACC-02']);
  assert.deepEqual(await codes('q=zebra'), ['ACC-02']);
  assert.deepEqual(await codes('q=%25'), [], 'LIKE wildcards in the search are literal');
  const listed = (await agent.get(base(org.id))).json().items.find((i: { code: string }) => i.code === 'BCK-01');
  assert.deepEqual(listed.frameworks, ['iso27001-2022', 'soc2-2017']);
  assert.equal(listed.requirementCount, 2);

  const updated = await agent.patch(`${base(org.id)}/${c.id}`, { version: 1, title: 'Nightly backups', lifecycle: 'implemented', ownerUserId: null });
  assert.equal(updated.statusCode, 200, updated.body);
  assert.equal(updated.json().version, 2);
  assert.equal(updated.json().ownerUserId, null);
  assert.equal(updated.json().title, 'Nightly backups');
  assert.deepEqual(await actions(org.id), ['control.created', 'control.created', 'control.created', 'control.updated']);
});

test('a stale version answers 409 and changes nothing', async () => {
  const { org, agent } = await setup();
  const c = (await agent.post(base(org.id), sample('VER-01'))).json();
  assert.equal((await agent.patch(`${base(org.id)}/${c.id}`, { version: 1, title: 'First writer' })).statusCode, 200);
  const stale = await agent.patch(`${base(org.id)}/${c.id}`, { version: 1, title: 'Second writer' });
  assert.equal(stale.statusCode, 409);
  assert.equal(stale.json().code, 'conflict');
  const staleLinks = await agent.request('PUT', `${base(org.id)}/${c.id}/requirements`, { version: 1, requirements: [] });
  assert.equal(staleLinks.statusCode, 409);
  assert.equal((await agent.get(`${base(org.id)}/${c.id}`)).json().title, 'First writer');
});

test('duplicate codes conflict; owners must be members; unknown requirements are named', async () => {
  const { org, agent } = await setup();
  await agent.post(base(org.id), sample('DUP-01'));
  assert.equal((await agent.post(base(org.id), sample('DUP-01'))).statusCode, 409);
  const stranger = await newOrg(t);
  const badOwner = await agent.post(base(org.id), sample('OWN-01', { ownerUserId: stranger.owner.id }));
  assert.equal(badOwner.statusCode, 400);
  assert.equal(badOwner.json().errors[0].path, 'ownerUserId');
  const unknown = await agent.post(base(org.id), sample('REQ-01', { requirements: [{ framework: 'soc2-2017', id: 'CC99.9' }, { framework: 'nope', id: 'X' }, { framework: 'soc2-2017', id: 'CC6.1' }] }));
  assert.equal(unknown.statusCode, 400);
  assert.match(unknown.json().detail, /soc2-2017:CC99\.9, nope:X/);
  assert.doesNotMatch(unknown.json().detail, /CC6\.1/);
  // A group of a catalog is not something a control can satisfy.
  assert.equal((await agent.post(base(org.id), sample('REQ-02', { requirements: [{ framework: 'soc2-2017', id: 'CC6' }] }))).statusCode, 400);
  const codes = (await agent.get(base(org.id))).json().items.map((i: { code: string }) => i.code);
  assert.deepEqual(codes, ['DUP-01']);
});

test('retire keeps the control, hides it from live lists and coverage links, and is idempotent', async () => {
  const { org, agent } = await setup();
  const c = (await agent.post(base(org.id), sample('RET-01', { requirements: [{ framework: 'soc2-2017', id: 'CC7.2' }] }))).json();
  const keep = (await agent.post(base(org.id), sample('RET-02', { requirements: [{ framework: 'soc2-2017', id: 'CC7.2' }] }))).json();
  const s = t.app.services.controls;
  assert.deepEqual((await s.controlsForRequirement(org.id, 'soc2-2017', 'CC7.2')).map((x) => x.code), ['RET-01', 'RET-02']);
  const retired = await agent.post(`${base(org.id)}/${c.id}/retire`, {});
  assert.equal(retired.statusCode, 200, retired.body);
  assert.equal(retired.json().lifecycle, 'retired');
  assert.equal((await agent.post(`${base(org.id)}/${c.id}/retire`, {})).json().version, retired.json().version);
  assert.equal((await agent.get(`${base(org.id)}/${c.id}`)).statusCode, 200);
  assert.deepEqual((await agent.get(base(org.id))).json().items.map((i: { code: string }) => i.code), ['RET-02']);
  assert.deepEqual((await agent.get(`${base(org.id)}?includeRetired=true`)).json().items.map((i: { code: string }) => i.code), ['RET-01', 'RET-02']);
  assert.deepEqual((await agent.get(`${base(org.id)}?lifecycle=retired`)).json().items.map((i: { code: string }) => i.code), ['RET-01']);
  assert.deepEqual((await s.controlsForRequirement(org.id, 'soc2-2017', 'CC7.2')).map((x) => x.code), ['RET-02']);
  assert.deepEqual(await s.links(org.id), [{ controlId: keep.id, code: 'RET-02', title: 'Control RET-02', lifecycle: 'draft', framework: 'soc2-2017', requirementId: 'CC7.2' }]);
  assert.deepEqual((await actions(org.id)).filter((a) => a === 'control.retired'), ['control.retired']);
  assert.equal((await agent.delete(`${base(org.id)}/${c.id}`)).statusCode, 404, 'there is no delete');
});

test('the mapping editor replaces the link set in one transaction', async () => {
  const { org, agent } = await setup();
  const c = (await agent.post(base(org.id), sample('MAP-01', { requirements: [{ framework: 'soc2-2017', id: 'CC6.1' }] }))).json();
  const put = (version: number, requirements: unknown[]) => agent.request('PUT', `${base(org.id)}/${c.id}/requirements`, { version, requirements });
  const bad = await put(1, [{ framework: 'soc2-2017', id: 'CC6.2' }, { framework: 'iso27001-2022', id: 'A.99' }]);
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().detail, /iso27001-2022:A\.99/);
  assert.deepEqual((await agent.get(`${base(org.id)}/${c.id}`)).json().requirements, [{ framework: 'soc2-2017', id: 'CC6.1' }], 'nothing changed');
  const ok = await put(1, [{ framework: 'soc2-2017', id: 'CC6.2' }, { framework: 'iso27001-2022', id: 'A.5.15' }, { framework: 'soc2-2017', id: 'CC6.2' }]);
  assert.equal(ok.statusCode, 200, ok.body);
  assert.deepEqual(ok.json().requirements, [{ framework: 'iso27001-2022', id: 'A.5.15' }, { framework: 'soc2-2017', id: 'CC6.2' }]);
  assert.equal(ok.json().version, 2);
  const log = await t.app.services.database.pool.query(`SELECT detail FROM security_events WHERE org_id = $1 AND action = 'control.links_changed'`, [org.id]);
  assert.deepEqual(log.rows[0].detail.removed, ['soc2-2017:CC6.1']);
  assert.deepEqual(log.rows[0].detail.added.sort(), ['iso27001-2022:A.5.15', 'soc2-2017:CC6.2']);
});

test('requirement options search the catalog by id and title', async () => {
  const { org, agent } = await setup();
  const res = await agent.get(`${base(org.id)}/requirement-options?framework=iso27001-2022&q=A.8.2`);
  const ids = res.json().items.map((i: { id: string }) => i.id);
  assert.ok(ids.includes('A.8.24'), ids.join());
  assert.ok(ids.every((id: string) => id.includes('A.8.2')));
  assert.deepEqual((await agent.get(`${base(org.id)}/requirement-options?framework=unknown&q=`)).json().items, []);
  const frameworks = (await agent.get(`${base(org.id)}/frameworks`)).json().items.map((f: { id: string }) => f.id);
  assert.ok(frameworks.includes('soc2-2017') && frameworks.includes('iso27001-2022'), frameworks.join());
});

test('starter set: preview marks adopted codes, adopting twice adds nothing twice', async () => {
  const { org, agent } = await setup();
  const preview = await agent.get(`${base(org.id)}/starter?frameworks=soc2-2017,iso27001-2022`);
  assert.equal(preview.statusCode, 200, preview.body);
  const offered = preview.json().items;
  assert.ok(offered.length >= 2);
  assert.ok(offered.every((i: { adopted: boolean; requirements: { framework: string }[] }) => !i.adopted && i.requirements.every((r) => ['soc2-2017', 'iso27001-2022'].includes(r.framework))));
  const first = offered[0].code;

  const one = await agent.post(`${base(org.id)}/starter/adopt`, { frameworks: ['soc2-2017'], codes: [first] });
  assert.equal(one.statusCode, 200, one.body);
  assert.deepEqual(one.json(), { adopted: [first], alreadyAdopted: [] });
  const all = (await agent.post(`${base(org.id)}/starter/adopt`, { frameworks: ['soc2-2017', 'iso27001-2022'] })).json();
  assert.deepEqual(all.alreadyAdopted, [first]);
  assert.equal(all.adopted.length, offered.length - 1);
  const again = (await agent.post(`${base(org.id)}/starter/adopt`, { frameworks: ['soc2-2017', 'iso27001-2022'] })).json();
  assert.deepEqual(again.adopted, []);
  const items = (await agent.get(base(org.id))).json().items;
  assert.equal(items.length, offered.length);
  assert.ok(items.every((i: { starterCode: string; starterVersion: number; lifecycle: string }) => i.starterCode && i.starterVersion === preview.json().version && i.lifecycle === 'draft'));
  // Adopted for soc2 only, the first control links only soc2 requirements.
  const firstDetail = (await agent.get(`${base(org.id)}/${items.find((i: { code: string }) => i.code === first).id}`)).json();
  assert.ok(firstDetail.requirements.every((r: { framework: string }) => r.framework === 'soc2-2017'));
  assert.ok((await agent.get(`${base(org.id)}/starter?frameworks=soc2-2017`)).json().items.every((i: { adopted: boolean }) => i.adopted));
  const bad = await agent.post(`${base(org.id)}/starter/adopt`, { frameworks: ['soc2-2017'], codes: ['ZZZ-99'] });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().detail, /ZZZ-99/);
});

test('tenant isolation: org B can neither read, edit nor link org A\'s controls', async () => {
  const a = await setup();
  const b = await setup();
  const c = (await a.agent.post(base(a.org.id), sample('ISO-01'))).json();
  const tries: [string, string, unknown?][] = [
    ['GET', `${base(b.org.id)}/${c.id}`], ['PATCH', `${base(b.org.id)}/${c.id}`, { version: 1, title: 'Mine now' }],
    ['POST', `${base(b.org.id)}/${c.id}/retire`, {}], ['PUT', `${base(b.org.id)}/${c.id}/requirements`, { version: 1, requirements: [{ framework: 'soc2-2017', id: 'CC6.1' }] }],
    ['GET', `${base(a.org.id)}/${c.id}`], ['GET', base(a.org.id)],
  ];
  for (const [method, url, body] of tries) {
    const res = await b.agent.request(method, url, body);
    assert.equal(res.statusCode, 404, `${method} ${url}: ${res.body}`);
  }
  assert.deepEqual((await b.agent.get(base(b.org.id))).json().items, []);
  assert.deepEqual(await t.app.services.controls.links(b.org.id), []);
  const still = (await a.agent.get(`${base(a.org.id)}/${c.id}`)).json();
  assert.equal(still.version, 1);
  assert.deepEqual(still.requirements, []);
  // Org B's member as owner of org A's control is refused too.
  const bMember = await newMember(t, b.org.id, 'editor');
  assert.equal((await a.agent.patch(`${base(a.org.id)}/${c.id}`, { version: 1, ownerUserId: bMember.id })).statusCode, 400);
});

test('viewers read, editors write, admins import and adopt', async () => {
  const { org, agent } = await setup();
  const as = async (role: 'viewer' | 'editor'): Promise<Agent> => signIn(t, (await newMember(t, org.id, role)).email);
  const viewer = await as('viewer');
  const editor = await as('editor');
  assert.equal((await viewer.get(base(org.id))).statusCode, 200);
  assert.equal((await viewer.post(base(org.id), sample('ROL-01'))).statusCode, 403);
  const made = await editor.post(base(org.id), sample('ROL-01'));
  assert.equal(made.statusCode, 201);
  assert.equal((await editor.post(`${base(org.id)}/starter/adopt`, { frameworks: ['soc2-2017'] })).statusCode, 403);
  assert.equal((await editor.post(`${base(org.id)}/import`, { format: 'csv', content: 'code,title,frequency,nature,automation\nX-1,T,daily,preventive,manual\n' })).statusCode, 403);
  assert.equal((await agent.post(`${base(org.id)}/starter/adopt`, { frameworks: ['soc2-2017'] })).statusCode, 200);
});
