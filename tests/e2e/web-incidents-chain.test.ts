/**
 * Issue 11, "Call activities", on the incidents page: a calling case's incident (CALLED_INSTANCE_INCIDENT) links to
 * the called case holding the root cause, and its Retry edits that case's variables (the retry acts there), saying
 * whose they are; the caller's variables are left alone.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing, launchBrowser, screenshot, signedInContext, watchErrors } from './web/browser.js';
import { callingModel, refundModel } from './web/models.js';
import { api, deployXml, ensureWebBuilt, signIn, startWebServer, type WebServer } from './web/web-server.js';

const missing = browserMissing();

interface InstanceView {
  id: string;
  status: string;
  activeElements: string[];
  variables: Record<string, unknown>;
}

describe.skipIf(missing)('e2e/web: a called case incident on the incidents page', { timeout: 90_000 }, () => {
  let web: WebServer;
  let browser: Browser;
  let parent: { id: string };
  let child: InstanceView;

  beforeAll(async () => {
    ensureWebBuilt();
    [web, browser] = await Promise.all([startWebServer(), launchBrowser()]);
    await deployXml(web, refundModel('calledRefund'));
    await deployXml(web, callingModel('complaintCalling', 'calledRefund'));
    parent = await api(web, 'owner1', 'POST', '/api/instances', {
      definitionKey: 'complaintCalling',
      businessKey: 'CMP-0042',
      variables: { customer: 'Li Wei' },
    });
    const children = await api<{ items: InstanceView[] }>(
      web,
      'owner1',
      'GET',
      `/api/instances?parentInstanceId=${parent.id}`,
    );
    child = children.items[0];
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it("links the caller's incident to the called case and retries there with that case's variables", async () => {
    const context = await signedInContext(browser, web.baseUrl, await signIn(web.baseUrl, 'manager1'), {
      lang: 'en',
      height: 1000,
    });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto('/incidents');
    const rows = page.locator('[data-testid=incident-list] tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    await page.locator('tr', { hasText: 'CALLED_INSTANCE_INCIDENT' }).getByRole('button', { name: 'Details' }).click();
    const detail = page.locator('[data-testid=incident-detail]');
    const link = detail.locator('[data-action="open-root-cause"]');
    await link.waitFor();
    expect(await detail.locator('h2').textContent()).toMatch(/^CMP-0042 · /);
    expect(await detail.locator('[data-testid=incident-root]').textContent()).toContain(
      'CONDITION_FAILED at Gateway_amount',
    );
    expect(await link.getAttribute('data-instance-id')).toBe(child.id);
    // the variables are the called case's, not the caller's, and the label says so
    expect(await detail.locator('label[for=incident-variables]').textContent()).toBe(
      `Variables of the called case ${child.id}, where the retry acts`,
    );
    expect(JSON.parse(await detail.locator('#incident-variables').inputValue())).toEqual(child.variables);
    expect(child.variables).not.toHaveProperty('customer');
    await detail.locator('.djs-element.svc-incident[data-element-id="Call_refund"]').waitFor();
    await screenshot(page, 'incidents-called-case-en');

    // the link opens the called case's own incident
    await link.click();
    await expect.poll(() => detail.locator('h2').textContent()).toMatch(new RegExp(`^${child.id} · `));
    await detail.locator('.djs-element.svc-incident[data-element-id="Gateway_amount"]').waitFor();

    // back on the caller's incident: retry with a changed variable of the called case
    await page.goto('/incidents');
    await page.locator('tr', { hasText: 'CALLED_INSTANCE_INCIDENT' }).getByRole('button', { name: 'Details' }).click();
    await detail.locator('[data-action="open-root-cause"]').waitFor();
    await detail.locator('#incident-variables').fill('{ "amount": 500 }');
    await detail.locator('[data-action="retry"]').click();
    await page.locator('.toast-success', { hasText: `Case ${child.id} runs again.` }).waitFor();
    // the called case's incident is resolved, and with it the caller's
    await page.locator('[data-testid=incident-list] .empty').waitFor();
    const calledAfter = await api<InstanceView>(web, 'owner1', 'GET', `/api/instances/${child.id}`);
    expect(calledAfter).toMatchObject({
      status: 'active',
      activeElements: ['Task_approve'],
      variables: { amount: 500 },
    });
    const callerAfter = await api<InstanceView>(web, 'owner1', 'GET', `/api/instances/${parent.id}`);
    expect(callerAfter).toMatchObject({ status: 'active', activeElements: ['Call_refund'] });
    expect(callerAfter.variables).toEqual({ customer: 'Li Wei' });
    expect(errors).toEqual([]);
  });
});
