/**
 * Emergency plans in Chromium: riskmanager1 posts KRI readings across amber and red on the risk register
 * page and exactly one emergency case starts; on the emergency-plans page adds a plan, edits it, schedules a
 * drill that starts a practice case, and sees its response clock; supervisor1 sees the KPI dashboard of the
 * week broken down by channel. Screenshots in English and Chinese (test-output/screenshots).
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
const CHANNELS = ['phone', 'online', 'phone'];
const STEPS = '1. Fail over billing to the standby.\n2. The commander informs service-managers within 15 minutes.';

interface RiskRow {
  instanceId: string;
  stage: string;
  title: string;
  drill: boolean;
}

describe.skipIf(missing)('e2e/web: emergency plans and drills', { timeout: 120_000 }, () => {
  let web: WebServer;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuilt();
    [web, browser] = await Promise.all([startWebServer(), launchBrowser()]);
    await deployXml(web, slaTaskModel(KEY, 'PT4H'));
    await deployXml(web, readFileSync(new URL('../../processes/risk-response.bpmn', import.meta.url), 'utf8'));
    // three calls handled this week on two channels
    for (const channel of CHANNELS) {
      const instance = await api<{ id: string }>(web, 'agent1', 'POST', '/api/instances', {
        definitionKey: KEY,
        variables: { channel },
      });
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

  it('lets riskmanager1 post KRI readings across amber and red: the emergency case starts once', async () => {
    const page = await open('riskmanager1', '/risks', 'en');
    const errors = watchErrors(page);
    await page.waitForSelector('[data-testid=kri-define]');
    await page.fill('[data-testid=kri-name]', 'Billing errors');
    await page.fill('[data-testid=kri-amber]', '2');
    await page.fill('[data-testid=kri-red]', '5');
    await page.fill('[data-testid=kri-owner]', 'riskowner1');
    await page.click('[data-testid=kri-define]');
    await page.waitForSelector('[data-testid="kri-post-Billing errors"]');
    const levels: string[] = [];
    for (const value of ['3', '6', '8']) {
      await page.fill('[data-testid="kri-value-Billing errors"]', value);
      await page.click('[data-testid="kri-post-Billing errors"]');
      await expect.poll(async () => (await readings())[0]?.value).toBe(Number(value));
      levels.push((await readings())[0].level);
    }
    expect(levels).toEqual(['amber', 'red', 'red']);
    expect((await readings()).filter((r) => r.action === 'emergency')).toHaveLength(1);
    const emergencies = (await risks()).filter((r) => r.title.startsWith('KRI Billing errors'));
    expect(emergencies).toEqual([expect.objectContaining({ stage: 'emergency', drill: false })]);
    await expect.poll(() => page.locator('[data-testid="kri-level-Billing errors"]').textContent()).toBe('Red');
    expect(errors).toEqual([]);
  });

  it('lets riskmanager1 add and edit a plan and schedule a drill that starts a practice case', async () => {
    const page = await open('riskmanager1', '/emergency-plans', 'en');
    const errors = watchErrors(page);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Emergency plans');
    await page.selectOption('[data-testid=ep-category]', 'technical');
    await page.fill('[data-testid=ep-title]', 'Billing outage');
    await page.fill('[data-testid=ep-steps]', STEPS);
    await page.fill('[data-testid=ep-owner]', 'riskowner1');
    await page.click('[data-testid=ep-save]');
    await page.waitForSelector('[data-category=technical] [data-plan="Billing outage"]');
    await page.click('[data-testid="ep-edit-Billing outage"]');
    await page.fill('[data-testid=ep-title]', 'Billing outage v2');
    await page.click('[data-testid=ep-save]');
    await page.waitForSelector('[data-category=technical] [data-plan="Billing outage v2"]');
    expect(await page.locator('[data-plan]').count()).toBe(1);
    // a drill for the current minute is due at once; the scheduler starts it on its own clock
    await page.fill('[data-testid="ep-drill-at-Billing outage v2"]', localMinute(new Date()));
    await page.click('[data-testid="ep-schedule-Billing outage v2"]');
    await page.waitForSelector('[data-testid=ep-drills] tr[data-drill]');
    await expect
      .poll(
        async () =>
          (await api<{ items: Array<{ status: string }> }>(web, 'riskmanager1', 'GET', '/api/drills')).items[0]?.status,
        {
          timeout: 15_000,
        },
      )
      .toBe('started');
    const practice = (await risks()).filter((r) => r.drill);
    expect(practice).toEqual([expect.objectContaining({ stage: 'emergency', title: 'Drill: Billing outage v2' })]);
    // the emergency team acknowledges the practice case: its R-ACK time shows on the page
    const drillCase = practice[0].instanceId;
    const { items: tasks } = await api<{ items: Array<{ id: string; elementId: string }> }>(
      web,
      'responder1',
      'GET',
      `/api/tasks?instanceId=${drillCase}`,
    );
    const activate = tasks.find((task) => task.elementId === 'activate')!;
    await api(web, 'responder1', 'POST', `/api/tasks/${activate.id}/claim`, { userId: 'responder1' });
    await api(web, 'responder1', 'POST', `/api/tasks/${activate.id}/complete`, {
      variables: {
        incidentSeverity: 'high',
        incidentCommander: 'responder1',
        emergencyPlanRef: 'EP-BILL-01',
        containmentActions: 'Switched billing to read-only mode.',
        resourcesActivated: ['backup_system'],
        customerCommsNeeded: false,
      },
    });
    await page.reload();
    await expect
      .poll(() => page.locator('[data-testid=ep-drills] tr[data-drill] .ep-status').textContent())
      .toBe('Started');
    expect(await page.locator('[data-testid=ep-drills] tr[data-drill] td:nth-child(5) .ep-clock').textContent()).toBe(
      '< 1m · met',
    );
    expect(await page.locator('[data-testid=ep-drills] tr[data-drill] td:nth-child(6) .ep-clock').textContent()).toBe(
      'running',
    );
    const summary = await page.locator('[data-testid=ep-drill-summary]').textContent();
    expect(summary).toContain('Drills1');
    expect(summary).toContain('1 of 1 in time');
    await screenshot(page, 'emergency-plans-en');
    await page.click('[data-testid=lang-switch]');
    await expect.poll(() => page.locator('h1').textContent()).toBe('应急预案');
    await expect
      .poll(() => page.locator('[data-testid=ep-drills] tr[data-drill] .ep-status').textContent())
      .toBe('已开始');
    await screenshot(page, 'emergency-plans-zh');
    expect(errors).toEqual([]);
  });

  it('shows supervisor1 the KPI dashboard of the week broken down by channel', async () => {
    const page = await open('supervisor1', '/sla', 'en');
    const errors = watchErrors(page);
    await page.waitForSelector('[data-kpi=compliance]');
    await page.selectOption('#sla-definition', KEY);
    await page.selectOption('#kpi-period', 'week');
    await page.selectOption('#kpi-group', 'channel');
    await page.waitForSelector('[data-testid=breakdown-chart] svg');
    await expect
      .poll(() => page.locator('[data-testid=breakdown-chart] svg text').allTextContents())
      .toEqual(expect.arrayContaining(['online', 'phone']));
    expect(new URL(page.url()).searchParams.toString()).toBe(`process=${KEY}&period=week&groupBy=channel`);
    await page.locator('[data-testid=breakdown-chart]').scrollIntoViewIfNeeded();
    await screenshot(page, 'emergency-kpis-week-channel-en');
    await page.click('[data-testid=lang-switch]');
    await expect.poll(() => page.locator('[data-kpi=compliance] .kpi-label').textContent()).toBe('SLA 达成率');
    // the language switch re-renders the page; the filters come back from the address
    expect(await page.locator('#sla-definition').inputValue()).toBe(KEY);
    expect(await page.locator('#kpi-period').inputValue()).toBe('week');
    expect(await page.locator('#kpi-group').inputValue()).toBe('channel');
    await page.waitForSelector('[data-testid=breakdown-chart] svg');
    await expect
      .poll(() => page.locator('[data-testid=breakdown-chart] svg text').allTextContents())
      .toEqual(expect.arrayContaining(['online', 'phone']));
    await page.locator('[data-testid=breakdown-chart]').scrollIntoViewIfNeeded();
    await screenshot(page, 'emergency-kpis-week-channel-zh');
    expect(errors).toEqual([]);
  });

  async function readings(): Promise<Array<{ value: number; level: string; action: string | null }>> {
    const { items } = await api<{ items: Array<{ id: string; name: string }> }>(
      web,
      'riskmanager1',
      'GET',
      '/api/kris',
    );
    const id = items.find((k) => k.name === 'Billing errors')!.id;
    return (
      await api<{ items: Array<{ value: number; level: string; action: string | null }> }>(
        web,
        'riskmanager1',
        'GET',
        `/api/kris/${id}/readings`,
      )
    ).items;
  }

  async function risks(): Promise<RiskRow[]> {
    return (await api<{ items: RiskRow[] }>(web, 'riskmanager1', 'GET', '/api/risks')).items;
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

/** A datetime-local value for the minute of `d` in the browser's (and this process's) time zone. */
function localMinute(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
