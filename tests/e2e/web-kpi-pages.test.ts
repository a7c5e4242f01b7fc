/**
 * The owner's pages in Chromium: the performance overlay on the diagram (counts, time in each step, SLA
 * breach rate, the share of cases on each gateway path, the steps table), reached from the dashboard; the
 * business-calendar editor with the banner for a year without holiday data, an iCalendar import that
 * clears it, and a refused interval; screenshots in English and Chinese (test-output/screenshots).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserMissing, launchBrowser, screenshot, signedInContext, watchErrors } from './web/browser.js';
import { slaTaskModel } from './web/models.js';
import { api, deployXml, ensureWebBuilt, signIn, startWebServer, type WebServer } from './web/web-server.js';

const missing = browserMissing();
if (missing) console.warn(missing);

const KEY = 'repair-triage';

describe.skipIf(missing)('e2e/web: performance overlay', { timeout: 120_000 }, () => {
  let web: WebServer;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuilt();
    [web, browser] = await Promise.all([startWebServer(), launchBrowser()]);
    await deployXml(web, triageModel());
    // four cases triaged (three need a fix, two of them fixed), one still waiting for triage
    for (const needsFix of [true, true, true, false, null]) {
      const instance = await api<{ id: string }>(web, 'agent1', 'POST', '/api/instances', {
        definitionKey: KEY,
        variables: {},
      });
      if (needsFix === null) continue;
      await complete(instance.id, { needsFix });
    }
    const open = await api<{ items: Array<{ id: string; elementId: string }> }>(
      web,
      'agent1',
      'GET',
      `/api/tasks?definitionKey=${KEY}&status=open`,
    );
    for (const task of open.items.filter((t) => t.elementId === 'Task_fix').slice(0, 2)) await completeTask(task.id);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('shows owner1 the performance of each step and the share of each gateway path on the diagram', async () => {
    const page = await open('owner1', `/performance?process=${KEY}`, 'en');
    const errors = watchErrors(page);
    await page.waitForSelector('[data-testid=perf-diagram] .perf-figures');
    expect(await page.locator('[data-testid=perf-summary]').textContent()).toContain('5 cases started');
    expect(await page.locator('.perf-figures[data-element-id=Task_triage]').textContent()).toContain('4 completed');
    expect(await page.locator('.perf-figures[data-element-id=Task_triage]').textContent()).toContain('1 waiting now');
    // the SLA of PT1H on triage was met four times
    expect(await page.locator('.perf-figures[data-element-id=Task_triage]').textContent()).toContain(
      '0 % of SLA clocks breached',
    );
    expect(await page.locator('[data-flow-id=Flow_fix]').textContent()).toBe('75 %');
    expect(await page.locator('[data-flow-id=Flow_close]').textContent()).toBe('25 %');
    expect(await page.locator('[data-testid=perf-table] tr[data-element-id]').count()).toBe(2);
    await screenshot(page, 'kpi-performance-en');
    await page.click('[data-testid=lang-switch]');
    await expect.poll(() => page.locator('h1').textContent()).toBe('流程绩效');
    await page.waitForSelector('.perf-figures[data-element-id=Task_triage]');
    expect(await page.locator('.perf-figures[data-element-id=Task_triage]').textContent()).toContain('完成 4 次');
    await screenshot(page, 'kpi-performance-zh');
    expect(errors).toEqual([]);
  });

  it('is reachable from the dashboard of the chosen process', async () => {
    const page = await open('supervisor1', '/sla', 'en');
    await page.selectOption('#sla-definition', KEY);
    await page.click('[data-testid=perf-link]');
    await page.waitForSelector('.perf-figures[data-element-id=Task_fix]');
    expect(new URL(page.url()).pathname).toBe('/performance');
  });

  it('downloads the weekly service-quality report from the dashboard as XLSX and PDF', async () => {
    const page = await open('supervisor1', '/sla', 'en');
    await page.selectOption('#sla-definition', KEY);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=report-xlsx]')]);
    expect(xlsx.suggestedFilename()).toMatch(new RegExp(`^service-quality-${KEY}-\\d{4}-\\d{2}-\\d{2}\\.xlsx$`));
    await page.selectOption('[data-testid=report-kind]', 'risk');
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=report-pdf]')]);
    expect(pdf.suggestedFilename()).toMatch(/^risk-\d{4}-\d{2}-\d{2}\.pdf$/);
    await screenshot(page, 'kpi-dashboard-reports-en');
  });

  it('lets owner1 add next year to the default calendar from an iCalendar file, which clears the banner', async () => {
    // the server runs on the real clock: from 2 November the next year's holidays are needed
    const needsNext = new Date() >= new Date(`${new Date().getFullYear()}-11-02T00:00:00+08:00`);
    const next = new Date().getFullYear() + (needsNext ? 1 : 0);
    await deployXml(web, slaTaskModel('desk-callback', 'P1D', 'default'));
    const coverage = await api<{ items: Array<{ calendarId: string; missingYears: number[] }> }>(
      web,
      'owner1',
      'GET',
      '/api/calendars/coverage',
    );
    const page = await open('owner1', '/calendars?id=default', 'en');
    const errors = watchErrors(page);
    await page.waitForSelector('[data-testid=cal-holidays]');
    if (coverage.items.length > 0) {
      await expect
        .poll(() => page.locator('[data-testid=calendar-banner]').textContent())
        .toContain(`no holiday data for ${next}`);
      expect(coverage.items[0]).toMatchObject({ calendarId: 'default', missingYears: [next] });
    }
    await screenshot(page, 'kpi-calendar-banner-en');
    await page.selectOption('[data-testid=cal-year]', String(next));
    expect(await page.locator('[data-testid=cal-holidays]').inputValue()).toBe('');
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'BEGIN:VEVENT',
      `DTSTART;VALUE=DATE:${next}0101`,
      `DTEND;VALUE=DATE:${next}0104`,
      'SUMMARY:New Year',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    await page.setInputFiles('[data-testid=cal-import]', {
      name: 'holidays.ics',
      mimeType: 'text/calendar',
      buffer: Buffer.from(ics),
    });
    await expect
      .poll(() => page.locator('[data-testid=cal-holidays]').inputValue())
      .toBe([`${next}-01-01`, `${next}-01-02`, `${next}-01-03`].join('\n'));
    await page.click('[data-testid=cal-save]');
    await expect.poll(() => page.locator('[data-testid=calendar-banner]').count()).toBe(0);
    const saved = await api<{ holidays: string[] }>(web, 'owner1', 'GET', '/api/calendars/default');
    expect(saved.holidays).toEqual(expect.arrayContaining([`${next}-01-01`, `${next}-01-03`, '2026-10-01']));
    expect((await api<{ items: unknown[] }>(web, 'owner1', 'GET', '/api/calendars/coverage')).items).toEqual([]);
    // a malformed interval is refused with the field named
    await page.fill('[data-testid=cal-sat]', '9-12');
    await page.click('[data-testid=cal-save]');
    await expect.poll(() => page.locator('[data-testid=cal-errors]').textContent()).toContain('week.sat');
    await screenshot(page, 'kpi-calendar-en');
    await page.click('[data-testid=lang-switch]');
    await expect.poll(() => page.locator('h1').textContent()).toBe('工作日历');
    await screenshot(page, 'kpi-calendar-zh');
    expect(errors).toEqual([]);
  });

  async function complete(instanceId: string, variables: Record<string, unknown>): Promise<void> {
    const { items } = await api<{ items: Array<{ id: string }> }>(
      web,
      'agent1',
      'GET',
      `/api/tasks?instanceId=${instanceId}`,
    );
    await completeTask(items[0].id, variables);
  }

  async function completeTask(taskId: string, variables: Record<string, unknown> = {}): Promise<void> {
    await api(web, 'agent1', 'POST', `/api/tasks/${taskId}/claim`, { userId: 'agent1' });
    await api(web, 'agent1', 'POST', `/api/tasks/${taskId}/complete`, { variables });
  }

  async function open(username: string, path: string, lang: 'en' | 'zh'): Promise<Page> {
    const context = await signedInContext(browser, web.baseUrl, await signIn(web.baseUrl, username), {
      lang,
      height: 1000,
    });
    const page = await context.newPage();
    await page.goto(path);
    return page;
  }
});

/** start → triage (SLA PT1H) → gateway: fix (needsFix) → fixed, or closed. */
function triageModel(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:svc="https://svcflow.dev/schema/bpmn/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Definitions_${KEY}" targetNamespace="https://svcflow.dev/test">
  <bpmn:process id="${KEY}" name="Repair triage" isExecutable="true">
    <bpmn:startEvent id="Start" name="Reported" />
    <bpmn:userTask id="Task_triage" name="Triage" camunda:candidateGroups="cs-agents">
      <bpmn:extensionElements><svc:sla target="PT1H" warnAt="0.5" calendar="24x7" /></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:exclusiveGateway id="Gw_fix" name="Needs a fix?" default="Flow_close" />
    <bpmn:userTask id="Task_fix" name="Fix" camunda:candidateGroups="cs-agents" />
    <bpmn:endEvent id="End_fixed" name="Fixed" />
    <bpmn:endEvent id="End_closed" name="Closed" />
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start" targetRef="Task_triage" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_triage" targetRef="Gw_fix" />
    <bpmn:sequenceFlow id="Flow_fix" name="yes" sourceRef="Gw_fix" targetRef="Task_fix"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=needsFix = true</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="Flow_close" name="no" sourceRef="Gw_fix" targetRef="End_closed" />
    <bpmn:sequenceFlow id="Flow_3" sourceRef="Task_fix" targetRef="End_fixed" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_${KEY}">
    <bpmndi:BPMNPlane id="BPMNPlane_${KEY}" bpmnElement="${KEY}">
      <bpmndi:BPMNShape id="Start_di" bpmnElement="Start"><dc:Bounds x="152" y="102" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Task_triage_di" bpmnElement="Task_triage"><dc:Bounds x="240" y="80" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Gw_fix_di" bpmnElement="Gw_fix" isMarkerVisible="true"><dc:Bounds x="415" y="95" width="50" height="50" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Task_fix_di" bpmnElement="Task_fix"><dc:Bounds x="560" y="80" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="End_fixed_di" bpmnElement="End_fixed"><dc:Bounds x="752" y="102" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="End_closed_di" bpmnElement="End_closed"><dc:Bounds x="422" y="262" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="Flow_1_di" bpmnElement="Flow_1"><di:waypoint x="188" y="120" /><di:waypoint x="240" y="120" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_2_di" bpmnElement="Flow_2"><di:waypoint x="340" y="120" /><di:waypoint x="415" y="120" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_fix_di" bpmnElement="Flow_fix"><di:waypoint x="465" y="120" /><di:waypoint x="560" y="120" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_close_di" bpmnElement="Flow_close"><di:waypoint x="440" y="145" /><di:waypoint x="440" y="262" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_3_di" bpmnElement="Flow_3"><di:waypoint x="660" y="120" /><di:waypoint x="752" y="120" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}
