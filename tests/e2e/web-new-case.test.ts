/**
 * Issue 14, "Opening a case": agent1 opens a complaint through "New case" in the tasklist, clicks only: the server
 * refuses the form's missing fields on the fields themselves, then the case starts and its first-response task opens.
 * Real server (SQLite in a temp dir), Debian's headless Chromium; screenshots in English and Chinese.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCESSES_DIR, processXml } from '../helpers/reference-processes.js';
import { browserMissing, launchBrowser, screenshot, signedInContext, watchErrors } from './web/browser.js';
import {
  api,
  deployForms,
  deployXml,
  ensureWebBuilt,
  signIn,
  startWebServer,
  type WebServer,
} from './web/web-server.js';

const missing = browserMissing();

describe.skipIf(missing)('e2e/web: a new case from the tasklist', { timeout: 90_000 }, () => {
  let web: WebServer;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuilt();
    [web, browser] = await Promise.all([startWebServer(), launchBrowser()]);
    await deployForms(web, join(PROCESSES_DIR, 'forms'));
    await deployXml(web, processXml('complaint-handling'));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  const open = async (username: string, lang: 'en' | 'zh'): Promise<Page> => {
    const context = await signedInContext(browser, web.baseUrl, await signIn(web.baseUrl, username), {
      lang,
      height: 1000,
    });
    const page = await context.newPage();
    await page.goto('/tasks');
    return page;
  };

  it('lets agent1 open a complaint with the start form and work its first task', async () => {
    const page = await open('agent1', 'en');
    const errors = watchErrors(page);
    await page.click('[data-action="new-case"]');
    await page.click('[data-start="complaint-handling"]');
    await page.waitForSelector('[data-testid=start-form] .fjs-form');
    await screenshot(page, 'new-case-form-en');
    await page.getByLabel('Customer ID / 客户编号').fill('C-1001');
    await page.getByLabel('Customer name / 客户姓名').fill('Li Wei');
    await page.getByLabel('Description / 投诉内容').fill('The technician missed two appointments.');
    await choose(page, 'Channel / 渠道', 'Phone / 电话');
    await choose(page, 'Preferred contact / 首选联系方式', 'E-mail / 电子邮件');
    await choose(page, 'Category / 类别', 'Service / 服务');
    await page.getByLabel('E-mail / 电子邮箱').fill('li.wei@example.com');
    await page.click('[data-action="start"]');
    await page.waitForSelector('[data-task-id] #task-title');
    await screenshot(page, 'new-case-first-task-en');
    const [instance] = (
      await api<{ items: Array<{ businessKey: string; variables: Record<string, unknown> }> }>(
        web,
        'owner1',
        'GET',
        '/api/instances',
      )
    ).items;
    expect(instance.businessKey).toMatch(/^CMP-\d{8}-\d{4}$/);
    expect(instance.variables).toMatchObject({
      channel: 'phone',
      customerName: 'Li Wei',
      preferredContact: 'email',
      priority: 'general',
    });
    expect(await page.locator('#task-title').textContent()).toMatch(/First response/);
    expect(errors).toEqual([]);
  });

  it('suggests the open complaint of the same customer with a similar description before a second start, and starts anyway on request', async () => {
    for (const lang of ['en', 'zh'] as const) {
      const page = await open('agent1', lang);
      const errors = watchErrors(page);
      await page.click('[data-action="new-case"]');
      await page.click('[data-start="complaint-handling"]');
      await page.waitForSelector('[data-testid=start-form] .fjs-form');
      await page.getByLabel('Customer ID / 客户编号').fill('C-1001');
      await page.getByLabel('Customer name / 客户姓名').fill('Li Wei');
      await page.getByLabel('Description / 投诉内容').fill('The technician missed two appointments again');
      await choose(page, 'Channel / 渠道', 'Phone / 电话');
      await choose(page, 'Preferred contact / 首选联系方式', 'Phone / 电话');
      await choose(page, 'Category / 类别', 'Service / 服务');
      await page.getByLabel('Contact phone / 联系电话').fill('13800138000');
      await page.click('[data-action="start"]');
      const suggestion = page.locator('[data-testid=duplicates] .duplicate');
      await suggestion.first().waitFor();
      // the second time round, the case started "anyway" the first time is suggested too
      expect(await suggestion.count()).toBe(lang === 'en' ? 1 : 2);
      expect(await suggestion.allTextContents()).toContainEqual(
        expect.stringContaining('The technician missed two appointments.'),
      );
      expect(await page.locator('[data-action="start"]').textContent()).toBe(
        lang === 'en' ? 'Start anyway' : '仍然发起',
      );
      await page.locator('[data-action="start"]').scrollIntoViewIfNeeded();
      await screenshot(page, `new-case-duplicates-${lang}`);
      if (lang === 'zh') continue;
      await page.click('[data-action="start"]');
      await page.waitForSelector('[data-task-id] #task-title');
      expect(errors).toEqual([]);
    }
    const cases = (
      await api<{ items: unknown[] }>(web, 'owner1', 'GET', '/api/instances?definitionKey=complaint-handling')
    ).items;
    expect(cases).toHaveLength(2);
  });

  it('shows the New case entry and the form in Chinese, and no entry to someone who may not start', async () => {
    const page = await open('agent1', 'zh');
    await page.click('[data-action="new-case"]');
    expect(await page.locator('[data-testid=new-case] h1').textContent()).toBe('新建工单');
    await screenshot(page, 'new-case-choose-zh');
    await page.click('[data-start="complaint-handling"]');
    await page.waitForSelector('[data-testid=start-form] .fjs-form');
    await screenshot(page, 'new-case-form-zh');
    const engineer = await open('engineer1', 'en');
    await engineer.waitForSelector('.task-list');
    expect(await engineer.locator('[data-action="new-case"]').count()).toBe(0);
  });
});

// helpers

/** Picks an option of a form-js select by the field's label and the option's label. */
async function choose(page: Page, label: string, option: string): Promise<void> {
  const field = page.locator('.fjs-form-field', { has: page.locator('label', { hasText: label }) }).first();
  await field.locator('.fjs-input-group').click();
  await page.locator('.fjs-dropdownlist-item', { hasText: option }).first().click();
}
