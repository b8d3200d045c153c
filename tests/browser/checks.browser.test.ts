import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signInWithForm, withBrowserAndApp, SHOTS, type Page } from '../support/browser.ts';

const PASSWORD = 'correct horse battery staple';

async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SHOTS}/checks-${name}.png`, fullPage: true });
}

test('owner configures an HTTP check with a secret header, runs it now, sees it fail and its history', { timeout: 240_000 }, (t) => withBrowserAndApp(t, {}, async (browser, app) => {
  let healthy = true;
  const target = http.createServer((req, res) => {
    const ok = healthy && req.headers.authorization === 'Bearer probe-secret';
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: ok ? 'ok' : 'down' }));
  });
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/health`;
  t.after(async () => {
    await new Promise<void>((r) => { target.closeAllConnections(); target.close(() => r()); });
  });
  const email = 'owner@example.com';
  const { orgId, userId } = await app.bootstrap({ orgName: 'Acme Cloud', email, password: PASSWORD });
  const s = app.app.services;
  const actor = { userId, email, ip: null };
  await s.controls.create(orgId, {
    code: 'OPS-01', title: 'Service availability is monitored', description: '', ownerUserId: null, frequency: 'daily', nature: 'detective',
    automation: 'automated', lifecycle: 'operating', scope: [], requirements: [],
  }, actor);

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signInWithForm(page, app.baseUrl, email, PASSWORD, orgId);

  await page.getByRole('link', { name: 'Checks' }).click();
  await page.getByRole('heading', { name: 'Checks', level: 1 }).waitFor();
  await page.getByText('No checks yet').waitFor();

  await page.getByRole('button', { name: 'New check' }).click();
  const drawer = page.getByRole('dialog');
  await drawer.getByLabel('Name').fill('Status API');
  // A missing URL is shown next to its field.
  await drawer.getByRole('button', { name: 'Create check' }).click();
  await drawer.getByText('URL is required').waitFor();
  await drawer.getByLabel('URL').fill(url);
  await drawer.getByLabel('Secret Headers').fill('{"Authorization": "Bearer probe-secret"}');
  await drawer.getByLabel('Controls this check produces evidence for').click();
  await page.getByRole('option', { name: /OPS-01/ }).click();
  await page.keyboard.press('Escape');
  await shot(page, '01-new-check');
  await drawer.getByRole('button', { name: 'Create check' }).click();
  await page.getByText('Status API created.').waitFor();
  const row = page.locator('tbody tr').filter({ hasText: 'Status API' });
  await row.getByText('Not run yet').waitFor();

  await row.getByRole('button', { name: 'Run Status API now' }).click();
  await page.getByText('Check passed').waitFor();
  await row.getByText('Passing').waitFor();
  await shot(page, '02-passed');

  healthy = false;
  await row.getByRole('button', { name: 'Run Status API now' }).click();
  await page.getByText('Check failed').waitFor();
  await row.getByText('Failing').waitFor();
  assert.match((await row.textContent()) ?? '', /OPS-01/);
  await shot(page, '03-failed');

  await row.getByRole('button', { name: 'Run history of Status API' }).click();
  const history = page.getByRole('dialog', { name: 'Runs of Status API' });
  await history.getByText('Failed', { exact: true }).first().waitFor();
  assert.ok(!((await history.textContent()) ?? '').includes('probe-secret'), 'the secret header never shows');
  await shot(page, '04-history');
  await page.keyboard.press('Escape');

  // Editing shows the stored secret redacted; saving it unchanged keeps it (the next run still authenticates).
  healthy = true;
  await row.getByRole('button', { name: 'Edit Status API' }).click();
  await drawer.getByLabel('Secret Headers').waitFor();
  assert.match(await drawer.getByLabel('Secret Headers').inputValue(), /\[redacted\]/);
  await shot(page, '05-edit');
  await drawer.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Status API saved.').waitFor();
  await row.getByRole('button', { name: 'Run Status API now' }).click();
  await row.getByText('Passing').waitFor();
}));
