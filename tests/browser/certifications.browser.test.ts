import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withBrowserAndApp, screenshots, signInWithForm, type Page } from '../support/browser.ts';
import { todayUtc } from '../../src/certifications/certifications.rules.ts';

const PASSWORD = 'correct horse battery staple';
const daysAgo = (n: number) => todayUtc(new Date(Date.now() - n * 86_400_000));

const shot = screenshots('certifications');

async function choose(page: Page, scope: ReturnType<Page['getByRole']>, label: string, option: string) {
  await scope.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

test('owner keeps the certifications register: filters, adds with kind-specific fields, changes a status, sees the history', { timeout: 240_000 }, (t) => withBrowserAndApp(t, {}, async (browser, app) => {
  const email = 'owner@example.com';
  const { orgId, userId } = await app.bootstrap({ orgName: 'Acme Cloud', email, password: PASSWORD });
  const s = app.app.services;
  const actor = { userId, email, ip: null };
  const product = (name: string) => s.products.create(orgId, { name, kind: 'service', description: `${name} for customers`, public: true });
  const [cdn, workers, stream] = [await product('CDN'), await product('Workers'), await product('Stream')];
  const base = { rolesCovered: [], inScope: [], outOfScope: [], scopeNotes: '', locations: [], public: true };
  await s.certifications.create(orgId, {
    ...base, frameworkId: 'soc2-2017', name: 'SOC 2 Type II', status: 'attested', issuer: { name: 'Example Audit LLP', role: 'auditor' },
    details: { kind: 'soc2-type2', periodStart: daysAgo(380), periodEnd: daysAgo(15) }, inScope: [cdn.id], outOfScope: [workers.id, stream.id],
    rolesCovered: ['processor'], locations: ['Frankfurt', 'Ashburn'],
  }, actor);
  await s.certifications.create(orgId, { ...base, frameworkId: 'bsi-c5-2020', name: 'C5 Type 2', status: 'in-process', details: { kind: 'government-authorization', program: 'C5', level: 'Type 2' } }, actor);
  const iso = await s.certifications.create(orgId, {
    ...base, frameworkId: 'iso27001-2022', name: 'ISO/IEC 27001', status: 'certified', details: { kind: 'certificate', issuedOn: daysAgo(1000), expiresOn: daysAgo(-20), certificateNumber: 'IS 700001' },
  }, actor);
  await s.certifications.create(orgId, { ...base, frameworkId: 'pci-dss-4.0.1', name: 'PCI DSS AOC', status: 'planned', details: { kind: 'attestation-of-compliance' } }, actor);
  // The certificate lapses behind the app's back, as time would make it.
  await s.database.pool.query('UPDATE certifications SET expires_on = current_date - 3 WHERE id = $1', [iso.id]);

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signInWithForm(page, app.baseUrl, email, PASSWORD, orgId);

  await page.getByRole('link', { name: 'Certifications' }).click();
  await page.getByRole('heading', { name: 'Certifications', level: 1 }).waitFor();
  const rows = page.locator('tbody tr');
  await page.getByText('SOC 2 Type II', { exact: true }).waitFor();
  assert.equal(await rows.count(), 4);
  // Expired on read, with its badge; the others keep theirs.
  assert.equal(await rows.filter({ hasText: 'ISO/IEC 27001' }).locator('[data-status]').getAttribute('data-status'), 'expired');
  assert.match((await rows.filter({ hasText: 'SOC 2 Type II' }).textContent()) ?? '', /Attested.*Out of scope: Workers, Stream/);
  await shot(page, '01-register');

  // Filter by status.
  await page.getByRole('combobox', { name: 'Filter by status' }).click();
  await page.getByRole('option', { name: 'Attested', exact: true }).click();
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
  await shot(page, '02-filtered');
  await page.getByRole('combobox', { name: 'Filter by status' }).press('Backspace');
  await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 4);

  // Add: empty submit shows inline errors for this kind's required fields.
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const drawer = page.getByRole('dialog');
  await drawer.getByRole('button', { name: 'Add', exact: true }).click();
  await drawer.getByText('Name is required').waitFor();
  await drawer.getByText('Period start is required for a SOC 2 Type II report').waitFor();
  await shot(page, '03-inline-errors');

  // Switching the kind swaps the fields: a government authorization asks for programme and level.
  await choose(page, drawer, 'Kind', 'Government authorization');
  await drawer.getByRole('combobox', { name: 'Programme' }).waitFor();
  assert.equal(await drawer.getByLabel('Period start').count(), 0);
  await drawer.getByRole('textbox', { name: 'Name', exact: true }).fill('ENS High');
  await choose(page, drawer, 'Framework', 'Esquema Nacional de Seguridad (ENS) — security measures');
  await drawer.getByRole('combobox', { name: 'Programme' }).fill('ENS');
  await drawer.getByRole('combobox', { name: 'Level' }).fill('HIGH');
  await choose(page, drawer, 'Products and services in scope', 'CDN');
  await page.keyboard.press('Escape');
  await drawer.getByLabel('Locations').fill('Madrid');
  await drawer.getByLabel('Locations').press('Enter');
  // Certified without the authorization date: the server's answer lands on the field.
  await choose(page, drawer, 'Status', 'Certified');
  await shot(page, '04-government-fields');
  await drawer.getByRole('button', { name: 'Add', exact: true }).click();
  await drawer.getByText('An authorization needs the date it was granted.').waitFor();
  await drawer.getByRole('textbox', { name: 'Authorized on' }).fill(daysAgo(30));
  await drawer.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByText('ENS High added to the register.').waitFor();
  await rows.filter({ hasText: 'ENS High' }).waitFor();
  const created = (await s.certifications.list(orgId)).find((c) => c.name === 'ENS High')!;
  assert.equal(created.status, 'certified');
  assert.deepEqual(created.inScope.map((p) => p.name), ['CDN']);
  assert.deepEqual(created.locations, ['Madrid']);

  // Change a status with a reason; the history shows it.
  await page.getByRole('button', { name: 'C5 Type 2' }).click();
  const details = page.getByRole('dialog');
  await details.getByTestId('status-history').waitFor();
  await details.getByRole('button', { name: 'Change status' }).click();
  const modal = page.getByRole('dialog', { name: /Change status of C5 Type 2/ });
  await choose(page, modal, 'New status', 'Audit complete');
  await modal.getByLabel('Reason').fill('Fieldwork finished; waiting for the report');
  await modal.getByRole('button', { name: 'Change status' }).click();
  await page.getByText('C5 Type 2 is now audit complete.').waitFor();
  const history = page.getByTestId('status-history');
  await history.getByText('Fieldwork finished; waiting for the report').waitFor();
  assert.equal(await history.locator('.mantine-Timeline-item').count(), 2);
  await shot(page, '05-history');
  await page.keyboard.press('Escape');

  // The expired certificate's history names the system as the actor.
  await page.getByRole('button', { name: 'ISO/IEC 27001' }).click();
  await page.getByTestId('status-history').getByText(/system/).waitFor();
  await page.getByTestId('status-history').getByText(/Validity ended on/).waitFor();
  // Let the drawer finish sliding in before the picture.
  await page.waitForTimeout(400);
  await shot(page, '06-expired');
  await page.keyboard.press('Escape');

  // Products & services under settings.
  await page.goto(`${app.baseUrl}/orgs/${orgId}/settings/products`);
  await page.getByRole('heading', { name: 'Products & services' }).waitFor();
  await page.getByText('Workers for customers').waitFor();
  await shot(page, '07-products');

  // A phone: the register scrolls sideways inside its border instead of breaking the page.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${app.baseUrl}/orgs/${orgId}/certifications`);
  await page.getByText('SOC 2 Type II', { exact: true }).waitFor();
  await shot(page, '08-mobile');
}));
