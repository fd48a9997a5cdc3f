// A real browser for the dashboard's tests: Debian's Chromium (/usr/bin/chromium, installed by
// .ci/run) driven headless by playwright-core, which downloads no browser of its own. Without
// Chromium the tests skip with the reason, except under CI=true, where that is a failure.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from './project.js';

/** Where Chromium is: `CHROMIUM_PATH`, else Debian's. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Headless, no sandbox (containers), and nothing that reaches out to Google's services. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where screenshots go: test artefacts, ignored by git. */
export const SCREENSHOTS_DIR = path.join(repoRoot, 'test-results', 'dashboard');

/**
 * Why the browser tests cannot run here, or null when they can. Under CI=true a missing Chromium
 * throws instead: CI installs it, so its absence is a broken setup, not a reason to skip.
 *
 * @returns the reason to skip, or null
 * @example
 * const missing = missingBrowser();
 * describe.skipIf(missing !== null)(`the dashboard${missing ? ` (skipped: ${missing})` : ''}`, () => { ... });
 */
export function missingBrowser(): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  const reason = `${CHROMIUM_PATH} not found: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`;
  if (process.env['CI'] === 'true') throw new Error(`the dashboard's browser tests need Chromium under CI: ${reason}`);
  return reason;
}

/**
 * Starts headless Chromium.
 *
 * @example
 * const browser = await launchChromium();
 * await browser.close();
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}

/** A page and what went wrong in it: uncaught errors and console errors, for the test to assert none. */
export interface WatchedPage {
  readonly page: Page;
  readonly problems: string[];
}

/**
 * Opens a 1280x800 page whose uncaught errors and console errors are collected.
 *
 * @param browser from launchChromium
 * @example
 * const { page, problems } = await watchedPage(browser);
 * expect(problems).toEqual([]);
 */
export async function watchedPage(browser: Browser): Promise<WatchedPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()} (${message.location().url})`);
  });
  return { page, problems };
}

/**
 * Saves what the page shows (the viewport) as test-results/dashboard/<name>.png.
 *
 * @param page the page
 * @param name the file's name without .png
 * @returns the file's path
 * @example
 * await screenshot(page, 'topology');
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  const file = path.join(SCREENSHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
