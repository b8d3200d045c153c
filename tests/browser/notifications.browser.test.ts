import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { withBrowserAndApp, screenshots, signInWithForm } from '../support/browser.ts';
import { verifyWebhookSignature } from '../../src/notifications/webhook-signature.ts';

const PASSWORD = 'correct horse battery staple';

const shot = screenshots('notifications');

test('an admin adds a webhook endpoint, copies its secret, sends a test event, redelivers a failure and adds an email rule', { timeout: 240_000 }, (t) => withBrowserAndApp(t, { webhookAllowHttpLoopback: true, webhookRetrySeconds: 1 }, async (browser, app) => {
  // A real receiver on loopback: it redirects (a failure) until told to accept.
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let accept = false;
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (accept) res.writeHead(200).end('ok'); else res.writeHead(302, { location: 'https://elsewhere.example/' }).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/attest`;
  t.after(async () => {
    receiver.closeAllConnections();
    receiver.close();
  });
  const { orgId } = await app.bootstrap({ orgName: 'Acme Compliance', email: 'owner@example.com', password: PASSWORD });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  await signInWithForm(page, app.baseUrl, 'owner@example.com', PASSWORD, orgId);

  await page.goto(`${app.baseUrl}/orgs/${orgId}/settings/webhooks`);
  await page.getByText('No webhook endpoints yet').waitFor();
  await shot(page, '01-empty');

  // Inline errors first, then a real endpoint.
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Add endpoint' }).click();
  await dialog.getByText('Choose at least one event type').waitFor();
  await dialog.getByLabel('Endpoint URL').fill('http://10.0.0.1/hook');
  await dialog.getByLabel(/^Events/).click();
  await page.getByRole('option', { name: 'control.failing' }).click();
  await page.getByRole('option', { name: 'control.stale' }).click();
  await page.keyboard.press('Escape');
  await dialog.getByRole('button', { name: 'Add endpoint' }).click();
  await dialog.getByText('Use an https:// URL.').waitFor();
  await shot(page, '02-url-refused');
  await dialog.getByLabel('Endpoint URL').fill(hookUrl);
  await dialog.getByLabel('Description').fill('Pager for failing controls');
  await dialog.getByRole('button', { name: 'Add endpoint' }).click();

  const secret = (await page.getByTestId('webhook-secret').textContent())!.trim();
  assert.match(secret, /^whsec_/);
  await shot(page, '03-secret-once');
  await page.getByRole('button', { name: 'Copy secret' }).click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
  await page.getByRole('button', { name: 'I copied it' }).click();

  // Test event: the receiver redirects, so it fails (and is not followed).
  await page.getByRole('button', { name: `Send test event to ${hookUrl}` }).click();
  const deliveries = page.getByTestId('webhook-deliveries');
  await deliveries.getByText('webhook.test').waitFor();
  for (let i = 0; i < 40 && !(await deliveries.getByText('failed', { exact: true }).count()); i++) {
    await page.waitForTimeout(250);
    await deliveries.getByRole('button', { name: 'Refresh' }).click();
  }
  await deliveries.getByText(/not followed/).waitFor();
  assert.equal(verifyWebhookSignature(secret, received[0]!.headers as Record<string, string>, received[0]!.body).ok, true, 'the copied secret verifies what was sent');
  await shot(page, '04-failed-delivery');

  accept = true;
  await deliveries.getByRole('button', { name: 'Redeliver webhook.test' }).click();
  await page.getByText('queued for another try').waitFor();
  for (let i = 0; i < 40 && !(await deliveries.getByText('delivered', { exact: true }).count()); i++) {
    await page.waitForTimeout(250);
    await deliveries.getByRole('button', { name: 'Refresh' }).click();
  }
  await deliveries.getByText('HTTP 200', { exact: false }).waitFor();
  assert.equal(received.length, 2);
  await page.reload();
  await page.getByText('Pager for failing controls').waitFor();
  await page.getByText('Pager for failing controls').click();
  await page.getByTestId('webhook-deliveries').getByText('delivered', { exact: true }).waitFor();
  await shot(page, '05-delivered');

  // Email rules.
  await page.getByRole('tab', { name: 'Notifications' }).click();
  await page.waitForURL('**/settings/notifications');
  await page.getByText('No email rules yet').waitFor();
  await page.getByRole('button', { name: 'Add rule' }).click();
  const ruleDialog = page.getByRole('dialog');
  await ruleDialog.getByLabel(/^Name/).fill('Failing controls');
  await ruleDialog.getByLabel(/^Events/).click();
  await page.getByRole('option', { name: 'control.failing' }).click();
  await page.keyboard.press('Escape');
  await ruleDialog.getByLabel('Other addresses').fill('ciso@example.com');
  await page.keyboard.press('Enter');
  await shot(page, '06-rule-form');
  await ruleDialog.getByRole('button', { name: 'Add rule' }).click();
  await page.getByRole('cell', { name: 'Failing controls', exact: true }).waitFor();
  await shot(page, '07-rules');

  const res = await app.app.services.notifications.publish(orgId, {
    type: 'control.failing', subject: { type: 'control', id: 'c1', label: 'AC-2 Access reviews' }, data: { health: 'failing' }, occurredAt: new Date(), ownerUserIds: [],
  });
  assert.deepEqual(res.emailedTo, ['ciso@example.com']);
  await page.getByRole('tab', { name: 'Outbox' }).click();
  await page.getByText('[Attest] AC-2 Access reviews: control.failing').waitFor();
  await shot(page, '08-outbox');

  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole('tab', { name: 'Webhooks' }).click();
  await page.getByText('Pager for failing controls').waitFor();
  await shot(page, '09-mobile');
}));
