import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { testEnv, type Config } from '../../src/config/config.ts';
import { startTestApp, type TestApp } from './app.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = '/tmp/attest-shots';
// Chromium's background services would try the network, which this machine does not have.
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Debian's Chromium through playwright-core, or null after skipping the test visibly when it is
 * not installed (in CI it is required, so the test fails instead).
 */
export async function launchChromium(t: TestContext): Promise<Browser | null> {
  if (!existsSync(CHROMIUM)) {
    if (testEnv().ci) assert.fail(`${CHROMIUM} is required in CI`);
    t.skip('chromium not installed');
    return null;
  }
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/**
 * One browser test's Chromium and a fresh test app (with `overrides` of its settings), both closed
 * afterwards whatever happens; skipped as launchChromium says when Chromium is missing.
 */
export async function withBrowserAndApp(t: TestContext, overrides: Partial<Config>, run: (browser: Browser, app: TestApp) => Promise<void>): Promise<void> {
  const browser = await launchChromium(t);
  if (!browser) return;
  try {
    const app = await startTestApp(overrides);
    try {
      await run(browser, app);
    } finally {
      await app.close();
    }
  } finally {
    await browser.close();
  }
}

/** A `shot(page, name)` that saves full-page screenshots as `<prefix>-<name>.png`, from the top (the app header is fixed). */
export function screenshots(prefix: string, opts: { fullPage?: (name: string) => boolean } = {}) {
  return async (page: Page, name: string) => {
    await page.evaluate(() => window.scrollTo(0, 0));
    // Finished, not mid-transition: drawers, toasts and row expansions animate.
    await page.screenshot({ path: `${SHOTS}/${prefix}-${name}.png`, fullPage: opts.fullPage ? opts.fullPage(name) : true, animations: 'disabled' });
  };
}

/** Signs in through the login form and waits for the org's landing page. */
export async function signInWithForm(page: Page, baseUrl: string, email: string, password: string, orgId: string) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`**/orgs/${orgId}/frameworks`);
}

// Public hub pages send a CSP without inline scripts: the injected axe-core needs a context with bypassCSP.
const AXE = path.resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js');

/** axe-core's WCAG 2.1 A/AA and best-practice violations on the page, one readable line each (empty: none). */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
}

export type { Browser, Page };
