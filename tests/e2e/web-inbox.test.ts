/**
 * Issue 14, "Operations in the web app": the inbox in the header. A supervisor gives agent1 a task in the tasklist;
 * agent1's header counts it at once (over the event stream, no reload), the inbox says who gave what, opens the
 * task, and marks it read; the count goes back to none.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing, launchBrowser, screenshot, signedInContext, watchErrors } from './web/browser.js';
import { slaTaskModel } from './web/models.js';
import { api, deployXml, ensureWebBuilt, signIn, startWebServer, type WebServer } from './web/web-server.js';

const missing = browserMissing();

describe.skipIf(missing)('e2e/web: inbox', { timeout: 90_000 }, () => {
  let web: WebServer;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuilt();
    [web, browser] = await Promise.all([startWebServer(), launchBrowser()]);
    await deployXml(web, slaTaskModel('hotline-callback', 'PT4H'));
    await api(web, 'owner1', 'POST', '/api/instances', { definitionKey: 'hotline-callback', businessKey: 'CALL-0042' });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  const open = async (username: string, path: string, lang: 'en' | 'zh' = 'en'): Promise<Page> => {
    const context = await signedInContext(browser, web.baseUrl, await signIn(web.baseUrl, username), { lang });
    const page = await context.newPage();
    await page.goto(path);
    return page;
  };

  it("counts a task a supervisor gives agent1 in agent1's header without a reload, and says who gave what", async () => {
    const agent = await open('agent1', '/tasks');
    const errors = watchErrors(agent);
    await agent.waitForSelector('.task-item');
    expect(await agent.locator('[data-testid=inbox-count]').isHidden()).toBe(true);
    const supervisor = await open('supervisor1', '/tasks');
    await supervisor.locator('.task-item', { hasText: 'Call back' }).click();
    await supervisor.selectOption('[data-testid=reassign-to]', 'agent1');
    await supervisor.click('[data-action="reassign"]');
    await supervisor.locator('.toast-success', { hasText: 'agent1' }).waitFor();
    await expect
      .poll(() => agent.locator('[data-testid=inbox-count]:visible').textContent(), { timeout: 15_000 })
      .toBe('1');
    await screenshot(agent, 'inbox-header-en');
    await agent.click('[data-testid=inbox-link]');
    const item = agent.locator('[data-testid=inbox] .inbox-item.unread');
    await item.waitFor();
    expect(await item.locator('.inbox-text p').first().textContent()).toBe('supervisor1 gave you “Call back”');
    await screenshot(agent, 'inbox-en');
    expect(errors).toEqual([]);
  });

  it('marks it read, in Chinese, and opens the task from it', async () => {
    const agent = await open('agent1', '/inbox', 'zh');
    const item = agent.locator('[data-testid=inbox] .inbox-item');
    await item.first().waitFor();
    expect(await item.first().locator('.inbox-text p').first().textContent()).toBe('supervisor1 将“Call back”分配给您');
    await screenshot(agent, 'inbox-zh');
    await agent.click('[data-action="mark-read"]');
    await agent.locator('[data-testid=inbox] .inbox-item.read').waitFor();
    await expect.poll(() => agent.locator('[data-testid=inbox-count]').isHidden()).toBe(true);
    await agent.getByRole('link', { name: '打开任务' }).click();
    await agent.waitForSelector('#task-title:has-text("Call back")');
    expect(await agent.locator('.task-detail .facts dd').allTextContents()).toContain('agent1');
  });
});
