/**
 * The insight pages in Chromium: supervisor1 sees the KPIs of the week, filters by process, month and channel,
 * and drills from the heat map into the cases at a step; riskmanager1 defines a KRI, posts readings across amber
 * and red, and exactly one emergency risk case starts. Screenshots in English and Chinese (test-output/screenshots).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserMissing, launchBrowser, screenshot, signedInContext, watchErrors } from './web/browser.js';
import { slaTaskModel } from './web/models.js';
import { api, deployXml, ensureWebBuilt, signIn, startWebServer, type WebServer } from './web/web-server.js';

const missing = browserMissing();
if (missing) console.warn(missing);

const KEY = 'hotline-callback';
const CHANNELS = ['phone', 'phone', 'online', 'email', 'phone'];

describe.skipIf(missing)('e2e/web: KPIs and the risk register', { timeout: 90_000 }, () => {
  let web: WebServer;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuilt();
    [web, browser] = await Promise.all([startWebServer(), launchBrowser()]);
    await deployXml(web, slaTaskModel(KEY, 'PT4H'));
    await deployXml(web, readFileSync(new URL('../../processes/risk-response.bpmn', import.meta.url), 'utf8'));
    // five calls handled this week, one still waiting
    for (const [i, channel] of CHANNELS.entries()) {
      const instance = await api<{ id: string }>(web, 'agent1', 'POST', '/api/instances', {
        definitionKey: KEY,
        variables: { channel },
      });
      if (i === CHANNELS.length - 1) continue;
      const { items } = await api<{ items: Array<{ id: string }> }>(
        web,
        'agent1',
        'GET',
        `/api/tasks?instanceId=${instance.id}`,
      );
      await api(web, 'agent1', 'POST', `/api/tasks/${items[0].id}/claim`, { userId: 'agent1' });
      await api(web, 'agent1', 'POST', `/api/tasks/${items[0].id}/complete`, { variables: {} });
    }
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('shows supervisor1 the KPIs with open cases, compliance over ended clocks, and filters by process, period and channel', async () => {
    const page = await open('supervisor1', '/sla', 'en');
    const errors = watchErrors(page);
    await page.waitForSelector('[data-kpi=compliance]');
    expect(await page.locator('[data-tile=running] .tile-value').textContent()).toBe('1');
    expect(await page.locator('[data-kpi=compliance] .kpi-value').textContent()).toBe('100 %');
    await page.selectOption('#sla-definition', KEY);
    await page.selectOption('#kpi-period', 'month');
    await page.selectOption('#kpi-group', 'channel');
    await page.waitForSelector('[data-testid=breakdown-chart] svg');
    await expect
      .poll(() => page.locator('[data-testid=breakdown-chart] svg text').allTextContents())
      .toEqual(expect.arrayContaining(['email', 'online', 'phone']));
    await page.waitForSelector('[data-testid=heat-map] .svc-badges');
    await screenshot(page, 'insight-dashboard-en');
    await page.click('[data-testid=heat-map] .svc-badges');
    await expect.poll(() => page.locator('[data-testid=cases-at-element] li').count()).toBe(1);
    await page.keyboard.press('Escape');
    await page.click('[data-testid=lang-switch]');
    await page.waitForSelector('[data-kpi=compliance]');
    await expect.poll(() => page.locator('[data-kpi=compliance] .kpi-label').textContent()).toBe('SLA 达成率');
    await screenshot(page, 'insight-dashboard-zh');
    expect(errors).toEqual([]);
  });

  it('lets supervisor1 reassign the selected overdue tasks at once', async () => {
    await deployXml(web, slaTaskModel('hotline-urgent', 'PT1S'));
    const started: Array<{ id: string }> = [];
    for (const channel of ['phone', 'online'])
      started.push(
        await api<{ id: string }>(web, 'agent1', 'POST', '/api/instances', {
          definitionKey: 'hotline-urgent',
          variables: { channel },
        }),
      );
    const page = await open('supervisor1', '/sla', 'en');
    await page.selectOption('#sla-definition', 'hotline-urgent');
    // the one-second SLA breaches on the server's own clock; the live list updates from the event stream
    await expect
      .poll(() => page.locator('[data-testid=live-list] input[type=checkbox]').count(), { timeout: 15_000 })
      .toBe(2);
    for (const box of await page.locator('[data-testid=live-list] input[type=checkbox]').all()) await box.check();
    await page.fill('[data-testid=bulk-user]', 'agent1');
    await page.click('[data-testid=bulk-reassign]');
    const assignees = async () =>
      Promise.all(
        started.map(async ({ id }) => {
          const { items } = await api<{ items: Array<{ assignee: string | null }> }>(
            web,
            'supervisor1',
            'GET',
            `/api/tasks?instanceId=${id}`,
          );
          return items[0]?.assignee;
        }),
      );
    // the page reassigns the selected tasks one request each: give them the time a busy machine needs
    await expect.poll(assignees, { timeout: 15_000 }).toEqual(['agent1', 'agent1']);
    await screenshot(page, 'insight-bulk-reassign-en');
  });

  it('lets riskmanager1 post KRI readings across amber and red and starts the emergency case once', async () => {
    const page = await open('riskmanager1', '/risks', 'en');
    const errors = watchErrors(page);
    await page.waitForSelector('[data-testid=kri-define]');
    await page.fill('[data-testid=kri-name]', 'Complaint rate');
    await page.fill('[data-testid=kri-amber]', '2');
    await page.fill('[data-testid=kri-red]', '5');
    await page.fill('[data-testid=kri-owner]', 'riskowner1');
    await page.click('[data-testid=kri-define]');
    await page.waitForSelector('[data-testid="kri-post-Complaint rate"]');
    for (const value of ['3', '6', '7']) {
      await page.fill('[data-testid="kri-value-Complaint rate"]', value);
      await page.click('[data-testid="kri-post-Complaint rate"]');
      await expect
        .poll(
          async () =>
            (
              await api<{ items: Array<{ value: number }> }>(
                web,
                'riskmanager1',
                'GET',
                `/api/kris/${await kriId()}/readings`,
              )
            ).items[0]?.value,
        )
        .toBe(Number(value));
    }
    await expect.poll(() => page.locator('[data-testid="kri-level-Complaint rate"]').textContent()).toBe('Red');
    const risks = await api<{ items: Array<{ stage: string; title: string }> }>(
      web,
      'riskmanager1',
      'GET',
      '/api/risks',
    );
    expect(risks.items.filter((r) => r.title.startsWith('KRI Complaint rate'))).toEqual([
      expect.objectContaining({ stage: 'emergency' }),
    ]);
    await page.waitForSelector('[data-testid=risk-table] tr[data-risk]');
    await page.waitForSelector('[data-testid=kri-trend] svg');
    await screenshot(page, 'insight-risks-en');
    await page.click('[data-testid=lang-switch]');
    await expect.poll(() => page.locator('h1').textContent()).toBe('风险登记册');
    await page.waitForSelector('[data-testid=risk-heat] svg');
    await screenshot(page, 'insight-risks-zh');
    expect(errors).toEqual([]);
  });

  async function kriId(): Promise<string> {
    return (
      await api<{ items: Array<{ id: string; name: string }> }>(web, 'riskmanager1', 'GET', '/api/kris')
    ).items.find((k) => k.name === 'Complaint rate')!.id;
  }

  async function open(username: string, path: string, lang: 'en' | 'zh'): Promise<Page> {
    const context = await signedInContext(browser, web.baseUrl, await signIn(web.baseUrl, username), {
      lang,
      height: 1100,
    });
    const page = await context.newPage();
    await page.goto(path);
    return page;
  }
});
