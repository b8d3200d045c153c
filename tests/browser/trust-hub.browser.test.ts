import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axeViolations, signInWithForm, withBrowserAndApp, SHOTS, type Page } from '../support/browser.ts';
import { newOrg } from '../support/factories.ts';
import { seedTrustHub } from '../support/trust-hub-seed.ts';

async function certificationsShown(page: Page) {
  const section = page.locator('#certifications');
  await section.getByRole('heading', { name: /SOC 2 Type II/ }).waitFor();
  assert.equal(await section.locator('article.cert').count(), 5);
  assert.match(await section.locator('article', { hasText: 'SOC 2 Type II' }).innerText(), /Attested[\s\S]*Period 1 Oct 2025 – 30 Sept? 2026[\s\S]*Out of scope\s+Workers, Stream/);
  assert.match(await section.locator('article', { hasText: 'FedRAMP High' }).innerText(), /In process/);
}

test('the public Trust Hub overview: screenshot, axe scan, no JavaScript, phone viewport', { timeout: 240_000 }, (t) => withBrowserAndApp(t, { publicUrl: 'https://attest.example.test' }, async (browser, app) => {
  const { org } = await newOrg(app, 'Acme');
  await seedTrustHub(app.app.services, org.id);
  const url = `${app.baseUrl}/trust/${org.slug}`;

  const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await desktop.newPage();
  const res = await page.goto(url);
  assert.equal(res?.status(), 200);
  await certificationsShown(page);
  await page.screenshot({ path: `${SHOTS}/trust-hub-overview.png`, fullPage: true });
  assert.deepEqual(await axeViolations(page), []);
  // The skip link lands on the main landmark.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');

  const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  const plain = await noJs.newPage();
  await plain.goto(url);
  await certificationsShown(plain);
  assert.equal(await plain.locator('#scope table tbody tr').count(), 3, 'the product matrix is plain HTML');
  await plain.screenshot({ path: `${SHOTS}/trust-hub-overview-nojs.png` });

  const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, bypassCSP: true });
  const small = await phone.newPage();
  await small.goto(url);
  await certificationsShown(small);
  const overflow = await small.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px on a phone`);
  await small.screenshot({ path: `${SHOTS}/trust-hub-overview-phone.png`, fullPage: true });
  await small.screenshot({ path: `${SHOTS}/trust-hub-phone-top.png` });
  await small.locator('#scope').screenshot({ path: `${SHOTS}/trust-hub-phone-matrix.png` });
  assert.deepEqual(await axeViolations(small), []);
}));

test('the admin page: settings with inline errors and toasts, live preview in a same-origin frame', { timeout: 240_000 }, (t) => withBrowserAndApp(t, { publicUrl: 'https://attest.example.test' }, async (browser, app) => {
  const email = 'owner@example.com';
  const password = 'correct horse battery staple';
  const { orgId } = await app.bootstrap({ orgName: 'Acme Cloud', email, password });
  await seedTrustHub(app.app.services, orgId);
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  await signInWithForm(page, app.baseUrl, email, password, orgId);
  await page.getByRole('link', { name: 'Trust Hub' }).click();
  await page.getByRole('heading', { name: 'Trust Hub', level: 2 }).waitFor();

  // The preview frame loads the SSR page (its CSP lets this origin frame it) and follows typing.
  const frame = page.frameLocator('iframe[title="Trust Hub preview"]');
  await frame.getByRole('heading', { name: /SOC 2 Type II/ }).waitFor();
  await page.getByRole('textbox', { name: 'Display name' }).fill('Acme Cloud Europe');
  await frame.getByRole('heading', { name: 'Acme Cloud Europe Trust Hub', level: 1 }).waitFor();

  // A bad contact is refused by the server and shown beside its field.
  await page.getByRole('textbox', { name: 'Security contacts' }).fill('javascript:alert(1)');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText(/The URI must start with mailto: or https: or tel:/).waitFor();
  await page.screenshot({ path: `${SHOTS}/trust-hub-admin-error.png` });

  await page.getByRole('textbox', { name: 'Security contacts' }).fill('mailto:security@acme.example');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Trust Hub settings saved. The hub is published.').waitFor();
  await page.screenshot({ path: `${SHOTS}/trust-hub-admin.png` });
  const saved = await app.app.services.trustHub.getSettings(orgId);
  assert.equal(saved.displayName, 'Acme Cloud Europe');
  assert.deepEqual(saved.securityContacts, ['mailto:security@acme.example']);
}));
