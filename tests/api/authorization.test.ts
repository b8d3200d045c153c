// Tries to break in: every org route with another org's ids, and every role against every route.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startTestApp, type TestApp } from '../support/app.ts';
import { newMember, newOrg, signIn, uniqueEmail } from '../support/factories.ts';
import { Agent } from '../support/agent.ts';
import { roles, hasRole, type Role } from '../../src/lib/roles.ts';

let t: TestApp;
before(async () => { t = await startTestApp(); });
after(async () => { await t?.close(); });

type Fixture = { orgId: string; ids: Record<string, string>; params: Record<string, string> };
type RouteCase = { minimum: Role; body?: () => unknown; query?: string };

/** Every org-scoped route with the least role it needs. The test fails when a route is missing here. */
const routes: Record<string, RouteCase> = {
  'GET /api/v1/orgs/{orgId}': { minimum: 'viewer' },
  'PATCH /api/v1/orgs/{orgId}': { minimum: 'admin', body: () => ({ name: 'Renamed' }) },
  'GET /api/v1/orgs/{orgId}/members': { minimum: 'viewer' },
  'PATCH /api/v1/orgs/{orgId}/members/{userId}': { minimum: 'admin', body: () => ({ role: 'editor' }) },
  'DELETE /api/v1/orgs/{orgId}/members/{userId}': { minimum: 'admin' },
  'GET /api/v1/orgs/{orgId}/invitations': { minimum: 'admin' },
  'POST /api/v1/orgs/{orgId}/invitations': { minimum: 'admin', body: () => ({ email: uniqueEmail('invitee'), role: 'viewer' }) },
  'DELETE /api/v1/orgs/{orgId}/invitations/{id}': { minimum: 'admin' },
  'GET /api/v1/orgs/{orgId}/tokens': { minimum: 'viewer' },
  'POST /api/v1/orgs/{orgId}/tokens': { minimum: 'viewer', body: () => ({ name: 'ci', scope: 'read', expiresInDays: 30 }) },
  'DELETE /api/v1/orgs/{orgId}/tokens/{id}': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/audit-log': { minimum: 'admin' },
  'GET /api/v1/orgs/{orgId}/outbox': { minimum: 'admin' },
  'GET /api/v1/orgs/{orgId}/ledger': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/ledger/entries/{index}': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/ledger/checkpoints/latest': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/ledger/checkpoints': { minimum: 'viewer' },
  'POST /api/v1/orgs/{orgId}/ledger/checkpoints': { minimum: 'admin' },
  'GET /api/v1/orgs/{orgId}/ledger/proofs/inclusion': { minimum: 'viewer', query: '?index=0' },
  'GET /api/v1/orgs/{orgId}/ledger/proofs/consistency': { minimum: 'viewer', query: '?from=0&to=1' },
  'GET /api/v1/orgs/{orgId}/ledger/bundles/{index}': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/ledger/keys': { minimum: 'viewer' },
  'POST /api/v1/orgs/{orgId}/ledger/keys/rotate': { minimum: 'admin' },
  'POST /api/v1/orgs/{orgId}/ledger/audits': { minimum: 'admin' },
  'GET /api/v1/orgs/{orgId}/ledger/audits/latest': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/controls': { minimum: 'viewer' },
  'POST /api/v1/orgs/{orgId}/controls': { minimum: 'editor', body: () => ({ code: `AZ-${crypto.randomUUID().slice(0, 8)}`, title: 'Fixture', frequency: 'daily', nature: 'preventive', automation: 'manual' }) },
  'GET /api/v1/orgs/{orgId}/controls/starter': { minimum: 'viewer', query: '?frameworks=soc2-2017' },
  'POST /api/v1/orgs/{orgId}/controls/starter/adopt': { minimum: 'admin', body: () => ({ frameworks: ['soc2-2017'] }) },
  'GET /api/v1/orgs/{orgId}/controls/frameworks': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/controls/requirement-options': { minimum: 'viewer', query: '?framework=soc2-2017&q=CC6' },
  'POST /api/v1/orgs/{orgId}/controls/import': { minimum: 'admin', body: () => ({ format: 'csv', content: `code,title,frequency,nature,automation\nIM-${crypto.randomUUID().slice(0, 8)},Imported,daily,preventive,manual\n` }) },
  'GET /api/v1/orgs/{orgId}/controls/export': { minimum: 'viewer', query: '?format=oscal' },
  'GET /api/v1/orgs/{orgId}/controls/{id}': { minimum: 'viewer' },
  'PATCH /api/v1/orgs/{orgId}/controls/{id}': { minimum: 'editor', body: () => ({ version: 1, title: 'Renamed' }) },
  'POST /api/v1/orgs/{orgId}/controls/{id}/retire': { minimum: 'editor', body: () => ({}) },
  'PUT /api/v1/orgs/{orgId}/controls/{id}/requirements': { minimum: 'editor', body: () => ({ version: 1, requirements: [{ framework: 'soc2-2017', id: 'CC6.1' }] }) },
  'GET /api/v1/orgs/{orgId}/coverage': { minimum: 'viewer', query: '?whatIf=true' },
  'GET /api/v1/orgs/{orgId}/coverage/{frameworkId}': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/coverage/{frameworkId}/requirements/{requirementId}': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/frameworks': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/frameworks/{frameworkId}': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/frameworks/{frameworkId}/requirements/{requirementId}': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/frameworks/{frameworkId}/export': { minimum: 'viewer' },
  'POST /api/v1/orgs/{orgId}/frameworks/import': { minimum: 'admin', body: () => tinyCatalog(), query: '?id=tiny&fileName=tiny.json' },
  'GET /api/v1/orgs/{orgId}/requirements': { minimum: 'viewer', query: '?q=access' },
  'GET /api/v1/orgs/{orgId}/scope': { minimum: 'viewer' },
  'PUT /api/v1/orgs/{orgId}/scope': { minimum: 'admin', body: () => ({ frameworkIds: ['soc2-2017'] }) },
  'GET /api/v1/orgs/{orgId}/mappings/export': { minimum: 'viewer', query: '?from=iso27001-2022' },
  'POST /api/v1/orgs/{orgId}/mappings/import': { minimum: 'admin', body: () => tinyMappings() },
  'GET /api/v1/orgs/{orgId}/products': { minimum: 'viewer' },
  'POST /api/v1/orgs/{orgId}/products': { minimum: 'admin', body: () => ({ name: `Product ${crypto.randomUUID()}` }) },
  'GET /api/v1/orgs/{orgId}/products/{id}': { minimum: 'viewer' },
  'PATCH /api/v1/orgs/{orgId}/products/{id}': { minimum: 'admin', body: () => ({ description: 'Changed' }) },
  'DELETE /api/v1/orgs/{orgId}/products/{id}': { minimum: 'admin' },
  'GET /api/v1/orgs/{orgId}/certifications': { minimum: 'viewer' },
  'POST /api/v1/orgs/{orgId}/certifications': { minimum: 'admin', body: () => ({ frameworkId: 'soc2-2017', name: 'SOC 2 Type II', details: { kind: 'soc2-type2', periodStart: '2025-10-01', periodEnd: '2026-09-30' } }) },
  'GET /api/v1/orgs/{orgId}/certifications/frameworks': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/certifications/{id}': { minimum: 'viewer' },
  'PATCH /api/v1/orgs/{orgId}/certifications/{id}': { minimum: 'admin', body: () => ({ version: 1, scopeNotes: 'Changed' }) },
  'POST /api/v1/orgs/{orgId}/certifications/{id}/status': { minimum: 'admin', body: () => ({ status: 'in-process', reason: 'Fieldwork started' }) },
  'GET /api/v1/orgs/{orgId}/webhooks': { minimum: 'admin' },
  'POST /api/v1/orgs/{orgId}/webhooks': { minimum: 'admin', body: () => ({ url: 'https://hooks.example.test/attest', events: ['*'] }) },
  'GET /api/v1/orgs/{orgId}/webhooks/{id}': { minimum: 'admin' },
  'PATCH /api/v1/orgs/{orgId}/webhooks/{id}': { minimum: 'admin', body: () => ({ enabled: false }) },
  'DELETE /api/v1/orgs/{orgId}/webhooks/{id}': { minimum: 'admin' },
  'POST /api/v1/orgs/{orgId}/webhooks/{id}/rotate-secret': { minimum: 'admin' },
  'POST /api/v1/orgs/{orgId}/webhooks/{id}/test': { minimum: 'admin' },
  'GET /api/v1/orgs/{orgId}/webhooks/{id}/deliveries': { minimum: 'admin' },
  'POST /api/v1/orgs/{orgId}/webhooks/{id}/deliveries/{deliveryId}/redeliver': { minimum: 'admin' },
  'GET /api/v1/orgs/{orgId}/notification-rules': { minimum: 'admin' },
  'POST /api/v1/orgs/{orgId}/notification-rules': { minimum: 'admin', body: () => ({ name: 'Failing', events: ['control.failing'], toAdmins: true }) },
  'PATCH /api/v1/orgs/{orgId}/notification-rules/{id}': { minimum: 'admin', body: () => ({ enabled: false }) },
  'DELETE /api/v1/orgs/{orgId}/notification-rules/{id}': { minimum: 'admin' },
  'GET /api/v1/orgs/{orgId}/vendors': { minimum: 'viewer' },
  'POST /api/v1/orgs/{orgId}/vendors': { minimum: 'admin', body: () => ({ name: `Vendor ${crypto.randomUUID()}`, purpose: 'Hosting', countries: ['DE'], subprocessor: true }) },
  'GET /api/v1/orgs/{orgId}/vendors/{id}': { minimum: 'viewer' },
  'PATCH /api/v1/orgs/{orgId}/vendors/{id}': { minimum: 'admin', body: () => ({ countries: ['DE', 'FR'] }) },
  'DELETE /api/v1/orgs/{orgId}/vendors/{id}': { minimum: 'admin' },
  'GET /api/v1/orgs/{orgId}/subprocessor-changes': { minimum: 'viewer' },
  'POST /api/v1/orgs/{orgId}/subprocessor-changes/{id}/announce': { minimum: 'admin', body: () => ({ effectiveAt: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10) }) },
  'POST /api/v1/orgs/{orgId}/subprocessor-changes/{id}/withdraw': { minimum: 'admin', body: () => ({}) },
  'GET /api/v1/orgs/{orgId}/subprocessor-subscribers': { minimum: 'admin' },
  'GET /api/v1/orgs/{orgId}/responsibilities': { minimum: 'viewer' },
  'POST /api/v1/orgs/{orgId}/responsibilities': { minimum: 'admin', body: () => ({ statement: 'Review who can sign in', criteria: [{ framework: 'soc2-2017', id: 'CC6.2' }] }) },
  'GET /api/v1/orgs/{orgId}/responsibilities/export': { minimum: 'viewer', query: '?format=pdf' },
  'GET /api/v1/orgs/{orgId}/responsibilities/{id}': { minimum: 'viewer' },
  'PATCH /api/v1/orgs/{orgId}/responsibilities/{id}': { minimum: 'admin', body: () => ({ version: 1, published: true }) },
  'DELETE /api/v1/orgs/{orgId}/responsibilities/{id}': { minimum: 'admin' },
};

