/** The web app's pages as the server serves them: sign-in, where `/` leads, what each role may open. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { browserMissing, launchBrowser, screenshot, signedInContext } from './web/browser.js';
import { ensureWebBuilt, signIn, startWebServer, type WebServer } from './web/web-server.js';

const missing = browserMissing();
if (missing) console.warn(missing);

describe.skipIf(missing)('e2e/web: pages', { timeout: 60_000 }, () => {
  let web: WebServer;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuilt();
    [web, browser] = await Promise.all([startWebServer(), launchBrowser()]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('serves the app shell for each page and sends / to the tasklist when it does not know the user', async () => {
    for (const path of ['/designer', '/tasks', '/sla', '/admin', '/login']) {
      const response = await fetch(`${web.baseUrl}${path}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<div id="toasts"');
    }
    const root = await fetch(`${web.baseUrl}/`, { redirect: 'manual' });
    expect([root.status, root.headers.get('location')]).toEqual([302, '/tasks']);
  });

  it('signs a supervisor in with username and password and leads them to the SLA dashboard', async () => {
    for (const lang of ['en', 'zh'] as const) {
      const context = await browser.newContext({ baseURL: web.baseUrl, viewport: { width: 1280, height: 800 } });
      await context.addInitScript((value) => localStorage.setItem('svcflow.lang', value), lang);
      const page = await context.newPage();
      await page.goto('/');
      await page.waitForURL('**/login?next=*');
      await page.fill('#login-password', 'wrong');
      await page.fill('#login-username', 'supervisor1');
      await page.click('button[type=submit]');
      await expect.poll(() => page.locator('.form-error').textContent()).not.toBe('');
      await screenshot(page, `login-${lang}`);
      await page.fill('#login-password', 'demo');
      await page.click('button[type=submit]');
      await page.waitForURL('**/tasks');
      const home = await fetch(`${web.baseUrl}/`, {
        redirect: 'manual',
        headers: { cookie: (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ') },
      });
      expect(home.headers.get('location')).toBe('/sla');
      await context.close();
    }
  });

  it('tells staff the designer is not for them, and shows the admin page to admins', async () => {
    const staff = await (await signedInContext(browser, web.baseUrl, await signIn(web.baseUrl, 'agent1'))).newPage();
    await staff.goto('/designer');
    await expect(staff.locator('.notice-page p').textContent()).resolves.toBe(
      'Your role does not give access to this page.',
    );
    expect(await staff.locator('.app-nav a').allTextContents()).toEqual(['Tasks', 'Cases']);
    const admin = await (await signedInContext(browser, web.baseUrl, await signIn(web.baseUrl, 'admin'))).newPage();
    await admin.goto('/admin');
    await admin.waitForSelector('.admin h1:text("Administration")');
    await admin.waitForSelector('[data-testid=users-table] tr[data-username="admin"]');
    await screenshot(admin, 'admin-en');
  });
});
