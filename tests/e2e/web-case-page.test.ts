/**
 * Issue 14, "Working a case": agent1 opens a complaint, goes from its task to the case page, adds a note and an
 * attachment (shown again on the task), finds the case by customer and by phone, and links a second complaint as
 * a duplicate of the first — clicks only. Real server (SQLite in a temp dir), Debian's headless Chromium;
 * screenshots in English and Chinese.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCESSES_DIR, processXml } from '../helpers/reference-processes.js';
import { browserMissing, launchBrowser, screenshot, signedInContext, watchErrors } from './web/browser.js';
import { deployForms, deployXml, ensureWebBuilt, signIn, startWebServer, type WebServer } from './web/web-server.js';

const missing = browserMissing();
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe.skipIf(missing)('e2e/web: the case page', { timeout: 120_000 }, () => {
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

  const open = async (username: string, lang: 'en' | 'zh', path = '/tasks'): Promise<Page> => {
    const context = await signedInContext(browser, web.baseUrl, await signIn(web.baseUrl, username), {
      lang,
      height: 1100,
    });
    const page = await context.newPage();
    await page.goto(path);
    return page;
  };

  async function newComplaint(page: Page, description: string): Promise<void> {
    await page.click('[data-action="new-case"]');
    await page.click('[data-start="complaint-handling"]');
    await page.waitForSelector('[data-testid=start-form] .fjs-form');
    await page.getByLabel('Customer ID / 客户编号').fill('C-2001');
    await page.getByLabel('Customer name / 客户姓名').fill('Wang Fang');
    await page.getByLabel('Description / 投诉内容').fill(description);
    await choose(page, 'Channel / 渠道', 'Phone / 电话');
    await choose(page, 'Preferred contact / 首选联系方式', 'Phone / 电话');
    await choose(page, 'Category / 类别', 'Billing / 计费');
    await page.getByLabel('Contact phone / 联系电话').fill('13900139000');
    await page.click('[data-action="start"]');
  }

  it('goes from a task to its case page, adds a note and an attachment, and finds the case by customer and phone', async () => {
    const page = await open('agent1', 'en');
    const errors = watchErrors(page);
    await newComplaint(page, 'I was charged twice for the October invoice.');
    await page.waitForSelector('[data-task-id] #task-title');
    const key = (await page.locator('.task-detail .case-link').first().textContent()) ?? '';
    expect(key).toMatch(/^CMP-\d{8}-\d{4}$/);
    await page.locator('.task-detail .case-link').first().click();
    await page.waitForSelector('[data-testid=case-detail]');
    expect(await page.locator('.case-facts').textContent()).toContain('Wang Fang');
    expect(await page.locator('.case-facts').textContent()).toContain('charged twice');
    await page.locator('[data-testid=note-text]').fill('Customer sent the bank statement; checking with billing.');
    await page.click('[data-action="add-note"]');
    await page.locator('.note-text', { hasText: 'bank statement' }).waitFor();
    await page
      .locator('[data-testid=attachment-file]')
      .setInputFiles({ name: 'statement.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('.attachment-link', { hasText: 'statement.png' }).waitFor();
    await page.locator('[data-testid=instance-diagram] svg').first().waitFor();
    await screenshot(page, 'case-page-en');

    // the note and the attachment are on the case's task too
    await page.click('a[href="/tasks"]');
    await page.locator('.task-list [data-task-id]').first().click();
    await page.getByRole('tab', { name: 'Notes' }).click();
    await page.locator('.task-detail .note-text', { hasText: 'bank statement' }).waitFor();
    expect(await page.locator('.task-detail .attachment-link').textContent()).toContain('statement.png');
    await screenshot(page, 'case-notes-on-task-en');

    await page.goto(`/cases/${key}`);
    await page.click('[data-action="customer-cases"]');
    await page.locator('[data-testid=case-results] .case-result').first().waitFor();
    expect(await page.locator('[data-testid=case-results] .case-result').allTextContents()).toEqual([
      expect.stringContaining(key),
    ]);
    await page.locator('[data-testid=case-search]').fill('139 0013 9000');
    await page.locator('.case-search button[type=submit]').click();
    await page.waitForURL(/q=139/);
    await page.locator('[data-testid=case-results] .case-result').first().waitFor();
    expect(await page.locator('[data-testid=case-results] .case-result').count()).toBe(1);
    await screenshot(page, 'case-search-en');
    expect(errors).toEqual([]);
  });

  it('links a second complaint as a duplicate of the first from the suggestions, and both case pages show it', async () => {
    const page = await open('agent1', 'en');
    const errors = watchErrors(page);
    await newComplaint(page, 'I was charged twice for the October invoice, still not refunded.');
    const suggestion = page.locator('[data-testid=duplicates] .duplicate').first();
    await suggestion.waitFor();
    const original = (await suggestion.locator('strong').textContent()) ?? '';
    await suggestion.locator('[data-action="link-duplicate"]').click();
    await page.waitForSelector('[data-testid=case-links]');
    expect(await page.locator('[data-testid=case-links]').textContent()).toBe(`Duplicate of ${original}`);
    expect(await page.locator('.case-header .badge').textContent()).toBe('cancelled');
    expect(await page.locator('.case-timeline').textContent()).toContain(`duplicate of ${original}`);
    await screenshot(page, 'case-duplicate-en');
    const duplicate = await page.locator('[data-testid=case-detail]').getAttribute('data-business-key');
    await page.locator('[data-testid=case-links] .case-link').click();
    await page.waitForSelector(`[data-testid=case-detail][data-business-key="${original}"]`);
    expect(await page.locator('[data-testid=case-links]').textContent()).toBe(`Duplicated by ${duplicate}`);
    expect(errors).toEqual([]);
  });

  it('shows the case page and the search in Chinese, and no case to someone who may not see it', async () => {
    const page = await open('agent1', 'zh', '/cases?q=Wang%20Fang');
    await page.locator('[data-testid=case-results] .case-result').first().waitFor();
    await screenshot(page, 'case-search-zh');
    const first = (await page.locator('[data-testid=case-results] .case-link').last().textContent()) ?? '';
    await page.locator('[data-testid=case-results] .case-link').last().click();
    await page.waitForSelector('[data-testid=case-detail]');
    expect(await page.locator('.case-detail h1').textContent()).toBe(`工单 ${first}`);
    expect(await page.locator('.case-facts').textContent()).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await page.locator('[data-testid=instance-diagram] svg').first().waitFor();
    await screenshot(page, 'case-page-zh');
    const engineer = await open('engineer1', 'en', `/cases/${first}`);
    await engineer.waitForSelector('[data-testid=case-missing]');
  });
});

// helpers

/** Picks an option of a form-js select by the field's label and the option's label. */
async function choose(page: Page, label: string, option: string): Promise<void> {
  const field = page.locator('.fjs-form-field', { has: page.locator('label', { hasText: label }) }).first();
  await field.locator('.fjs-input-group').click();
  await page.locator('.fjs-dropdownlist-item', { hasText: option }).first().click();
}