const OSCAL_TIME = '2026-01-01T00:00:00Z';
function tinyCatalog() {
  return { catalog: { uuid: crypto.randomUUID(), metadata: { title: 'Tiny', version: '1', 'oscal-version': '1.2.1', 'last-modified': OSCAL_TIME }, controls: [{ id: 'c-1', title: 'One' }] } };
}
function tinyMappings() {
  const ref = (id: string) => ({ type: 'catalog', href: `urn:attest:framework:${id}` });
  return {
    'mapping-collection': {
      uuid: crypto.randomUUID(), metadata: { title: 'Tiny mappings', version: '1', 'oscal-version': '1.2.1', 'last-modified': OSCAL_TIME },
      provenance: { method: 'human', 'matching-rationale': 'semantic', status: 'draft', 'mapping-description': 'fixture' },
      mappings: [{ uuid: crypto.randomUUID(), 'source-resource': ref('soc2-2017'), 'target-resource': ref('iso27001-2022'),
        maps: [{ uuid: crypto.randomUUID(), relationship: 'intersects-with', sources: [{ type: 'control', 'id-ref': 'CC6.1' }], targets: [{ type: 'control', 'id-ref': 'A.5.15' }] }] }],
    },
  };
}

function orgRoutesInOpenApi(): string[] {
  const doc = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).filter(([p]) => p.includes('{orgId}'))
    .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort();
}

