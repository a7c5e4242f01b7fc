/**
 * The web app end to end, as its three kinds of user: a process owner draws and deploys a process
 * with an SLA and a form, staff complete the task in the tasklist, a supervisor sees the SLA met.
 * Real server (SQLite in a temp dir), Debian's headless Chromium; screenshots in test-output/screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserMissing, launchBrowser, screenshot, signedInContext, watchErrors } from './web/browser.js';
import { DesignerDriver } from './web/designer-driver.js';
import { slaTaskModel } from './web/models.js';
import { api, deployXml, ensureWebBuilt, signIn, startWebServer, type WebServer } from './web/web-server.js';

const missing = browserMissing();
if (missing) console.warn(missing);

describe.skipIf(missing)('e2e/web: owner designs, staff work, supervisor watches', { timeout: 60_000 }, () => {
  let web: WebServer;
  let browser: Browser;
  const model = { key: '', taskId: '', formKey: '' };

  beforeAll(async () => {
    ensureWebBuilt();
    [web, browser] = await Promise.all([startWebServer(), launchBrowser()]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('lets a process owner draw start → user task → end from the palette, set an SLA and a form, and deploy', async () => {
    const page = await open('owner1', '/designer');
    const errors = watchErrors(page);
    await page.waitForSelector('.djs-palette');
    const designer = new DesignerDriver(page);
    const task = await designer.createFromPalette('create.task', 'StartEvent_1', 220);
    await designer.connect('StartEvent_1', task);
    await designer.replace(task, 'replace-with-user-task');
    await designer.select(task);
    await designer.pad('append.end-event');
    await designer.select(task);
    await designer.openGroup('general');
    await designer.fill('name', 'Review request');
    await designer.openGroup('CamundaPlatform__UserAssignment');
    await designer.fill('candidateGroups', 'cs-agents');
    await designer.openGroup('svc-sla');
    await designer.fill('svc-sla-target', 'PT4H');
    await designer.fill('svc-sla-warnAt', '0.75');
    await addRequiredTextField(page, 'Resolution note', 'resolutionNote');
    await screenshot(page, 'designer-en');
    await page.click('[data-action="deploy"]');
    await expect
      .poll(() => page.locator('.toast-success').allTextContents())
      .toContainEqual(expect.stringContaining('Deployed'));
    const [deployed] = (
      await api<{ items: Array<{ id: string; key: string }> }>(web, 'owner1', 'GET', '/api/definitions')
    ).items;
    const xml = await api<string>(web, 'owner1', 'GET', `/api/definitions/${deployed.id}/xml`);
    expect(xml).toMatch(
      new RegExp(
        `<bpmn:userTask id="${task}" name="Review request" camunda:formKey="([a-z0-9-]+)" camunda:candidateGroups="cs-agents">`,
      ),
    );
    expect(xml).toMatch(/<svc:sla target="PT4H" warnAt="0.75" \/>/);
    Object.assign(model, { key: deployed.key, taskId: task, formKey: /camunda:formKey="([a-z0-9-]+)"/.exec(xml)![1] });
    await page.click('[data-testid=lang-switch]');
    await expect
      .poll(() => page.locator('.djs-palette .entry[data-action="create.task"]').getAttribute('aria-label'))
      .toBe('创建任务');
    await designer.select(task);
    await screenshot(page, 'designer-zh');
    expect(errors).toEqual([]);
  });

  it('lets staff claim the task, see the instance diagram and history, fill the form and complete it', async () => {
    const instance = await api<{ id: string }>(web, 'owner1', 'POST', '/api/instances', {
      definitionKey: model.key,
      businessKey: 'CMP-20261123-0001',
      variables: { customer: 'Li Wei' },
    });
    const page = await open('agent1', '/tasks');
    const errors = watchErrors(page);
    await expect(
      page.locator('.task-item', { hasText: 'Review request' }).locator('.task-meta').textContent(),
    ).resolves.toMatch(/^CMP-20261123-0001 · /);
    await page.locator('.task-item', { hasText: 'Review request' }).click();
    await expect(page.locator('.task-detail .facts dd').allTextContents()).resolves.toContain('CMP-20261123-0001');
    await page.click('[data-action="claim"]');
    await page.waitForSelector('[data-action="unclaim"]');
    await page.click('[data-tab="diagram"]');
    // The viewer draws after the tab opens: wait for it rather than count at once.
    await expect
      .poll(() =>
        page
          .locator(`[data-testid=instance-diagram] .djs-element.svc-current[data-element-id="${model.taskId}"]`)
          .count(),
      )
      .toBe(1);
    await page.click('[data-tab="history"]');
    await page.waitForSelector('.history-item');
    // Steps by their names from the definition (GET /api/definitions/:id elementNames), not their ids.
    await expect(page.locator(`.history-step[data-element-id="${model.taskId}"]`).first().textContent()).resolves.toBe(
      'Review request',
    );
    await screenshot(page, 'tasks-history-en');
    await page.click('[data-tab="form"]');
    await page.waitForSelector('.fjs-form input');
    await page.click('[data-action="complete"]');
    await expect(page.locator('.fjs-has-errors').count()).resolves.toBeGreaterThan(0);
    await page.fill('.fjs-form input', 'Refunded the delivery fee');
    await screenshot(page, 'tasks-en');
    await page.click('[data-testid=lang-switch]');
    await page.waitForSelector('[data-action="complete"]:text("完成")');
    await screenshot(page, 'tasks-zh');
    await page.fill('.fjs-form input', 'Refunded the delivery fee');
    await page.click('[data-action="complete"]');
    await expect
      .poll(() =>
        api<{ status: string; variables: Record<string, unknown> }>(
          web,
          'agent1',
          'GET',
          `/api/instances/${instance.id}`,
        ),
      )
      .toMatchObject({ status: 'completed', variables: { resolutionNote: 'Refunded the delivery fee' } });
    await page.waitForSelector('.task-items .empty');
    expect(errors).toEqual([]);
  });

  it('fits the tasklist on a 390 px phone: the list, then the task on its own', async () => {
    await api(web, 'owner1', 'POST', '/api/instances', { definitionKey: model.key, businessKey: 'CMP-20261123-0002' });
    for (const lang of ['en', 'zh'] as const) {
      const page = await open('agent1', '/tasks', { lang, width: 390, height: 844 });
      await page.waitForSelector('.task-item');
      await screenshot(page, `tasks-phone-list-${lang}`);
      await page.locator('.task-item').first().click();
      await page.waitForSelector('.task-detail [data-action="claim"]');
      expect(await page.locator('.task-list').isVisible()).toBe(false);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await screenshot(page, `tasks-phone-task-${lang}`);
    }
  });

  it('lets a supervisor reassign open work to a member of its group', async () => {
    const page = await open('supervisor1', '/tasks');
    await page.locator('.task-item', { hasText: 'Review request' }).first().click();
    await page.selectOption('[data-testid=reassign-to]', 'agent1');
    await page.click('[data-action="reassign"]');
    await page.locator('.toast-success', { hasText: 'agent1' }).waitFor();
    const tasks = await api<{ items: Array<{ assignee: string | null }> }>(
      web,
      'supervisor1',
      'GET',
      `/api/tasks?definitionKey=${model.key}`,
    );
    expect(tasks.items.map((task) => task.assignee)).toEqual(['agent1']);
    await screenshot(page, 'tasks-supervisor-en');
  });

  it('shows the supervisor the SLA counted as met', async () => {
    const page = await open('supervisor1', '/sla');
    const errors = watchErrors(page);
    // the heat map shows the diagram of the process chosen in the filter
    await page.selectOption('#sla-definition', model.key);
    await page.waitForSelector('[data-testid=heat-map] .djs-element');
    const report = await api<{ groups: Array<{ key: string; met: number; breached: number }> }>(
      web,
      'supervisor1',
      'GET',
      '/api/sla/report?groupBy=definition',
    );
    expect(report.groups).toContainEqual(expect.objectContaining({ key: model.key, met: 1, breached: 0 }));
    await expect.poll(() => page.locator('[data-tile=compliance] .tile-value').textContent()).toBe('100 %');
    await expect(page.locator('[data-tile=compliance] .tile-hint').textContent()).resolves.toBe(
      '1 met · 0 breached in the period',
    );
    await screenshot(page, 'sla-met-en');
    await page.click('[data-testid=lang-switch]');
    await page.waitForSelector('h1:text("SLA 看板")');
    await page.selectOption('#sla-definition', model.key);
    await page.waitForSelector('[data-testid=heat-map] .djs-element');
    await screenshot(page, 'sla-zh');
    expect(errors).toEqual([]);
  });

  it('updates the live list from the event stream without a reload, and drills down to the instance', async () => {
    const page = await open('supervisor1', '/sla');
    await page.waitForSelector('.live-status[data-connected="true"]');
    await deployXml(web, slaTaskModel('hotline-callback', 'PT2S'));
    const instance = await api<{ id: string }>(web, 'owner1', 'POST', '/api/instances', {
      definitionKey: 'hotline-callback',
      businessKey: 'CALL-0001',
    });
    const row = page.locator('[data-testid=live-list] tr[data-sla-id]', { hasText: 'hotline-callback' });
    await expect.poll(() => row.locator('.status').textContent(), { timeout: 15_000 }).toBe('Breached');
    await page.selectOption('#sla-definition', 'hotline-callback');
    await page.waitForSelector('[data-testid=heat-map] .badge-breached');
    await screenshot(page, 'sla-en');
    await row.getByRole('button').click();
    const drilldown = page.locator('[data-testid=drilldown]');
    await drilldown.locator('[data-sla-status="breached"]').waitFor();
    await drilldown.locator('.djs-element.svc-active[data-element-id="Task_callBack"]').waitFor();
    expect(page.url()).toContain(`instance=${instance.id}`);
    await screenshot(page, 'sla-drilldown-en');
  });

  it('shows staff the business key and the process name on each task, and the steps by name in the history', async () => {
    for (const lang of ['en', 'zh'] as const) {
      const page = await open('agent1', '/tasks', { lang });
      const item = page.locator('.task-item', { hasText: 'Call back' });
      await expect(item.locator('.task-meta').textContent()).resolves.toBe(
        lang === 'en'
          ? 'CALL-0001 · Hotline callback · open to cs-agents'
          : 'CALL-0001 · Hotline callback · 待 cs-agents 认领',
      );
      await item.click();
      // the detail is read after the click: wait for it before reading its facts
      await page.locator('.task-detail .facts dd', { hasText: 'CALL-0001' }).waitFor();
      await expect(page.locator('.task-detail .facts dd').allTextContents()).resolves.toEqual(
        expect.arrayContaining(['Hotline callback', 'CALL-0001']),
      );
      await page.click('[data-tab="history"]');
      await page.waitForSelector('.history-step');
      await expect(page.locator('.history-step').allTextContents()).resolves.toEqual(
        expect.arrayContaining(['Call back', 'Call missed']),
      );
      await screenshot(page, `tasks-names-${lang}`);
    }
  });

  // helpers

  async function open(
    username: string,
    path: string,
    options: { lang?: 'en' | 'zh'; width?: number; height?: number } = {},
  ): Promise<Page> {
    const context = await signedInContext(browser, web.baseUrl, await signIn(web.baseUrl, username), options);
    const page = await context.newPage();
    await page.goto(path);
    return page;
  }
});

/** Opens the form editor of the selected user task, adds a required text field from the palette (by keyboard) and saves. */
async function addRequiredTextField(page: Page, label: string, key: string): Promise<void> {
  await page.click('[data-action="edit-form"]');
  const dialog = page.locator('[data-testid=form-editor-dialog]');
  const field = dialog.locator('.fjs-palette-field[data-field-type="textfield"]');
  await field.focus();
  await page.keyboard.press('Enter');
  await dialog.locator('.fjs-form-field-textfield').last().click();
  const props = dialog.locator('.fjs-properties-container');
  for (const group of ['general', 'validation'])
    await props.locator(`[data-group-id="group-${group}"] .bio-properties-panel-group-header`).click();
  await props.locator('[data-entry-id="label"] [contenteditable="true"]').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(label);
  await props.locator('#bio-properties-panel-key').fill(key);
  await props.locator('#bio-properties-panel-required').check();
  await page.waitForTimeout(350);
  await screenshot(page, 'designer-form-editor-en');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await page.locator('.toast-success', { hasText: 'saved' }).waitFor();
}
