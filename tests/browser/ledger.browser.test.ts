import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { withBrowserAndApp, screenshots, signInWithForm } from '../support/browser.ts';

const PASSWORD = 'correct horse battery staple';

const shot = screenshots('ledger');

test('owner opens the evidence log, audits it (verified), and sees problems after an entry is tampered with', { timeout: 180_000 }, (t) => withBrowserAndApp(t, {}, async (browser, app) => {
  const ownerEmail = 'owner@example.com';
  const { orgId } = await app.bootstrap({ orgName: 'Acme Compliance', email: ownerEmail, password: PASSWORD });
  const ledger = app.app.services.ledger;
  await ledger.append(orgId, { kind: 'control.test.passed', record: { control: 'AC-2', test: 'quarterly access review' } });
  await ledger.append(orgId, { kind: 'evidence.uploaded', record: { name: 'access-review-q3.pdf', file: { sha256: 'a'.repeat(64), size: 48_213 } } });
  await ledger.checkpoint(orgId);
  await ledger.append(orgId, { kind: 'policy.approved', record: { policy: 'Information Security Policy', version: '2.1' } });
  await ledger.append(orgId, { kind: 'control.test.passed', record: { control: 'CM-3', test: 'change approvals sampled' } });
  await ledger.checkpoint(orgId);

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await context.newPage();

  // Sign in (no 2FA on this owner): password only.
  await signInWithForm(page, app.baseUrl, ownerEmail, PASSWORD, orgId);

  // The main navigation links the page, right after Evidence.
  await page.getByRole('link', { name: 'Evidence log' }).click();
  await page.waitForURL(`**/orgs/${orgId}/evidence-log`);
  await page.getByRole('heading', { name: 'Evidence log', level: 1 }).waitFor();
  assert.equal((await page.getByTestId('tree-size').textContent())?.trim(), '4');
  const verdict = page.getByTestId('audit-verdict');
  await verdict.getByText('Never audited').waitFor();
  assert.equal(await page.getByRole('row').count(), 3, 'two checkpoints and the header row');
  await shot(page, '01-overview');

  // Run the audit from the UI: verified.
  await page.getByRole('button', { name: 'Run audit now' }).click();
  await verdict.getByText('Verified').waitFor();
  await page.getByText('Audit passed: verified').waitFor();
  const recorded = await ledger.lastAudit(orgId);
  assert.equal(recorded?.ok, true);
  assert.equal(recorded?.trigger, 'manual');
  await shot(page, '02-verified');

  // Look up an entry and download its proof bundle.
  await page.getByLabel('Entry index').fill('1');
  await page.getByRole('button', { name: 'Look up' }).click();
  const details = page.getByTestId('entry-details');
  await details.getByText('evidence.uploaded').waitFor();
  await details.getByText('access-review-q3.pdf', { exact: false }).waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), details.getByRole('button', { name: 'Download proof bundle' }).click()]);
  assert.equal(download.suggestedFilename(), 'evidence-1.bundle.json');
  const bundle = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  assert.equal(bundle.index, 1);
  assert.equal(bundle.parsed.kind, 'evidence.uploaded');
  await shot(page, '03-entry-lookup');

  // Tamper with an entry behind the application's back; the next audit finds it.
  await app.app.services.database.pool.query(
    `UPDATE ledger_entries SET entry = convert_to('{"kind":"policy.approved","record":{"policy":"Information Security Policy","version":"9.9"},"time":"2025-01-01T00:00:00.000Z"}', 'UTF8') WHERE org_id = $1 AND idx = 2`,
    [orgId],
  );
  await page.getByRole('button', { name: 'Run audit now' }).click();
  await verdict.getByText('Problems found').waitFor();
  await page.getByText('Audit found problems').waitFor();
  await page.getByTestId('audit-problems').getByText('leaf_hash_mismatch').first().waitFor();
  assert.equal((await ledger.lastAudit(orgId))?.ok, false);
  await shot(page, '04-problems');

  // Narrow screens stack the cards.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await page.getByTestId('audit-verdict').getByText('Problems found').waitFor();
  await shot(page, '05-mobile');
}));