/** Fresh objects to act on, so one call never depends on what another did. */
async function fixture(orgId: string, tokenOwnerId: string): Promise<Fixture> {
  const s = t.app.services;
  const victim = await newMember(t, orgId, 'viewer');
  const inviter = { userId: tokenOwnerId, email: 'fixture@example.test', ip: null, role: 'owner' as const };
  const invitation = await s.invitations.create(orgId, { email: uniqueEmail('fixture'), role: 'viewer' }, inviter);
  const { token } = await s.tokens.create(orgId, { name: 'fixture', scope: 'read', expiresInDays: 1 }, { ...inviter, userId: tokenOwnerId });
  const entry = await s.ledger.append(orgId, { kind: 'fixture.created', record: { n: 1 } });
  await s.ledger.checkpoint(orgId);
  await s.ledger.runAudit(orgId, 'manual');
  const control = await s.controls.create(orgId, { code: `FX-${crypto.randomUUID().slice(0, 8)}`, title: 'Fixture control', description: '', ownerUserId: null, frequency: 'monthly', nature: 'detective', automation: 'manual', lifecycle: 'draft', scope: [], requirements: [] }, inviter);
  const product = await s.products.create(orgId, { name: `Fixture ${crypto.randomUUID()}`, kind: 'service', description: '', public: false });
  const certification = await s.certifications.create(orgId, {
    frameworkId: 'iso27001-2022', name: 'ISO 27001', status: 'planned', details: { kind: 'certificate' },
    rolesCovered: [], inScope: [], outOfScope: [], scopeNotes: '', locations: [], public: false,
  }, inviter);
  const { endpoint } = await s.webhooks.create(orgId, { url: 'https://hooks.example.test/attest', description: '', events: ['*'], enabled: true }, inviter);
  // A failed delivery written directly (no job), so redelivering it is allowed.
  const [delivery] = await s.repos.notifications.insertDeliveries([{ orgId, endpointId: endpoint.id, eventId: crypto.randomUUID(), eventType: 'control.failing', payload: {}, status: 'failed' }]);
  const rule = await s.notifications.createRule(orgId, { name: 'fixture', events: ['*'], toAdmins: true, toOwners: false, addresses: [], enabled: true }, inviter);
  const saved = await s.vendors.create(orgId, { name: `Fixture vendor ${crypto.randomUUID()}`, services: '', purpose: 'Hosting', countries: ['DE'], dataCategories: [], subprocessor: true, dpaDate: null, website: null, productIds: [product.id] });
  const responsibility = await s.responsibilities.create(orgId, { statement: 'Fixture statement', criteria: [{ framework: 'soc2-2017', id: 'CC6.1' }], productIds: [product.id], published: false });
  return {
    orgId,
    ids: { invitations: invitation.id, tokens: token.id, controls: control.id, products: product.id, certifications: certification.id, webhooks: endpoint.id, 'notification-rules': rule.id,
      vendors: saved.vendor.id, 'subprocessor-changes': saved.changes[0]!.id, responsibilities: responsibility.id },
    // Coverage reads the built-in catalogs: a real framework and requirement, nothing to create.
    params: { orgId, userId: victim.id, index: String(entry.index), frameworkId: 'soc2-2017', requirementId: 'CC6.1', deliveryId: delivery!.id },
  };
}

