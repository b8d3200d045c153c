import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { startTestApp, type TestApp } from '../../tests/support/app.ts';
import { newOrg, signIn } from '../../tests/support/factories.ts';
import { publishHub } from '../trust-docs/visitor.test-support.ts';

const STANDARD_FONTS = `${path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'))}/standard_fonts/`;
let t: TestApp;
before(async () => { t = await startTestApp(); });
after(async () => { await t?.close(); });

// Our own wording of typical customer-side duties, with the criteria they support.
const twoFactor = { statement: 'Enable two-factor authentication alongside usernames and passwords for every account with access to the dashboard.', criteria: ['CC5.1', 'CC5.2', 'CC6.1', 'CC6.6'].map((id) => ({ framework: 'soc2-2017', id })) };
const offboarding = { statement: 'Remove the access of people who leave your organization, "promptly", within one business day.', criteria: [{ framework: 'soc2-2017', id: 'CC6.2' }] };

async function setup() {
  const { org, owner } = await newOrg(t, 'Cuec');
  await publishHub(t, org.id);
  const agent = await signIn(t, owner.email);
  const product = (await agent.post(`/api/v1/orgs/${org.id}/products`, { name: 'Edge Cache', public: true })).json();
  const internal = (await agent.post(`/api/v1/orgs/${org.id}/products`, { name: 'Internal Tool', public: false })).json();
  return { org, agent, product, internal };
}

async function pdfText(bytes: Uint8Array): Promise<string[]> {
  const doc = await getDocument({ data: bytes, useSystemFonts: false, standardFontDataUrl: STANDARD_FONTS }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((it) => ('str' in it ? it.str : '')).join(' '));
  }
  await doc.destroy();
  return pages;
}

test('criteria are checked against the catalog and products against the org; errors name the entry', async () => {
  const { org, agent, product } = await setup();
  const bad = await agent.post(`/api/v1/orgs/${org.id}/responsibilities`, { statement: 'x', criteria: [{ framework: 'soc2-2017', id: 'CC6.1' }, { framework: 'soc2-2017', id: 'CC99.9' }] });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /criteria\.1/);
  assert.match(bad.body, /CC99\.9/);
  const otherOrg = await setup();
  const foreign = await agent.post(`/api/v1/orgs/${org.id}/responsibilities`, { ...twoFactor, productIds: [otherOrg.product.id] });
  assert.equal(foreign.statusCode, 400);
  assert.match(foreign.body, /productIds\.0/);
  const ok = await agent.post(`/api/v1/orgs/${org.id}/responsibilities`, { ...twoFactor, productIds: [product.id] });
  assert.equal(ok.statusCode, 201, ok.body);
  assert.deepEqual(ok.json().products.map((p: { name: string }) => p.name), ['Edge Cache']);
  assert.equal((await agent.get(`/api/v1/orgs/${org.id}/responsibilities`)).json().items.length, 1);
});

test('publishing and changing a published statement are on the evidence log; drafts are not public', async () => {
  const { org, agent, product, internal } = await setup();
  const logSize = async () => (await agent.get(`/api/v1/orgs/${org.id}/ledger`)).json().treeSize as number;
  const draft = (await agent.post(`/api/v1/orgs/${org.id}/responsibilities`, { ...twoFactor, productIds: [product.id, internal.id] })).json();
  const start = await logSize();
  assert.deepEqual(await t.app.services.responsibilities.publicResponsibilities(org.id), []);

  const published = await agent.patch(`/api/v1/orgs/${org.id}/responsibilities/${draft.id}`, { version: draft.version, published: true });
  assert.equal(published.statusCode, 200, published.body);
  assert.equal(await logSize(), start + 1);
  const stale = await agent.patch(`/api/v1/orgs/${org.id}/responsibilities/${draft.id}`, { version: draft.version, statement: 'Old edit' });
  assert.equal(stale.statusCode, 409);
  await agent.patch(`/api/v1/orgs/${org.id}/responsibilities/${draft.id}`, { version: published.json().version, statement: `${twoFactor.statement} Review it yearly.` });
  assert.equal(await logSize(), start + 2);

  const [pub] = await t.app.services.responsibilities.publicResponsibilities(org.id);
  // Only public products appear on the hub.
  assert.deepEqual(pub!.products, [{ id: product.id, name: 'Edge Cache', slug: 'edge-cache' }]);
  assert.deepEqual(pub!.criteria, twoFactor.criteria);
  assert.deepEqual(Object.keys(pub!).sort(), ['criteria', 'id', 'products', 'statement']);
  const other = await setup();
  assert.deepEqual(await t.app.services.responsibilities.publicResponsibilities(other.org.id), []);
});

test('the hub\u2019s CSV export parses back to the published statements, quotes and all', async () => {
  const { org, agent, product } = await setup();
  await agent.post(`/api/v1/orgs/${org.id}/responsibilities`, { ...twoFactor, productIds: [product.id], published: true });
  await agent.post(`/api/v1/orgs/${org.id}/responsibilities`, { ...offboarding, published: true });
  await agent.post(`/api/v1/orgs/${org.id}/responsibilities`, { statement: 'A draft nobody should see', published: false });
  const res = await fetch(`${t.baseUrl}/trust/${org.slug}/responsibilities.csv`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type')!, /text\/csv/);
  const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
  assert.deepEqual(rows, [
    { Statement: twoFactor.statement, Criteria: 'soc2-2017 CC5.1; soc2-2017 CC5.2; soc2-2017 CC6.1; soc2-2017 CC6.6', Products: 'Edge Cache' },
    { Statement: offboarding.statement, Criteria: 'soc2-2017 CC6.2', Products: 'All products' },
  ]);
  // The admin export also has drafts.
  const all = parse((await agent.get(`/api/v1/orgs/${org.id}/responsibilities/export?format=csv`)).body, { columns: true }) as unknown[];
  assert.equal(all.length, 3);
});

test('the PDF export holds every published statement with its criteria, across pages', async () => {
  const { org, agent, product } = await setup();
  await agent.post(`/api/v1/orgs/${org.id}/responsibilities`, { ...twoFactor, productIds: [product.id], published: true });
  for (let i = 0; i < 40; i++) await agent.post(`/api/v1/orgs/${org.id}/responsibilities`, { statement: `Keep your own audit records for integration number ${i} for one year \u2014 at least.`, criteria: [{ framework: 'soc2-2017', id: 'CC7.2' }], published: true });
  const res = await fetch(`${t.baseUrl}/trust/${org.slug}/responsibilities.pdf`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  const pages = await pdfText(new Uint8Array(await res.arrayBuffer()));
  assert.ok(pages.length >= 2, `expected several pages, got ${pages.length}`);
  const text = pages.join(' ').replace(/\s+/g, ' ');
  assert.match(text, /customer responsibilities/);
  assert.match(text, /Enable two-factor authentication alongside usernames and passwords/);
  assert.match(text, /soc2-2017 CC5\.1; soc2-2017 CC5\.2; soc2-2017 CC6\.1; soc2-2017 CC6\.6/);
  assert.match(text, /Products: Edge Cache/);
  for (const i of [0, 20, 39]) assert.match(text, new RegExp(`integration number ${i} for one year - at least`));
});
