// Evidence in the browser: upload a real file with visible progress, see it listed with its log
// index, download its proof bundle and verify it offline with bin/attest, review it as someone else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { signInWithForm, withBrowserAndApp, SHOTS, type Browser, type Page } from '../support/browser.ts';
import type { TestApp } from '../support/app.ts';
import { newMember, PASSWORD } from '../support/factories.ts';

const OWNER_PASSWORD = 'correct horse battery staple';
const BIN = path.resolve(import.meta.dirname, '../../bin/attest');
const run = promisify(execFile);

async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SHOTS}/evidence-${name}.png`, fullPage: true });
}

async function signIn(browser: Browser, app: TestApp, email: string, password: string, orgId: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
  const page = await context.newPage();
  await signInWithForm(page, app.baseUrl, email, password, orgId);
  await page.goto(`${app.baseUrl}/orgs/${orgId}/evidence`);
  await page.getByRole('heading', { name: 'Evidence', level: 1 }).waitFor();
  return page;
}

test('upload with progress, listed with its log index, proof bundle verified offline, reviewed by a second person', { timeout: 300_000 }, (t) => withBrowserAndApp(t, {}, async (browser, app) => {
  const ownerEmail = 'owner@example.com';
  const { orgId, userId } = await app.bootstrap({ orgName: 'Acme Compliance', email: ownerEmail, password: OWNER_PASSWORD });
  const slug = (await app.app.services.orgs.list()).find((o) => o.id === orgId)!.slug;
  await app.app.services.controls.create(orgId, {
    code: 'IAM-02', title: 'Quarterly access review', description: '', ownerUserId: null, frequency: 'quarterly', nature: 'detective',
    automation: 'manual', lifecycle: 'operating', scope: [], requirements: [{ framework: 'soc2-2017', id: 'CC6.2' }],
  }, { userId, email: ownerEmail, ip: null });
  const reviewer = await newMember(app, orgId, 'editor');

  const dir = mkdtempSync(path.join(os.tmpdir(), 'attest-evidence-browser-'));
  const file = path.join(dir, 'access-review-q3.csv');
  // Big enough that the upload, throttled below, shows its progress for a few seconds.
  const rows = Array.from({ length: 120_000 }, (_, i) => `user${i}@acme.test,${crypto.randomBytes(16).toString('hex')},kept`).join('\n');
  writeFileSync(file, `email,token,decision\n${rows}\n`);

  const page = await signIn(browser, app, ownerEmail, OWNER_PASSWORD, orgId);
  await page.getByText('No evidence yet').waitFor();
  await shot(page, '01-empty');

  await page.getByRole('button', { name: 'Add evidence' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add evidence' });
  await dialog.getByLabel('Evidence file').setInputFiles(file);
  await dialog.getByText('access-review-q3.csv').waitFor();
  await dialog.getByLabel(/^Title/).fill('Q3 access review');
  await dialog.getByLabel(/^Controls/).click();
  await page.getByRole('option', { name: /IAM-02/ }).click();
  await dialog.getByLabel('Period from').fill('2026-07-01');
  await dialog.getByLabel('Period to').fill('2026-09-30');
  await shot(page, '02-add-form');

  // Throttle the upload so its progress is visible.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 2 * 1024 * 1024 });
  await dialog.getByRole('button', { name: 'Upload' }).click();
  const progress = dialog.getByTestId('upload-progress');
  await progress.getByText(/Uploading… \d+%/).waitFor();
  await shot(page, '03-uploading');
  await page.getByText(/Evidence added as log entry \d+/).waitFor({ timeout: 60_000 });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

  const [stored] = (await app.app.services.evidence.list(orgId, { limit: 5 })).items;
  assert.ok(stored, 'the upload was recorded');
  assert.equal(stored.title, 'Q3 access review');
  assert.equal(stored.periodStart?.toISOString(), '2026-07-01T00:00:00.000Z');
  const drawer = page.getByRole('dialog', { name: 'Q3 access review' });
  await drawer.getByText(String(stored.ledgerIndex), { exact: true }).first().waitFor();
  await drawer.getByText(stored.sha256!).waitFor();
  await shot(page, '04-drawer');

  // The submitter cannot review their own evidence: the server says so, inline.
  await drawer.getByRole('button', { name: 'Accept' }).click();
  await drawer.getByRole('alert').getByText(/someone other than the person who submitted it/).waitFor();
  await shot(page, '05-own-review-refused');
  await page.keyboard.press('Escape');

  // Listed with its log index and verification state; the proof bundle verifies offline.
  const row = page.getByRole('row', { name: /Q3 access review/ });
  assert.equal((await row.getByTestId('log-index').textContent())?.trim(), String(stored.ledgerIndex));
  await row.locator('[data-verification]').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: /proof bundle/i }).click()]);
  assert.equal(download.suggestedFilename(), `evidence-${stored.ledgerIndex}.bundle.json`);
  const bundlePath = path.join(dir, 'bundle.json');
  await download.saveAs(bundlePath);
  const keys = await fetch(`${app.baseUrl}/.well-known/attest/${slug}/log-keys`);
  assert.equal(keys.status, 200);
  const keysPath = path.join(dir, 'keys.json');
  writeFileSync(keysPath, await keys.text());
  const verified = await run(BIN, ['verify', bundlePath, '--key', keysPath, '--file', file]);
  assert.match(verified.stdout, /file sha256 .*: matches/);
  writeFileSync(path.join(dir, 'other.csv'), 'email\nmallory@acme.test\n');
  await assert.rejects(run(BIN, ['verify', bundlePath, '--key', keysPath, '--file', path.join(dir, 'other.csv')]), /verification FAILED/);
  await page.reload();
  await page.getByRole('row', { name: /Q3 access review/ }).locator('[data-verification="verified"]').waitFor();
  await shot(page, '06-listed-verified');

  // A second person reviews: a rejection needs a reason, then they accept.
  const second = await signIn(browser, app, reviewer.email, PASSWORD, orgId);
  await second.getByRole('row', { name: /Q3 access review/ }).click();
  const review = second.getByRole('dialog', { name: 'Q3 access review' });
  await review.getByRole('button', { name: 'Reject…' }).click();
  await review.getByRole('button', { name: 'Reject evidence' }).click();
  await review.getByText('Say why the evidence is rejected').waitFor();
  await shot(second, '07-reject-needs-reason');
  await review.getByRole('button', { name: 'Back' }).click();
  await review.getByRole('button', { name: 'Accept' }).click();
  await second.getByText('Evidence accepted.').waitFor();
  await review.getByText('Accepted').first().waitFor();
  assert.equal((await app.app.services.evidence.get(orgId, stored.id)).status, 'accepted');
  await shot(second, '08-accepted');

  // Filters go to the server: nothing is awaiting review any more.
  await second.keyboard.press('Escape');
  await second.getByRole('combobox', { name: 'Status', exact: true }).click();
  await second.getByRole('option', { name: 'Awaiting review' }).click();
  await second.getByText('No evidence matches the filters').waitFor();
}));