/** `{id}` stands for the fixture object of the collection it follows (`/controls/{id}` → a control); other params by name. */
function url(route: string, f: Fixture) {
  const [, path] = route.split(' ');
  const filled = path!.replace(/\/([a-z-]+)\/\{id\}/g, (_m, collection: string) => {
    const id = f.ids[collection];
    if (!id) throw new Error(`the fixture has no object for /${collection}/{id}`);
    return `/${collection}/${id}`;
  }).replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = f.params[name];
    if (value === undefined) throw new Error(`the fixture has no value for {${name}}`);
    return value;
  });
  return filled + (routes[route]!.query ?? '');
}

const call = (agent: Agent, route: string, f: Fixture) => agent.request(route.split(' ')[0]!, url(route, f), routes[route]!.body?.());

test('the route table covers every org-scoped route of the API', () => {
  assert.deepEqual(orgRoutesInOpenApi(), Object.keys(routes).sort());
});

test('every org route answers 404 to a member of another org, for sessions and tokens alike', { timeout: 900_000 }, async () => {
  const a = await newOrg(t, 'Alpha');
  const b = await newOrg(t, 'Beta');
  const agent = await signIn(t, a.owner.email);
  const tokenA = (await t.app.services.tokens.create(a.org.id, { name: 'a', scope: 'write', expiresInDays: 1 }, { userId: a.owner.id, email: a.owner.email, ip: null, role: 'owner' })).secret;
  const bearer = Agent.withToken(t.server, tokenA);
  for (const route of Object.keys(routes)) {
    for (const [who, client] of [['session', agent], ['token', bearer]] as const) {
      const res = await call(client, route, await fixture(b.org.id, b.owner.id));
      assert.equal(res.statusCode, 404, `${who}: ${route} with another org's ids answered ${res.statusCode}: ${res.body}`);
      assert.equal(res.json().code, 'not_found');
    }
  }
  // Ids of org B's objects under org A's path are not found either.
  const mixed = await fixture(b.org.id, b.owner.id);
  for (const route of Object.keys(routes).filter((r) => r.includes('{userId}') || r.includes('{id}') || r.includes('{deliveryId}'))) {
    const res = await call(agent, route, { ...mixed, orgId: a.org.id, params: { ...mixed.params, orgId: a.org.id } });
    assert.equal(res.statusCode, 404, `${route} with org B's object under org A answered ${res.statusCode}`);
  }
});

