import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withBrowserAndApp, screenshots, signInWithForm } from '../support/browser.ts';
import { SHARED_OSCAL } from '../support/shared.ts';

const PASSWORD = 'correct horse battery staple';
const CATALOG = `${SHARED_OSCAL}/nist-sp800-53-rev5/superseded/NIST_SP-800-53_rev5_catalog_v5.0.1_2021-06-08.json`;

const shot = screenshots('frameworks', { fullPage: (n) => n !== '02-tree' });

test('owner browses frameworks, toggles scope, opens a requirement, and imports SP 800-53 through the modal', { timeout: 240_000 }, (t) => withBrowserAndApp(t, {}, async (browser, app) => {
  const email = 'owner@example.com';
  const { orgId } = await app.bootstrap({ orgName: 'Acme Compliance', email, password: PASSWORD });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signInWithForm(page, app.baseUrl, email, PASSWORD, orgId);

  // The list: 14 built-ins; put ISO 27001:2022 in scope.
  await page.getByRole('heading', { name: 'Frameworks', level: 1 }).waitFor();
  const table = page.getByRole('table', { name: 'Frameworks' });
  await table.getByText('iso27001-2022 ·', { exact: false }).waitFor();
  assert.equal(await table.locator('tbody tr').count(), 14);
  const isoName = (await app.app.services.catalog.show(orgId, 'iso27001-2022')).name;
  await page.getByRole('switch', { name: `${isoName} in scope` }).click({ force: true });
  await page.getByText('is now in scope').waitFor();
  assert.deepEqual(await app.app.services.catalog.scope(orgId), ['iso27001-2022']);
  await shot(page, '01-list');

  // The framework page: tree, search, drawer with mappings both ways.
  await page.getByRole('link', { name: isoName }).click();
  await page.waitForURL(`**/frameworks/iso27001-2022`);
  await page.getByRole('heading', { name: isoName, level: 1 }).waitFor();
  await page.getByLabel('Requirement tree').getByText('A.5.1', { exact: true }).waitFor();
  await shot(page, '02-tree');
  await page.getByLabel('Search requirements').fill('A.5.1');
  const results = page.getByLabel('Search results');
  await results.getByText('A.5.15', { exact: true }).waitFor();
  await results.getByText('A.5.1', { exact: true }).click();
  const drawer = page.getByRole('dialog');
  await drawer.getByRole('table', { name: 'Mapped from' }).waitFor();
  await drawer.getByRole('table', { name: 'Maps to' }).getByText('soc2-2017').first().waitFor();
  await drawer.getByText('No controls satisfy this requirement yet.').waitFor();
  await shot(page, '03-drawer');
  await page.keyboard.press('Escape');

  // Import SP 800-53 through the modal: a broken file first (inline error), then the real one.
  await page.getByRole('link', { name: 'All frameworks' }).click();
  await page.getByRole('button', { name: 'Import OSCAL' }).click();
  const modal = page.getByRole('dialog', { name: 'Import OSCAL' });
  await modal.getByText('Australian ISM', { exact: false }).waitFor();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'attest-browser-'));
  const broken = path.join(dir, 'broken.json');
  writeFileSync(broken, '{\n  "catalog": {\n    "uuid": 1,,\n  }\n}\n');
  const chooser = async (file: string) => {
    const [fc] = await Promise.all([page.waitForEvent('filechooser'), modal.getByRole('button', { name: 'OSCAL file' }).click()]);
    await fc.setFiles(file);
  };
  await chooser(broken);
  await modal.getByRole('button', { name: 'Import' }).click();
  await modal.getByText('broken.json:3:', { exact: false }).waitFor();
  await shot(page, '04-import-error');
  await chooser(CATALOG);
  await modal.getByLabel('Framework id').fill('nist-sp800-53-rev5');
  await modal.getByRole('button', { name: 'Import' }).click();
  await page.getByText('Framework imported').waitFor({ timeout: 60_000 });
  await table.getByText('nist-sp800-53-rev5 ·', { exact: false }).waitFor();
  assert.equal(await table.locator('tbody tr').count(), 15);
  await shot(page, '05-imported');

  // The imported catalog's drawer shows the official statement.
  await page.goto(`${app.baseUrl}/orgs/${orgId}/frameworks/nist-sp800-53-rev5`);
  await page.getByLabel('Search requirements').fill('account management');
  await page.getByLabel('Search results').getByText('ac-2', { exact: true }).click();
  await page.getByRole('dialog').getByText('Official statement').waitFor();
  await shot(page, '06-statement');
}));
