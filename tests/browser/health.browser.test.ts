import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { signInWithForm, withBrowserAndApp, SHOTS, type Page } from '../support/browser.ts';

const PASSWORD = 'correct horse battery staple';
const DAY = 86_400_000;

async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(400); // chart animations settle
  await page.screenshot({ path: `${SHOTS}/health-${name}.png`, fullPage: true });
}

test('health dashboard, control timeline and coverage dashboard with drill-down, explanation chain and what-if', { timeout: 240_000 }, (t) => withBrowserAndApp(t, {}, async (browser, app) => {
  const email = 'owner@example.com';
  const { orgId, userId } = await app.bootstrap({ orgName: 'Acme Compliance', email, password: PASSWORD });
  const s = app.app.services;
  const actor = { userId, email, ip: null };
  await s.catalog.setScope(orgId, ['soc2-2017', 'iso27001-2022'], actor);
  await s.controls.adopt(orgId, { frameworks: ['soc2-2017'] }, actor);
  const controls = await s.controls.list(orgId, { includeRetired: false, sort: 'code', dir: 'asc' });
  assert.ok(controls.length >= 4);
  const [passing, failing, stale] = controls;
  const collector = { kind: 'check' as const, userId: null, label: 'CI pipeline' };
  const result = (controlId: string, status: 'pass' | 'fail', collectedAt: Date, title: string) =>
    s.evidence.addCheckResult(orgId, { checkId: crypto.randomUUID(), status, title, output: status, controlIds: [controlId], collectedAt }, collector);
  await result(passing!.id, 'pass', new Date(), 'TLS endpoint check');
  await result(failing!.id, 'pass', new Date(Date.now() - DAY), 'Client IP retention query');
  await s.health.monitorOrg(orgId);
  await result(failing!.id, 'fail', new Date(), 'Client IP retention query');
  await result(stale!.id, 'pass', new Date(Date.now() - 800 * DAY), 'Old export');
  await s.health.monitorOrg(orgId);

  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await signInWithForm(page, app.baseUrl, email, PASSWORD, orgId);

  // Health: counts, the per-framework bars, the attention table.
  await page.getByRole('link', { name: 'Health' }).click();
  await page.getByRole('heading', { name: 'Health', level: 1 }).waitFor();
  assert.equal(await page.getByTestId('count-passing').textContent(), '1');
  assert.equal(await page.getByTestId('count-failing').textContent(), '1');
  assert.equal(await page.getByTestId('count-stale').textContent(), '1');
  assert.equal(await page.getByTestId('count-no-evidence').textContent(), String(controls.length - 3));
  const attention = page.getByRole('table', { name: 'Controls by health' });
  await attention.getByText('1 linked check(s) not passing on their latest run').waitFor();
  await attention.getByText(/a \w+(-\w+)? control needs newer/).waitFor();
  assert.equal(await attention.getByText(passing!.code, { exact: true }).count(), 0, 'a passing control needs no attention');
  await page.locator('.recharts-surface').first().waitFor();
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${SHOTS}/health-01-dashboard.png` });

  // The failing control's link opens its drawer with the timeline.
  await attention.getByRole('link', { name: failing!.code }).click();
  await page.waitForURL(`**/controls?open=${failing!.id}`);
  const drawer = page.getByRole('dialog');
  const timeline = drawer.getByLabel('Control timeline');
  await timeline.waitFor().catch(async (e: unknown) => { await page.screenshot({ path: `${SHOTS}/health-debug.png` }); throw e; });
  await timeline.getByText('Check result fail: Client IP retention query').waitFor();
  await timeline.getByText(/Health passing → failing/).waitFor();
  await timeline.getByText(/log entry #\d+/).first().waitFor();
  await timeline.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/health-02-timeline.png` });
  await page.keyboard.press('Escape');

  // Coverage: chart and table of in-scope frameworks; what-if for one outside the scope.
  await page.getByRole('link', { name: 'Coverage' }).click();
  await page.getByRole('heading', { name: 'Coverage', level: 1 }).waitFor();
  const table = page.getByRole('table', { name: 'Coverage per framework' });
  const soc2 = (await s.coverage.forOrg(orgId, { framework: 'soc2-2017' }))[0]!;
  await table.getByRole('link', { name: soc2.framework.name }).waitFor();
  await page.getByRole('combobox', { name: 'Framework outside the scope' }).click();
  await page.getByRole('option', { name: (await s.catalog.show(orgId, 'iso27018-2019')).name, exact: true }).click();
  await page.getByTestId('whatif-full').waitFor();
  await shot(page, '03-coverage');

  // Drill-down: a group, its requirements with status badges, and the explanation chain.
  await table.getByRole('link', { name: soc2.framework.name }).click();
  await page.waitForURL(`**/coverage/soc2-2017`);
  const req = soc2.satisfied[0]!;
  // Open the requirement's groups from the top down.
  const chain: typeof soc2.groups = [];
  for (let g = soc2.groups.find((x) => x.id === req.parentId); g; g = soc2.groups.find((x) => x.id === g!.parentId)) chain.unshift(g);
  for (const g of chain) await page.getByRole('button', { name: `${g.title} ${g.satisfied}/${g.requirements}`, exact: false }).first().click();
  await page.getByRole('button', { name: `${req.id} ${req.title}` }).waitFor();
  await shot(page, '04-drilldown');
  await page.getByRole('button', { name: `${req.id} ${req.title}` }).click();
  const explain = page.getByRole('dialog');
  await explain.getByLabel('Explanation path 1').waitFor();
  await explain.getByText(req.paths[0]!.control.code, { exact: true }).first().waitFor();
  await page.screenshot({ path: `${SHOTS}/health-05-explanation.png` });
}));
