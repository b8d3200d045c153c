import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withBrowserAndApp, axeViolations, screenshots, signInWithForm, SHOTS } from '../support/browser.ts';
import { publishHub } from '../../src/trust-docs/visitor.test-support.ts';

const PASSWORD = 'correct horse battery staple';
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

const shot = screenshots('vendors');

test('owner keeps vendors, announces a sub-processor change, sees objections, and writes customer responsibilities', { timeout: 300_000 }, (t) => withBrowserAndApp(t, {}, async (browser, app) => {
  const email = 'owner@example.com';
  const { orgId } = await app.bootstrap({ orgName: 'Acme Cloud', email, password: PASSWORD });
  const s = app.app.services;
  const cdn = await s.products.create(orgId, { name: 'CDN', kind: 'service', description: '', public: true });
  const vendor = (name: string, o: Partial<Parameters<typeof s.vendors.create>[1]> = {}) => s.vendors.create(orgId, {
    name, services: 'Infrastructure', purpose: 'Hosting of customer data', countries: ['DE'], dataCategories: ['Customer content'], subprocessor: true, dpaDate: '2025-03-01', website: null, productIds: [cdn.id], ...o,
  });
  const hosting = await vendor('Cloudy Hosting', { countries: ['DE', 'IE'], website: 'https://cloudy.example' });
  const announced = await s.vendors.announce(orgId, hosting.changes[0]!.id, inDays(30));
  await s.vendors.object(orgId, announced.id, { name: 'Rita Reviewer', email: 'rita@customer.example', company: 'Customer Inc', reason: 'Our contract excludes processing in Ireland.' });
  await vendor('Mailer Co', { services: 'Transactional email', purpose: 'Sending account emails', countries: ['US'], dataCategories: ['Email addresses'] });
  await vendor('Office Supplies Ltd', { subprocessor: false, purpose: '', countries: [], dataCategories: [] });
  await s.responsibilities.create(orgId, { statement: 'Enable two-factor authentication alongside usernames and passwords.', criteria: ['CC5.1', 'CC5.2', 'CC6.1', 'CC6.6'].map((id) => ({ framework: 'soc2-2017', id })), productIds: [cdn.id], published: true });

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signInWithForm(page, app.baseUrl, email, PASSWORD, orgId);

  await page.getByRole('link', { name: 'Vendors' }).click();
  await page.getByRole('heading', { name: 'Vendors', level: 1 }).waitFor();
  // Both tabs stay mounted (the hidden one too), so every lookup names its panel.
  const list = page.getByRole('tabpanel', { name: 'Vendors' });
  await list.getByText('Cloudy Hosting', { exact: true }).waitFor();
  const rows = list.locator('tbody tr');
  assert.equal(await rows.count(), 3);
  await shot(page, 'list');
  await page.getByRole('combobox', { name: 'Filter by kind' }).click();
  await page.getByRole('option', { name: 'Other vendors', exact: true }).click();
  await list.getByText('Cloudy Hosting', { exact: true }).waitFor({ state: 'hidden' });
  const shown = (await rows.allInnerTexts()).map((r) => r.trim()).filter(Boolean);
  assert.equal(shown.length, 1, shown.join(' | '));
  assert.match(shown[0]!, /Office Supplies Ltd/);
  await page.getByRole('combobox', { name: 'Filter by kind' }).click();
  await page.getByRole('option', { name: 'All vendors', exact: true }).click();
  await list.getByText('Cloudy Hosting', { exact: true }).waitFor();

  // Add a sub-processor with a wrong country code: the server's error shows at the field.
  await page.getByRole('button', { name: 'Add vendor' }).click();
  const drawer = page.getByRole('dialog');
  await drawer.getByLabel('Name').fill('Support Desk Inc');
  await drawer.getByLabel(/^Purpose of processing/).fill('Customer support tickets');
  await drawer.getByLabel(/^Countries of processing/).fill('XX');
  await drawer.getByLabel(/^Countries of processing/).press('Enter');
  await drawer.getByLabel(/^Sub-processor/).check();
  await drawer.getByRole('button', { name: 'Add', exact: true }).click();
  await drawer.getByText('Not an ISO 3166 country code.').waitFor();
  await shot(page, 'drawer-error');
  await drawer.getByRole('button', { name: /Remove XX|XX/ }).last().click().catch(() => undefined);
  await drawer.getByLabel(/^Countries of processing/).press('Backspace');
  await drawer.getByLabel(/^Countries of processing/).fill('NL');
  await drawer.getByLabel(/^Countries of processing/).press('Enter');
  await drawer.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByText('Support Desk Inc saved').waitFor();
  await list.getByText('Support Desk Inc', { exact: true }).waitFor();

  await page.getByRole('tab', { name: /Changes/ }).click();
  const changes = page.getByRole('tabpanel', { name: /Changes/ });
  const draftRow = changes.locator('tbody tr', { hasText: 'Support Desk Inc' });
  await draftRow.getByRole('button', { name: 'Announce' }).click();
  const modal = page.getByRole('dialog', { name: 'Announce the change' });
  await modal.getByLabel(/^Takes effect on/).fill(inDays(-2));
  await modal.getByRole('button', { name: 'Announce' }).click();
  await modal.getByText(/cannot take effect before today/).waitFor();
  await modal.getByLabel(/^Takes effect on/).fill(inDays(30));
  await modal.getByRole('button', { name: 'Announce' }).click();
  await page.getByText('Change announced').waitFor();
  await changes.locator('tbody tr', { hasText: 'Support Desk Inc' }).getByText('announced').waitFor();
  await changes.locator('tbody tr', { hasText: 'Cloudy Hosting' }).first().click();
  await page.getByTestId('objections').getByText('Customer Inc').waitFor();
  await shot(page, 'changes');
  const [change] = (await s.vendors.changes(orgId)).filter((c) => c.vendorName === 'Support Desk Inc');
  assert.equal(change!.status, 'announced');
  assert.equal(change!.effectiveAt, inDays(30));

  await page.getByRole('link', { name: 'Customer responsibilities' }).click();
  await page.getByRole('heading', { name: 'Customer responsibilities', level: 1 }).waitFor();
  await page.getByText('Enable two-factor authentication alongside usernames and passwords.').waitFor();
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const cuec = page.getByRole('dialog');
  await cuec.getByLabel(/^Statement/).fill('Remove access of people who leave your organization within one business day.');
  await cuec.getByLabel('Framework', { exact: true }).click();
  await page.getByRole('option', { name: 'SOC 2 Trust Services Criteria' }).click();
  await cuec.getByLabel('Add requirement').fill('CC6.2');
  await page.getByRole('option', { name: /^CC6\.2/ }).first().click();
  await cuec.getByTestId('mapped-requirement').getByText('CC6.2').waitFor();
  await cuec.getByLabel('Published on the Trust Hub').check();
  await shot(page, 'responsibility-drawer');
  await cuec.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByText('Customer responsibility saved').waitFor();
  await cuec.waitFor({ state: 'hidden' });
  await page.getByRole('cell', { name: /Remove access of people who leave/ }).waitFor();
  await shot(page, 'responsibilities');
  const saved = (await s.responsibilities.list(orgId)).find((r) => r.statement.startsWith('Remove access'));
  assert.deepEqual(saved?.criteria, [{ framework: 'soc2-2017', id: 'CC6.2' }]);
  assert.equal(saved?.published, true);

  // The public page the hub links to, without JavaScript.
  await publishHub(app, orgId);
  const plain = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const visitor = await plain.newPage();
  const org = (await s.repos.orgs.findOrg(orgId))!;
  await visitor.goto(`${app.baseUrl}/trust/${org.slug}/subprocessors`);
  await visitor.getByRole('heading', { name: 'Sub-processors', level: 1 }).waitFor();
  await visitor.screenshot({ path: `${SHOTS}/vendors-public-mobile.png`, fullPage: true });
  await visitor.getByLabel('Work email').fill('buyer@customer.example');
  await visitor.getByRole('button', { name: 'Subscribe' }).click();
  await visitor.getByRole('heading', { name: 'Check your inbox' }).waitFor();
  assert.ok((await app.outbox(orgId)).some((m) => m.to === 'buyer@customer.example'));
  await plain.close();
  const a11y = await browser.newContext({ bypassCSP: true });
  const scanned = await a11y.newPage();
  await scanned.goto(`${app.baseUrl}/trust/${org.slug}/subprocessors`);
  assert.deepEqual(await axeViolations(scanned), [], 'axe-core finds no violations on the public sub-processor list');
  await a11y.close();
  await context.close();
}));
