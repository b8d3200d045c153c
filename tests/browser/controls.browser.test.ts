import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withBrowserAndApp, screenshots, signInWithForm } from '../support/browser.ts';

const PASSWORD = 'correct horse battery staple';

const shot = screenshots('controls');

test('owner adopts starter controls, creates one with a requirement mapping, sees import faults per line, filters and exports', { timeout: 240_000 }, (t) => withBrowserAndApp(t, {}, async (browser, app) => {
  const ownerEmail = 'owner@example.com';
  const { orgId } = await app.bootstrap({ orgName: 'Acme Compliance', email: ownerEmail, password: PASSWORD });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await signInWithForm(page, app.baseUrl, ownerEmail, PASSWORD, orgId);

  await page.getByRole('link', { name: 'Controls' }).click();
  await page.waitForURL(`**/orgs/${orgId}/controls`);
  await page.getByText('No controls yet').waitFor();
  await shot(page, '01-empty');

  // Adopt: choose frameworks, preview, adopt, toast.
  await page.getByRole('button', { name: 'Adopt starter controls' }).first().click();
  const modal = page.getByRole('dialog', { name: 'Adopt starter controls' });
  await modal.getByLabel('Frameworks').click();
  await page.getByRole('option', { name: 'SOC 2 Trust Services Criteria' }).click();
  await page.getByRole('option', { name: /ISO\/IEC 27001:2022/ }).click();
  await page.keyboard.press('Escape');
  await modal.getByRole('button', { name: /^Adopt \d+ controls$/ }).waitFor();
  const offered = (await app.app.services.controls.starter(orgId, ['soc2-2017', 'iso27001-2022'])).items.length;
  await modal.getByText(`${offered} selected`).waitFor();
  await shot(page, '02-adopt-preview');
  await modal.getByRole('button', { name: /^Adopt \d+ controls$/ }).click();
  await page.getByText('Starter controls adopted', { exact: true }).waitFor();
  await page.getByRole('row').nth(offered).waitFor();
  assert.equal((await app.app.services.controls.list(orgId, { includeRetired: false, sort: 'code', dir: 'asc' })).length, offered);
  await shot(page, '03-adopted');

  // Create: inline errors first, then a conflict on an existing code, then success with a mapping.
  await page.getByRole('button', { name: 'New control' }).click();
  const drawer = page.getByRole('dialog', { name: 'New control' });
  await drawer.getByRole('button', { name: 'Create control' }).click();
  await drawer.getByText('Code is required').waitFor();
  await drawer.getByText('Title is required').waitFor();
  await drawer.getByLabel('Code').fill('IAM-01');
  await drawer.getByLabel('Title').fill('Security awareness training');
  await drawer.getByLabel('Description').fill('Everyone completes security awareness training when they join and every year after.');
  await drawer.getByRole('button', { name: 'Create control' }).click();
  await drawer.getByText(/already exists/).waitFor();
  await shot(page, '04a-code-taken');
  await drawer.getByLabel('Code').fill('ACME-07');
  await drawer.getByLabel('Owner').click();
  await page.getByRole('option', { name: new RegExp(ownerEmail) }).click();
  await drawer.getByLabel('Frequency').click();
  await page.getByRole('option', { name: 'Annual', exact: true }).click();
  await drawer.getByLabel('Framework', { exact: true }).click();
  await page.getByRole('option', { name: 'SOC 2 Trust Services Criteria' }).click();
  await drawer.getByLabel('Add requirement').fill('CC2.2');
  await page.getByRole('option', { name: /^CC2\.2/ }).click();
  await drawer.getByTestId('mapped-requirement').getByText('CC2.2').waitFor();
  await shot(page, '04-create-drawer');
  await drawer.getByRole('button', { name: 'Create control' }).click();
  await page.getByText('ACME-07 created.').waitFor();
  const created = (await app.app.services.controls.list(orgId, { includeRetired: false, sort: 'code', dir: 'asc', q: 'ACME-07' }))[0]!;
  assert.equal(created.ownerEmail, ownerEmail);
  assert.equal(created.frequency, 'annual');
  assert.deepEqual((await app.app.services.controls.get(orgId, created.id)).requirements, [{ framework: 'soc2-2017', id: 'CC2.2' }]);

  // Import with faults: every fault shown with its line and column, nothing written.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'attest-controls-ui-'));
  const bad = path.join(dir, 'controls.csv');
  writeFileSync(bad, 'code,title,frequency,nature,automation,requirements\nOK-01,Fine,daily,preventive,manual,soc2-2017:CC6.1\nBAD-02,,hourly,preventive,manual,soc2-2017:CC99\n');
  await page.getByRole('button', { name: 'Import' }).click();
  const importer = page.getByRole('dialog', { name: 'Import controls' });
  await importer.locator('input[type=file]').setInputFiles(bad);
  await importer.getByRole('button', { name: 'Import' }).click();
  const faults = importer.getByTestId('import-faults');
  await faults.getByText('line 3, column title').waitFor();
  await faults.getByText('line 3, column frequency').waitFor();
  await shot(page, '05-import-faults');
  assert.equal((await app.app.services.controls.list(orgId, { includeRetired: true, sort: 'code', dir: 'asc', q: 'OK-01' })).length, 0);
  await importer.getByRole('button', { name: 'Cancel' }).click();

  // Filter by framework and search; then export CSV.
  await page.getByLabel('Search controls').fill('ACME-07');
  await page.getByRole('row', { name: /ACME-07/ }).waitFor();
  assert.equal(await page.getByRole('row').count(), 2);
  await page.getByLabel('Search controls').fill('');
  await page.getByRole('combobox', { name: 'Stage' }).click();
  await page.getByRole('option', { name: 'Operating' }).click();
  await page.getByText('No controls match the filters').waitFor();
  await shot(page, '06-filtered');
  await page.getByRole('combobox', { name: 'Stage' }).click();
  await page.getByRole('option', { name: 'Draft' }).click();
  await page.getByRole('row', { name: /ACME-07/ }).waitFor();

  await page.getByRole('button', { name: 'Export' }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'CSV' }).click()]);
  assert.match(download.suggestedFilename(), /-controls\.csv$/);
  const csv = readFileSync((await download.path())!, 'utf8');
  assert.match(csv, /^code,title,description,owner_email/);
  assert.match(csv, /ACME-07,Security awareness training/);

  // Open a control: the drawer shows its mapping.
  await page.getByRole('row', { name: /ACME-07/ }).click();
  await page.getByRole('dialog', { name: /ACME-07/ }).getByTestId('mapped-requirement').getByText('CC2.2').waitFor();
  await shot(page, '07-edit-drawer');
}));
