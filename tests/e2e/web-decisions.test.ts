/**
 * Issue 11, DMN in the designer: an owner opens the shipped risk matrix in the decision table editor (dmn-js),
 * changes a cell, deploys it like a diagram and tries it; the engine then evaluates the new version. A new table
 * with a broken expression is refused at deploy and the problem is listed, naming the element.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserMissing, launchBrowser, screenshot, signedInContext, watchErrors } from './web/browser.js';
import { api, ensureWebBuilt, signIn, startWebServer, type WebServer } from './web/web-server.js';

const missing = browserMissing();
if (missing) console.warn(missing);

interface Evaluation {
  version: number;
  value: { riskLevel: string; reviewPeriod: string };
}

describe.skipIf(missing)('e2e/web: decision tables in the designer', { timeout: 120_000 }, () => {
  let web: WebServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ensureWebBuilt();
    [web, browser] = await Promise.all([startWebServer({ referenceProcesses: true }), launchBrowser()]);
    const context = await signedInContext(browser, web.baseUrl, await signIn(web.baseUrl, 'owner1'), { height: 900 });
    page = await context.newPage();
    errors = watchErrors(page);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  const evaluate = (variables: Record<string, unknown>) =>
    api<Evaluation>(web, 'owner1', 'POST', '/api/decisions/riskMatrix/evaluate', { variables });

  it("opens the deployed risk matrix as a table, edits a rule's output, deploys it and tries the new version", async () => {
    expect((await evaluate({ probability: 3, impact: 4 })).value.reviewPeriod).toBe('P30D');
    await page.goto('/decisions');
    await page.click('[data-action="open-deployed"]');
    await page.locator('[data-testid=open-deployed-decision] .choice', { hasText: 'riskMatrix' }).click();
    const cell = page.locator('td[data-element-id="Out_high_review"]');
    await cell.waitFor();
    expect(await page.locator('.tjs-table tbody tr').count()).toBe(5);
    await screenshot(page, 'decisions-risk-matrix-en');

    await cell.locator('[contenteditable]').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('"P14D"');
    await page.locator('.decision-try h2').click();
    await expect.poll(() => cell.textContent()).toContain('"P14D"');

    await page.click('[data-action="deploy"]');
    await page.locator('.toast-success', { hasText: 'riskMatrix' }).waitFor();
    const deployed = await evaluate({ probability: 3, impact: 4 });
    expect(deployed).toMatchObject({ version: 2, value: { riskLevel: 'high', reviewPeriod: 'P14D' } });
    // the rules that were not touched answer as before
    expect((await evaluate({ probability: 1, impact: 2 })).value).toMatchObject({
      riskLevel: 'low',
      reviewPeriod: 'P180D',
    });

    await page.fill('[data-testid=try-variables]', '{"probability": 5, "impact": 5}');
    await page.click('[data-action="evaluate"]');
    await expect.poll(() => page.locator('[data-testid=try-result]').textContent()).toContain('critical');
    expect(await page.locator('[data-testid=try-result]').textContent()).toContain('riskMatrix v2');
    await screenshot(page, 'decisions-risk-matrix-tried-en');
    expect(errors).toEqual([]);
  });

  it('refuses a new table whose input entry is not FEEL, listing the problem; nothing is deployed', async () => {
    await page.goto('/decisions');
    await page.click('[data-action="new-decision"]');
    await page.locator('.tjs-table').waitFor();
    await page.locator('.add-rule-add').click();
    const entry = page.locator('.tjs-table tbody tr td.input-cell').first();
    await entry.locator('[contenteditable]').first().click();
    await page.keyboard.type('>= = 3');
    await page.locator('.decision-try h2').click();
    const before = await api<{ total: number }>(web, 'owner1', 'GET', '/api/decisions');
    await screenshot(page, 'decisions-new-table-en');

    await page.click('[data-action="deploy"]');
    const problem = page.locator('[data-testid=dmn-problems] li').first();
    await problem.waitFor();
    expect(await problem.textContent()).toMatch(/>= = 3/);
    expect((await api<{ total: number }>(web, 'owner1', 'GET', '/api/decisions')).total).toBe(before.total);
    await screenshot(page, 'decisions-rejected-en');
  });

  it('shows the editor in Chinese', async () => {
    const context = await signedInContext(browser, web.baseUrl, await signIn(web.baseUrl, 'owner1'), {
      lang: 'zh',
      height: 900,
    });
    const zh = await context.newPage();
    await zh.goto('/decisions?decision=riskMatrix:1');
    await zh.locator('td[data-element-id="Out_high_review"]').waitFor();
    expect(await zh.locator('[data-action="deploy"]').textContent()).toBe('部署');
    expect(await zh.locator('nav a', { hasText: '决策' }).count()).toBe(1);
    // dmn-js's own labels follow the language too
    expect(await zh.locator('.view-drd-button').textContent()).toBe('查看需求图');
    expect(await zh.locator('.hit-policy').textContent()).toContain('命中策略');
    await screenshot(zh, 'decisions-risk-matrix-zh');
    await context.close();
  });
});
