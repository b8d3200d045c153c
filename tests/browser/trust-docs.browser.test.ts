import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { withBrowserAndApp, axeViolations, SHOTS, type Browser, type Page } from '../support/browser.ts';
import { publishHub, samplePdf } from '../../src/trust-docs/visitor.test-support.ts';

const PASSWORD = 'correct horse battery staple';

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${SHOTS}/trust-docs-${name}.png`, fullPage: true });
}
test('a visitor requests a gated report without JavaScript; the admin approves it in the web UI', { timeout: 240_000 }, (t) => withBrowserAndApp(t, { trustRateLimitPerMinute: 10_000 }, async (browser, app) => {
  const open = (o: Parameters<Browser['newContext']>[0]) => browser.newContext(o);
  const email = 'owner@example.com';
  const { orgId, userId } = await app.bootstrap({ orgName: 'Acme Cloud', email, password: PASSWORD });
  const s = app.app.services;
  const slug = (await s.repos.orgs.findOrg(orgId))!.slug;
  const actor = { userId, email };
  await publishHub(app, orgId);
  await s.trustDocs.publishNda(orgId, { label: '2026-01', text: 'You keep what you read confidential.\nYou use it only to assess Acme Cloud as a vendor.' }, actor);
  const report = await s.trustDocs.createDocument(orgId, { title: 'SOC 2 Type II report', kind: 'soc2-type2-report', description: '' });
  const blob = await s.blobs.put(Readable.from([Buffer.from(await samplePdf(3, 'SOC 2'))]), { maxBytes: 10_000_000 });
  await s.trustDocs.addVersion(orgId, report.id, { label: 'FY2026', sha256: blob.sha256, size: blob.size, filename: 'soc2.pdf' }, actor);
  await s.trustDocs.createDocument(orgId, { title: 'SOC 3 report', kind: 'soc3-report', description: 'Public summary' });

  // The visitor, with JavaScript off: the plain HTML form is the whole flow.
  const visitor = await open({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
  const v = await visitor.newPage();
  await v.goto(`${app.baseUrl}/trust/${slug}/documents/${report.id}/request`);
  await v.getByRole('heading', { name: 'Request access to SOC 2 Type II report' }).waitFor();
  await v.getByRole('button', { name: 'Accept the NDA and request access' }).click();
  await v.getByText('Accept the NDA to request access.').waitFor();
  await shot(v, '01-request-errors');
  await v.getByLabel('Full name').fill('Dana Reviewer');
  await v.getByLabel('Work email').fill('dana@customer.example');
  await v.getByLabel('Company', { exact: true }).fill('Customer AG');
  await v.getByLabel('Why you need access').fill('Annual vendor security review.');
  await v.getByLabel(/I have read and accept/).check();
  await shot(v, '02-request-filled');
  await v.getByRole('button', { name: 'Accept the NDA and request access' }).click();
  await v.getByRole('heading', { name: 'Check your email' }).waitFor();
  await shot(v, '03-check-your-email');

  // axe-core is injected as an inline script, which the hub's CSP rightly refuses; this context alone bypasses it.
  const a11y = await open({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const ap = await a11y.newPage();
  await ap.goto(`${app.baseUrl}/trust/${slug}/access`);
  assert.deepEqual(await axeViolations(ap), [], 'axe-core finds no violations on the request form');

  // The admin approves in the web UI.
  const context = await open({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  await page.goto(`${app.baseUrl}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel(/^Password/).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`**/orgs/${orgId}/**`);
  await page.getByRole('link', { name: 'Hub documents' }).click();
  await page.getByRole('heading', { name: 'Trust Hub documents', level: 1 }).waitFor();
  await page.getByText('SOC 2 Type II report', { exact: true }).first().waitFor();
  await shot(page, '04-admin-documents');
  await page.getByRole('tab', { name: 'Requests and grants' }).click();
  await page.getByText('dana@customer.example', { exact: false }).waitFor();
  await shot(page, '05-admin-queue');
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.getByText(/Approved: a link was emailed/).waitFor();
  await page.getByRole('tab', { name: 'NDA' }).click();
  await page.getByText('Current NDA: 2026-01').waitFor();
  await shot(page, '06-admin-nda');
  await page.getByRole('tab', { name: 'Rules and customers' }).click();
  await page.getByText('Auto-approval rules').waitFor();
  await shot(page, '07-admin-rules');

  // Back to the visitor: the mailed link, the landing page, the documents list.
  const mail = (await app.outbox(orgId)).find((m) => m.to === 'dana@customer.example' && m.text.includes('/access/link'))!;
  const link = /(http\S+\/access\/link\?token=\S+)/.exec(mail.text)![1]!;
  await v.goto(link);
  await shot(v, '08-landing');
  await v.getByRole('button', { name: 'Continue to the documents' }).click();
  await v.getByRole('heading', { name: 'Your documents' }).waitFor();
  assert.ok(await v.getByRole('link', { name: 'SOC 2 Type II report' }).isVisible());
  await shot(v, '09-your-documents');
  await page.getByRole('tab', { name: 'Download log' }).click();
}));