// A fresh fixture per route and role: with every domain's routes this outgrows the default per-test limit.
test('every role against every org route: below the minimum 403, at or above it allowed', { timeout: 900_000 }, async () => {
  const { org, owner } = await newOrg(t, 'Roles');
  const agents = new Map<Role, { agent: Agent; userId: string }>();
  for (const role of roles) {
    const user = role === 'owner' ? owner : await newMember(t, org.id, role);
    agents.set(role, { agent: await signIn(t, user.email), userId: user.id });
  }
  for (const [route, rule] of Object.entries(routes)) {
    for (const role of roles) {
      const { agent, userId } = agents.get(role)!;
      // Token revocation acts on the caller's own token; everything else on fresh objects.
      const f = await fixture(org.id, route.startsWith('DELETE') && route.includes('/tokens/') ? userId : owner.id);
      const res = await call(agent, route, f);
      if (hasRole(role, rule.minimum)) {
        assert.ok(res.statusCode < 400, `${role}: ${route} should be allowed, got ${res.statusCode}: ${res.body}`);
      } else {
        assert.equal(res.statusCode, 403, `${role}: ${route} should be forbidden, got ${res.statusCode}`);
        assert.equal(res.json().code, 'forbidden');
      }
    }
  }
});

test('read-only tokens cannot write; expired and revoked tokens are refused', async () => {
  const { org, owner } = await newOrg(t);
  const actor = { userId: owner.id, email: owner.email, ip: null, role: 'owner' as const };
  const read = await t.app.services.tokens.create(org.id, { name: 'r', scope: 'read', expiresInDays: 1 }, actor);
  const reader = Agent.withToken(t.server, read.secret);
  assert.equal((await reader.get(`/api/v1/orgs/${org.id}/members`)).statusCode, 200);
  const write = await reader.patch(`/api/v1/orgs/${org.id}`, { name: 'Nope' });
  assert.equal(write.statusCode, 403);

  const expiring = await t.app.services.tokens.create(org.id, { name: 'e', scope: 'write', expiresInDays: 1 }, actor);
  await t.app.services.database.pool.query(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [expiring.token.id]);
  const expired = await Agent.withToken(t.server, expiring.secret).get(`/api/v1/orgs/${org.id}`);
  assert.equal(expired.statusCode, 401);
  assert.equal(expired.json().code, 'invalid_token');

  await t.app.services.tokens.revoke(org.id, read.token.id, actor);
  assert.equal((await reader.get(`/api/v1/orgs/${org.id}`)).statusCode, 401);
  assert.equal((await Agent.withToken(t.server, 'attest_AAAAAAAA_' + 'x'.repeat(43)).get(`/api/v1/orgs/${org.id}`)).statusCode, 401);
});

