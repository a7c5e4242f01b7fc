/**
 * Issue 14, "Operations in the web app": the incidents page. A service manager (a supervisor who sees every case) sees the failing case (element, error,
 * since when), opens it, retries with a changed variable and the case goes on; another incident is cancelled
 * with its case; staff have no such page.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing, launchBrowser, screenshot, signedInContext, watchErrors } from './web/browser.js';
import { refundModel } from './web/models.js';
import { api, deployXml, ensureWebBuilt, signIn, startWebServer, type WebServer } from './web/web-server.js';

const missing = browserMissing();

describe.skipIf(missing)('e2e/web: incidents', { timeout: 90_000 }, () => {
  let web: WebServer;
  let browser: Browser;
  const started: Array<{ id: string }> = [];

  beforeAll(async () => {
    ensureWebBuilt();
    [web, browser] = await Promise.all([startWebServer(), launchBrowser()]);
    await deployXml(web, refundModel());
    for (const businessKey of ['RF-0001', 'RF-0002'])
      started.push(await api(web, 'owner1', 'POST', '/api/instances', { definitionKey: 'refund', businessKey }));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  const open = async (username: string, lang: 'en' | 'zh' = 'en'): Promise<Page> => {
    const context = await signedInContext(browser, web.baseUrl, await signIn(web.baseUrl, username), {
      lang,
      height: 1000,
    });
    const page = await context.newPage();
    await page.goto('/incidents');
    return page;
  };

  it('lists the open incidents with element, error and since when, and shows one with its case', async () => {
    const page = await open('manager1');
    const errors = watchErrors(page);
    const rows = page.locator('[data-testid=incident-list] tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    await expect(rows.first().locator('td').allTextContents()).resolves.toEqual(
      expect.arrayContaining(['refund', 'Gateway_amount', 'CONDITION_FAILED']),
    );
    await screenshot(page, 'incidents-list-en');
    await page.locator('tr', { hasText: 'Gateway_amount' }).first().getByRole('button', { name: 'Details' }).click();
    const detail = page.locator('[data-testid=incident-detail]');
    await detail.locator('.incident-error').waitFor();
    expect(await detail.locator('.facts dd').first().textContent()).toBe('Amount? (Gateway_amount)');
    expect(await detail.locator('.incident-error').textContent()).toMatch(/amount/);
    await detail.locator('.djs-element.svc-incident[data-element-id="Gateway_amount"]').waitFor();
    await screenshot(page, 'incidents-detail-en');
    expect(errors).toEqual([]);
  });

  it('retries with a changed variable: the incident is resolved and the case goes on to the approval', async () => {
    const page = await open('manager1');
    await page.locator('tr', { hasText: 'Gateway_amount' }).first().getByRole('button', { name: 'Details' }).click();
    const detail = page.locator('[data-testid=incident-detail]');
    const key = (await detail.locator('h2').textContent())!.split(' · ')[0];
    await detail.locator('#incident-variables').fill('{ "amount": 500 }');
    await detail.locator('[data-action="retry"]').click();
    await page.locator('.toast-success', { hasText: `Case ${key} runs again.` }).waitFor();
    await expect.poll(() => page.locator('[data-testid=incident-list] tbody tr').count()).toBe(1);
    const instance = (
      await api<{
        items: Array<{
          businessKey: string;
          status: string;
          activeElements: string[];
          variables: Record<string, unknown>;
        }>;
      }>(web, 'owner1', 'GET', `/api/instances?businessKey=${key}`)
    ).items[0];
    expect(instance).toMatchObject({ status: 'active', activeElements: ['Task_approve'], variables: { amount: 500 } });
  });

  it('cancels the other case from its incident, in Chinese', async () => {
    const page = await open('manager1', 'zh');
    await page.locator('[data-action="open-incident"]').first().click();
    const detail = page.locator('[data-testid=incident-detail]');
    await detail.locator('[data-action="cancel-case"]').waitFor();
    await screenshot(page, 'incidents-detail-zh');
    await detail.locator('[data-action="cancel-case"]').click();
    await page.locator('dialog[open] button.primary').click();
    await page.locator('[data-testid=incident-list] .empty').waitFor();
    await screenshot(page, 'incidents-empty-zh');
    const statuses = await Promise.all(
      started.map((s) => api<{ status: string }>(web, 'owner1', 'GET', `/api/instances/${s.id}`).then((i) => i.status)),
    );
    expect(statuses.sort()).toEqual(['active', 'terminated']);
    await page.selectOption('#incident-status', 'resolved');
    await expect.poll(() => page.locator('[data-testid=incident-list] tbody tr').count()).toBe(2);
  });

  it('shows no incidents entry to staff, and shows owners the list without the retry', async () => {
    const agent = await open('agent1');
    await agent.waitForSelector('.notice-page');
    expect(await agent.locator('.app-nav a', { hasText: 'Incidents' }).count()).toBe(0);
    const owner = await open('owner1');
    await owner.selectOption('#incident-status', 'resolved');
    await owner.locator('[data-action="open-incident"]').first().click();
    await owner.locator('[data-testid=incident-detail] .incident-error').waitFor();
    expect(await owner.locator('[data-action="retry"]').count()).toBe(0);
  });
});
