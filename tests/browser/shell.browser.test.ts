import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withBrowserAndApp, SHOTS, type Page } from '../support/browser.ts';
import { generateSync } from 'otplib';

const PASSWORD = 'correct horse battery staple';

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

async function signIn(page: Page, baseUrl: string, email: string) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel(/^Password/).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * A code for the next 30-second step: the server accepts one step of drift but never a step it has
 * already seen, so this stays valid right after enrolment used the current step.
 */
function nextTotp(secret: string): string {
  return generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
}

test('owner signs in, enrols 2FA, signs in with a code, invites a colleague who joins', { timeout: 180_000 }, (t) => withBrowserAndApp(t, {}, async (browser, app) => {
  const ownerEmail = 'owner@example.com';
  const { orgId } = await app.bootstrap({ orgName: 'Acme Compliance', email: ownerEmail, password: PASSWORD });
  const owner = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();

  // Sign in: "/" lands on the first organization.
  await signIn(owner, app.baseUrl, ownerEmail);
  await owner.waitForURL(`**/orgs/${orgId}/frameworks`);
  await owner.getByRole('heading', { name: 'Frameworks', level: 1 }).waitFor();
  await shot(owner, '01-signed-in');

  // Enrol 2FA from the user menu, using the typed-in key instead of the QR code.
  await owner.getByTestId('user-menu').click();
  await owner.getByRole('menuitem', { name: /Two-factor authentication/ }).click();
  await owner.getByRole('button', { name: 'Set up two-factor authentication' }).click();
  const secret = (await owner.getByTestId('totp-secret').textContent())?.trim() ?? '';
  assert.match(secret, /^[A-Z2-7]{16,}$/, 'the setup key is shown as base32 text');
  await shot(owner, '02-enrol-2fa');
  await owner.getByLabel('Verification code').fill(generateSync({ secret }));
  await owner.getByRole('button', { name: 'Turn on two-factor' }).click();

  const codes = owner.getByTestId('recovery-codes');
  await codes.waitFor();
  assert.equal(await codes.locator('code').count(), 10, 'ten recovery codes are shown');
  await shot(owner, '03-recovery-codes');
  const continueButton = owner.getByRole('button', { name: 'Continue' });
  assert.equal(await continueButton.isDisabled(), true, 'cannot continue before confirming the codes are saved');
  await owner.getByLabel('I saved my recovery codes somewhere safe').check();
  await continueButton.click();
  await owner.getByText('On', { exact: true }).first().waitFor();

  // Sign out, then sign in again through the TOTP challenge.
  await owner.getByTestId('user-menu').click();
  await owner.getByRole('menuitem', { name: 'Sign out' }).click();
  await owner.waitForURL('**/login');
  await signIn(owner, app.baseUrl, ownerEmail);
  const codeInput = owner.getByLabel('Authentication code');
  await codeInput.waitFor();
  await shot(owner, '04-totp-challenge');
  await codeInput.fill(nextTotp(secret));
  await owner.getByRole('button', { name: 'Verify' }).click();
  await owner.waitForURL(`**/orgs/${orgId}/frameworks`);

  // Invite a colleague from Settings > Invitations.
  const colleague = 'colleague@example.com';
  await owner.getByRole('link', { name: 'Settings' }).click();
  await owner.getByRole('tab', { name: 'Invitations' }).click();
  await owner.getByRole('button', { name: 'Invite', exact: true }).click();
  const dialog = owner.getByRole('dialog', { name: 'Invite a colleague' });
  await dialog.getByLabel('Email').fill(colleague);
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await owner.getByRole('cell', { name: colleague, exact: true }).waitFor();
  await shot(owner, '05-invitations');

  // The link from the development outbox, opened where nobody is signed in.
  const mail = (await app.outbox(orgId)).find((m) => m.to === colleague);
  assert.ok(mail, 'the invitation was written to the outbox');
  const link = mail.text.match(/https?:\/\/\S+\/invite\/\S+/)?.[0];
  assert.ok(link, 'the invitation email contains a link');
  const invitee = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await invitee.goto(`${app.baseUrl}${new URL(link).pathname}`);
  await invitee.getByRole('heading', { name: 'Join Acme Compliance' }).waitFor();
  await invitee.getByLabel('Your name').fill('Casey Colleague');
  await invitee.getByLabel('Choose a password').fill(PASSWORD);
  await shot(invitee, '06-accept-invitation');
  await invitee.getByRole('button', { name: 'Accept invitation' }).click();
  await invitee.waitForURL(`**/orgs/${orgId}/frameworks`);

  // The new member sees the navigation and its empty areas.
  await invitee.getByRole('link', { name: 'Audits' }).click();
  await invitee.getByRole('heading', { name: 'Audits', level: 1 }).waitFor();
  await invitee.getByText('Audits you run with your auditors, their requests and the evidence you share, will appear here.').waitFor();
  await shot(invitee, '07-audits-empty');

  await invitee.setViewportSize({ width: 390, height: 844 });
  await invitee.reload();
  await invitee.getByRole('heading', { name: 'Audits', level: 1 }).waitFor();
  await shot(invitee, '08-audits-mobile');
}));