test('a viewer cannot mint a write token, and nobody can invite above their own role', async () => {
  const { org } = await newOrg(t);
  const viewer = await signIn(t, (await newMember(t, org.id, 'viewer')).email);
  assert.equal((await viewer.post(`/api/v1/orgs/${org.id}/tokens`, { name: 'w', scope: 'write', expiresInDays: 5 })).statusCode, 403);
  const admin = await signIn(t, (await newMember(t, org.id, 'admin')).email);
  assert.equal((await admin.post(`/api/v1/orgs/${org.id}/invitations`, { email: uniqueEmail(), role: 'owner' })).statusCode, 403);
});

test('admins cannot touch owners, and the last owner stays', async () => {
  const { org, owner } = await newOrg(t);
  const admin = await signIn(t, (await newMember(t, org.id, 'admin')).email);
  assert.equal((await admin.patch(`/api/v1/orgs/${org.id}/members/${owner.id}`, { role: 'viewer' })).statusCode, 403);
  assert.equal((await admin.delete(`/api/v1/orgs/${org.id}/members/${owner.id}`)).statusCode, 403);
  const self = await signIn(t, owner.email);
  const demote = await self.patch(`/api/v1/orgs/${org.id}/members/${owner.id}`, { role: 'admin' });
  assert.equal(demote.statusCode, 409);
  assert.equal(demote.json().code, 'conflict');
});

test('role changes and token use land in the security log', async () => {
  const { org, owner } = await newOrg(t);
  const agent = await signIn(t, owner.email);
  const member = await newMember(t, org.id, 'viewer');
  await agent.patch(`/api/v1/orgs/${org.id}/members/${member.id}`, { role: 'editor' });
  const created = await agent.post(`/api/v1/orgs/${org.id}/tokens`, { name: 'ci', scope: 'read', expiresInDays: 7 });
  await Agent.withToken(t.server, created.json().secret).get(`/api/v1/orgs/${org.id}`);
  const actions = (await agent.get(`/api/v1/orgs/${org.id}/audit-log?limit=200`)).json().items.map((e: { action: string }) => e.action);
  for (const a of ['member.role_changed', 'token.created', 'token.used', 'login.success', 'org.created']) assert.ok(actions.includes(a), `missing ${a} in ${actions}`);
});
