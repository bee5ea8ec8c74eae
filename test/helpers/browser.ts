/**
 * Browser tests: Debian's Chromium driven by playwright-core (never a browser download),
 * one browser per test file, against a real app listening on a port of its own. Every page
 * a test visits goes through `check`: axe-core at WCAG 2.2 AA (0 violations), and a
 * screenshot under docs/screenshots/ when asked.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Test } from 'tap';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { PROJECT_ROOT } from '../../src/config.js';
import type { App } from '../../src/app.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(PROJECT_ROOT, 'docs', 'screenshots');
/** Screenshots are written only when asked (PORTAL_SCREENSHOTS=1), so a test run leaves the tree clean. */
export const TAKE_SCREENSHOTS = process.env.PORTAL_SCREENSHOTS === '1';
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** What axe found on every page the file visited, for the note and the log. */
export const axeSummary: { url: string; lang: string; violations: number }[] = [];

export async function launch(t: Test): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  t.teardown(() => browser.close());
  return browser;
}

/** The app on a real port; its address. */
export async function listen(app: App): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}

export async function newContext(
  browser: Browser,
  base: string,
  opts: { javaScript?: boolean } = {},
): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: base,
    javaScriptEnabled: opts.javaScript ?? true,
    viewport: { width: 1024, height: 900 },
  });
}

/** axe on the page as it is now: 0 violations at WCAG 2.2 AA; a screenshot when named. */
export async function check(t: Test, page: Page, screenshot?: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const lang = await page.getAttribute('html', 'lang');
  axeSummary.push({ url: page.url(), lang: lang ?? '', violations: results.violations.length });
  t.same(
    results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    [],
    `axe: no WCAG 2.2 AA violation on ${new URL(page.url()).pathname} (${lang})`,
  );
  if (screenshot) await shoot(page, screenshot);
}

/** A full-page screenshot under docs/screenshots/ (when PORTAL_SCREENSHOTS=1). */
export async function shoot(page: Page, name: string): Promise<void> {
  if (TAKE_SCREENSHOTS) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }
}

/** Fails the test on a CSP violation or a script error in the page. */
export function watchConsole(t: Test, page: Page): void {
  page.on('console', (msg) => {
    // A page answered 4xx on purpose (a refused form) is reported as a failed load.
    if (msg.type() === 'error' && !/status of 4\d\d/.test(msg.text()))
      t.fail(`console error on ${page.url()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => t.fail(`script error on ${page.url()}: ${err.message}`));
}
