/**
 * Issue 14, "Forms": the designer saves an edited form to the database. owner1 opens the deployed complaint
 * process, edits the first response form (removes a field) and saves: the engine has a new version of the form,
 * deployed with a new version of the process; a case started before keeps the old form, a new case gets the
 * new one, and the shipped file in processes/forms is untouched.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCESSES_DIR } from '../helpers/reference-processes.js';
import { browserMissing, launchBrowser, screenshot, signedInContext, watchErrors } from './web/browser.js';
import { DesignerDriver } from './web/designer-driver.js';
import { api, ensureWebBuilt, signIn, startWebServer, type WebServer } from './web/web-server.js';

const missing = browserMissing();
const FORM_FILE = join(PROCESSES_DIR, 'forms', 'complaint-first-response.form');
const INTAKE = {
  channel: 'phone',
  customerId: 'C-3001',
  customerName: 'Zhao Min',
  contactPhone: '13700137000',
  preferredContact: 'phone',
  customerTier: 'medium',
  category: 'billing',
  description: 'Charged twice for one invoice.',
  priority: 'general',
};

interface Form {
  components: Array<{ id?: string; label?: string }>;
}

describe.skipIf(missing)('e2e/web: the designer saves a form to the database', { timeout: 120_000 }, () => {
  let web: WebServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensureWebBuilt();
    [web, browser] = await Promise.all([startWebServer({ referenceProcesses: true }), launchBrowser()]);
    const context = await signedInContext(browser, web.baseUrl, await signIn(web.baseUrl, 'owner1'), { height: 900 });
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  const startCase = async () => {
    const instance = await api<{ id: string }>(web, 'owner1', 'POST', '/api/instances', {
      definitionKey: 'complaint-handling',
      variables: INTAKE,
    });
    const tasks = await api<{ items: Array<{ id: string; formKey: string }> }>(
      web,
      'owner1',
      'GET',
      `/api/tasks?instanceId=${instance.id}`,
    );
    return tasks.items.find((t) => t.formKey === 'complaint-first-response')!;
  };
  const fieldIds = (form: Form) => form.components.map((c) => c.id);

  it('deploys the edited form as a new version with its process; the running case keeps the old one', async () => {
    const fileBefore = await readFile(FORM_FILE, 'utf8');
    const before = await startCase();
    const errors = watchErrors(page);
    await page.goto('/designer');
    await page.waitForSelector('.djs-palette');
    await page.click('[data-action="open-deployed"]');
    await page.locator('[data-testid=open-deployed] .choice', { hasText: 'Complaint handling' }).click();
    await page.waitForSelector('.djs-shape[data-element-id="firstResponse"]');
    await new DesignerDriver(page).find('First response', 'firstResponse');
    await page.click('[data-action="edit-form"]');
    const dialog = page.locator('[data-testid=form-editor-dialog]');
    const field = dialog.locator('.fjs-editor-container [data-id="Field_rootCause"]');
    await field.click();
    await dialog.locator('.fjs-context-pad-item').first().click();
    await expect.poll(() => field.count()).toBe(0);
    await screenshot(page, 'designer-form-save-en');
    await dialog.getByRole('button', { name: 'Save' }).click();
    expect(await page.locator('.toast-success').textContent()).toContain('saved as version 2');

    const latest = await api<Form>(web, 'owner1', 'GET', '/api/forms/complaint-first-response');
    expect(fieldIds(latest)).not.toContain('Field_rootCause');
    const versions = await api<{ items: Array<{ version: number }> }>(
      web,
      'owner1',
      'GET',
      '/api/definitions?key=complaint-handling',
    );
    expect(versions.items.map((d) => d.version)).toEqual([2, 1]);
    const after = await startCase();
    const oldForm = await api<Form>(web, 'agent1', 'GET', `/api/tasks/${before.id}/form`);
    const newForm = await api<Form>(web, 'agent1', 'GET', `/api/tasks/${after.id}/form`);
    expect(fieldIds(oldForm)).toContain('Field_rootCause');
    expect(fieldIds(newForm)).not.toContain('Field_rootCause');
    expect(await readFile(FORM_FILE, 'utf8')).toBe(fileBefore);
    expect(errors).toEqual([]);
  });
});
