import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../tests/support/app.ts';
import { newOrg, signIn } from '../../tests/support/factories.ts';
import { slugify } from './products.service.ts';

let t: TestApp;
before(async () => { t = await startTestApp(); });
after(async () => { await t?.close(); });

test('slugs are derived from names', () => {
  assert.equal(slugify('Zero Trust Access (ZTNA)'), 'zero-trust-access-ztna');
  assert.equal(slugify('Café Ünïcode'), 'cafe-unicode');
  assert.equal(slugify('***'), 'product');
});

test('products: create, unique names and slugs per org, update, archive and restore, delete', async () => {
  const { org, owner } = await newOrg(t);
  const agent = await signIn(t, owner.email);
  const base = `/api/v1/orgs/${org.id}/products`;
  const created = await agent.post(base, { name: 'Edge Network', kind: 'service', description: 'CDN and DDoS protection', public: true });
  assert.equal(created.statusCode, 201, created.body);
  const p = created.json();
  assert.equal(p.slug, 'edge-network');
  assert.equal((await agent.post(base, { name: 'EDGE network' })).statusCode, 409);
  assert.equal((await agent.post(base, { name: 'Other', slug: 'edge-network' })).statusCode, 409);
  const badSlug = await agent.post(base, { name: 'Other', slug: 'Not A Slug' });
  assert.equal(badSlug.statusCode, 400);
  assert.equal(badSlug.json().errors[0].path, 'slug');
  assert.equal((await agent.post(base, { name: 'Other', kind: 'gadget' })).json().errors[0].path, 'kind');

  const renamed = await agent.patch(`${base}/${p.id}`, { name: 'Edge', description: 'CDN' });
  assert.equal(renamed.json().name, 'Edge');
  assert.equal(renamed.json().slug, 'edge-network', 'the slug stays unless changed, so links keep working');
  const archived = (await agent.patch(`${base}/${p.id}`, { archived: true })).json();
  assert.ok(archived.archivedAt);
  assert.deepEqual((await agent.get(base)).json().items, []);
  assert.equal((await agent.get(`${base}?includeArchived=true`)).json().items.length, 1);
  assert.equal((await agent.patch(`${base}/${p.id}`, { archived: false })).json().archivedAt, null);
  assert.equal((await agent.delete(`${base}/${p.id}`)).json().outcome, 'deleted');
  assert.equal((await agent.get(`${base}/${p.id}`)).statusCode, 404);
});

test('products of another org are invisible and untouchable', async () => {
  const a = await newOrg(t);
  const b = await newOrg(t);
  const agentA = await signIn(t, a.owner.email);
  const theirs = await t.app.services.products.create(b.org.id, { name: 'Secret', kind: 'product', description: '', public: false });
  const base = `/api/v1/orgs/${a.org.id}/products`;
  assert.equal((await agentA.get(`${base}/${theirs.id}`)).statusCode, 404);
  assert.equal((await agentA.patch(`${base}/${theirs.id}`, { name: 'Mine now' })).statusCode, 404);
  assert.equal((await agentA.delete(`${base}/${theirs.id}`)).statusCode, 404);
  assert.equal((await t.app.services.products.get(b.org.id, theirs.id)).name, 'Secret');
  // The same name is fine in another org.
  assert.equal((await agentA.post(base, { name: 'Secret' })).statusCode, 201);
});
