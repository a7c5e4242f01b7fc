/**
 * Issue 14, "Operations in the web app": the designer understands the reference processes' Camunda 8 flavour.
 * A zeebe model opens with the zeebe properties panel (candidate groups, form, job type, inputs and headers
 * show and edit), "Edit form" opens the task's real form, and a Camunda 7 model gets the camunda panel back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserMissing, launchBrowser, screenshot, signedInContext, watchErrors } from './web/browser.js';
import { DesignerDriver } from './web/designer-driver.js';
import { ensureWebBuilt, signIn, startWebServer, type WebServer } from './web/web-server.js';

const missing = browserMissing();

describe.skipIf(missing)('e2e/web: designer on Camunda 8 models', { timeout: 90_000 }, () => {
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
    await page.goto('/designer');
    await page.waitForSelector('.djs-palette');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('opens the deployed complaint process with the zeebe panel: candidate groups and form key of a user task', async () => {
    await page.click('[data-action="open-deployed"]');
    await page.locator('[data-testid=open-deployed] .choice', { hasText: 'Complaint handling' }).click();
    await page.waitForSelector('[data-testid=properties-panel][data-flavour="zeebe"]');
    await page.waitForSelector('.djs-shape[data-element-id="firstResponse"]');
    const designer = new DesignerDriver(page);
    await designer.find('First response', 'firstResponse');
    await designer.openGroup('assignmentDefinition');
    expect(await panelInput('assignmentDefinitionCandidateGroups').inputValue()).toBe('cs-agents');
    await designer.openGroup('form');
    expect(await panelInput('customFormKey').inputValue()).toBe('complaint-first-response');
    await screenshot(page, 'designer-zeebe-user-task-en');
  });

  it("shows and edits a service task's job type, its inputs and headers", async () => {
    const designer = new DesignerDriver(page);
    await designer.find('Record in CRM', 'record');
    await designer.openGroup('taskDefinition');
    expect(await panelInput('taskDefinitionType').inputValue()).toBe('crm.update');
    await designer.fill('taskDefinitionType', 'crm.record');
    await designer.openGroup('inputs');
    const inputs = page.locator(
      '[data-testid=properties-panel] [data-group-id="group-inputs"] .bio-properties-panel-collapsible-entry',
    );
    expect(await inputs.count()).toBe(12);
    await designer.openGroup('headers');
    await page
      .locator('[data-testid=properties-panel] [data-group-id="group-headers"] .bio-properties-panel-add-entry')
      .click();
    await screenshot(page, 'designer-zeebe-service-task-en');
    const xml = await page.evaluate(() => sessionStorage.getItem('svcflow.designer.draft'));
    expect(xml).toContain('<zeebe:taskDefinition type="crm.record" retries="3" />');
    expect(xml).toMatch(/<zeebe:taskHeaders>\s*<zeebe:header \/>/);
  });

  it("opens the task's real form in the form editor", async () => {
    const designer = new DesignerDriver(page);
    await designer.find('First response', 'firstResponse');
    await page.click('[data-action="edit-form"]');
    const dialog = page.locator('[data-testid=form-editor-dialog]');
    await dialog.locator('.fjs-editor-container').waitFor();
    expect(await dialog.locator('h2, .dialog-title').first().textContent()).toContain('complaint-first-response');
    await expect
      .poll(() => dialog.locator('.fjs-form-field-label').allTextContents())
      .toContainEqual(expect.stringContaining('Response channel / 响应方式'));
    await screenshot(page, 'designer-zeebe-form-editor-en');
    await page.keyboard.press('Escape');
  });

  it("opens the start event's form, and switches to the zeebe panel in Chinese", async () => {
    const designer = new DesignerDriver(page);
    await designer.find('Complaint received', 'start');
    await page.click('[data-action="edit-form"]');
    const dialog = page.locator('[data-testid=form-editor-dialog]');
    await expect
      .poll(() => dialog.locator('.fjs-form-field-label').allTextContents())
      .toContainEqual(expect.stringContaining('Customer name / 客户姓名'));
    await page.keyboard.press('Escape');
    await page.click('[data-testid=lang-switch]');
    await page.waitForSelector('[data-testid=properties-panel][data-flavour="zeebe"]');
    await designer.find('First response', 'firstResponse');
    await screenshot(page, 'designer-zeebe-user-task-zh');
  });

  it('gives a Camunda 7 model the camunda panel again', async () => {
    await page.click('[data-testid=lang-switch]');
    await page.waitForSelector('[data-testid=properties-panel]');
    await page.click('[data-action="new"]');
    const confirm = page.locator('.dialog [data-action="confirm"], .dialog button.primary');
    if ((await confirm.count()) > 0) await confirm.first().click();
    await page.waitForSelector('[data-testid=properties-panel][data-flavour="camunda"]');
    const designer = new DesignerDriver(page);
    await designer.select('StartEvent_1');
    await expect(
      page.locator('[data-testid=properties-panel] [data-group-id="group-CamundaPlatform__Form"]').count(),
    ).resolves.toBe(1);
    expect(errors).toEqual([]);
  });

  // helpers

  function panelInput(entryId: string) {
    return page.locator(`[data-testid=properties-panel] #bio-properties-panel-${entryId}`);
  }
});
