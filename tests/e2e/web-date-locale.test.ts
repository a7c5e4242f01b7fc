/**
 * Issue 14, "Forms": dates in the user's locale. The same task's creation time in Chromium with the browser's
 * locale en-US (12/2/2026, 2:05 PM style), en-GB (02/12/2026, 14:05) and in Chinese (2026-12-02 14:05), each
 * compared with the instant the API gives, in the browser's time zone. Screenshots of each.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing, launchBrowser, screenshot, signedInContext, watchErrors } from './web/browser.js';
import { slaTaskModel } from './web/models.js';
import { api, deployXml, ensureWebBuilt, signIn, startWebServer, type WebServer } from './web/web-server.js';

const missing = browserMissing();
const ZONE = 'Asia/Shanghai';

describe.skipIf(missing)('e2e/web: dates in the reader locale', { timeout: 90_000 }, () => {
  let web: WebServer;
  let browser: Browser;
  let task: { id: string; createdAt: string };

  beforeAll(async () => {
    ensureWebBuilt();
    [web, browser] = await Promise.all([startWebServer(), launchBrowser()]);
    await deployXml(web, slaTaskModel('hotline-callback', 'PT4H'));
    const instance = await api<{ id: string }>(web, 'owner1', 'POST', '/api/instances', {
      definitionKey: 'hotline-callback',
    });
    const tasks = await api<{ items: Array<{ id: string; createdAt: string }> }>(
      web,
      'owner1',
      'GET',
      `/api/tasks?instanceId=${instance.id}`,
    );
    task = tasks.items[0];
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  /** The task's "Created" fact as the page shows it, for a browser of that locale and app language. */
  async function createdAsShown(locale: string, lang: 'en' | 'zh', shot: string): Promise<string> {
    const session = await signIn(web.baseUrl, 'agent1');
    const context = await signedInContext(browser, web.baseUrl, session, { lang, locale, timezoneId: ZONE });
    const page = await context.newPage();
    const errors = watchErrors(page);
    expect(await page.evaluate(() => navigator.language)).toBe(locale);
    await page.goto('/tasks');
    await page.locator('.task-item', { hasText: 'Call back' }).click();
    const created = page.locator('.task-detail dt', { hasText: lang === 'zh' ? '创建时间' : 'Created' });
    await created.waitFor();
    const text = (await created.locator('xpath=following-sibling::dd[1]').textContent()) ?? '';
    await screenshot(page, shot);
    expect(errors).toEqual([]);
    await context.close();
    return text;
  }

  const at = () => new Date(task.createdAt);
  const inZone = (locale: string, options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(locale, { ...options, timeZone: ZONE }).format(at());

  it('shows the date as en-US writes it for a browser in en-US', async () => {
    const shown = await createdAsShown('en-US', 'en', 'date-locale-en-us');
    expect(shown).toMatch(/^\d{1,2}\/\d{1,2}\/\d{4}, \d{1,2}:\d{2} (AM|PM)$/);
    expect(shown).toBe(
      inZone('en-US', { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: '2-digit' }),
    );
  });

  it('shows the date as en-GB writes it for a browser in en-GB', async () => {
    const shown = await createdAsShown('en-GB', 'en', 'date-locale-en-gb');
    expect(shown).toMatch(/^\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}$/);
    expect(shown).toBe(
      inZone('en-GB', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }),
    );
  });

  it('shows the date as YYYY-MM-DD HH:mm in Chinese, even in an en-US browser', async () => {
    const shown = await createdAsShown('en-US', 'zh', 'date-locale-zh');
    const p = Object.fromEntries(
      new Intl.DateTimeFormat('en-CA', {
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZone: ZONE,
      })
        .formatToParts(at())
        .map((part) => [part.type, part.value]),
    );
    expect(shown).toBe(`${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`);
  });
});
