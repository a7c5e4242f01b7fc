/** Headless Debian Chromium through playwright-core; never a downloaded browser. */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = fileURLToPath(new URL('../../../test-output/screenshots/', import.meta.url));

/** Why the browser suites cannot run here, or null when they can. */
export function browserMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `browser e2e skipped: ${CHROMIUM} is not installed (apt-get install chromium)`;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/**
 * A browser context whose app is signed in with `session` (from signIn), in the given language and viewport;
 * `locale` and `timezoneId` set the browser's own (navigator.language, the clock's zone).
 */
export async function signedInContext(
  browser: Browser,
  baseUrl: string,
  session: { token: string; user: unknown },
  options: { lang?: 'en' | 'zh'; width?: number; height?: number; locale?: string; timezoneId?: string } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    ...(options.locale ? { locale: options.locale } : {}),
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    acceptDownloads: true,
  });
  await context.addInitScript(
    ([value, lang]) => {
      if (!localStorage.getItem('svcflow.session')) localStorage.setItem('svcflow.session', value);
      if (!localStorage.getItem('svcflow.lang')) localStorage.setItem('svcflow.lang', lang);
    },
    [JSON.stringify(session), options.lang ?? 'en'] as const,
  );
  return context;
}

/** Saves a full-page screenshot as test-output/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/** Collects uncaught page errors and Content-Security-Policy violations, so a test can assert there were none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) errors.push(message.text());
  });
  return errors;
}
