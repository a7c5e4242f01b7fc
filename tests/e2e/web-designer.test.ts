/**
 * The designer against the real engine: a model the engine rejects shows the problem as a marker on
 * the failing element; files open and download; keyboard undo works on the focused canvas.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserMissing, launchBrowser, screenshot, signedInContext, watchErrors } from './web/browser.js';
import { DesignerDriver } from './web/designer-driver.js';
import { ensureWebBuilt, signIn, startWebServer, type WebServer } from './web/web-server.js';

const INVALID = new URL('./web/invalid-gateway-no-default.bpmn', import.meta.url);

const missing = browserMissing();
if (missing) console.warn(missing);

describe.skipIf(missing)('e2e/web: designer', { timeout: 60_000 }, () => {
  let web: WebServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensureWebBuilt();
    [web, browser] = await Promise.all([startWebServer(), launchBrowser()]);
    const context = await signedInContext(browser, web.baseUrl, await signIn(web.baseUrl, 'owner1'));
    page = await context.newPage();
    await page.goto('/designer');
    await page.waitForSelector('.djs-palette');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('marks the element the engine rejects, with its message', async () => {
    const errors = watchErrors(page);
    const chooser = page.waitForEvent('filechooser');
    await page.click('[data-action="open-file"]');
    await (await chooser).setFiles({
      name: 'triage.bpmn',
      mimeType: 'application/xml',
      buffer: await readFile(INVALID),
    });
    await page.waitForSelector('.djs-shape[data-element-id="Gateway_severity"]');
    await page.click('[data-action="deploy"]');
    const badge = page.locator('.svc-problem-badge[data-element-id="Gateway_severity"]');
    await badge.waitFor();
    expect(await badge.getAttribute('data-code')).toBe('GATEWAY_NO_DEFAULT');
    expect(await badge.getAttribute('title')).toContain("exclusive gateway 'Gateway_severity'");
    expect(await page.locator('.djs-element.svc-engine-problem[data-element-id="Gateway_severity"]').count()).toBe(1);
    const listed = page.locator('[data-testid=problems] .problem[data-source="engine"]');
    await expect(listed.textContent()).resolves.toContain('no default flow');
    await screenshot(page, 'designer-engine-problem-en');
    expect(errors).toEqual([]);
  });

  it('clears the marker once the element is edited, and undoes the edit from the keyboard', async () => {
    const designer = new DesignerDriver(page);
    await designer.select('Gateway_severity');
    await designer.openGroup('general');
    await designer.fill('name', 'How severe?');
    expect(await page.locator('.svc-problem-badge[data-element-id="Gateway_severity"]').count()).toBe(0);
    await designer.select('Gateway_severity');
    await page.keyboard.press('Control+Z');
    await expect
      .poll(() => page.locator('[data-element-id="Gateway_severity_label"] text').allTextContents())
      .toEqual(['Severity?']);
  });

  it('downloads the diagram as .bpmn and .svg', async () => {
    const bpmn = page.waitForEvent('download');
    await page.click('[data-action="download-bpmn"]');
    const bpmnFile = await bpmn;
    expect(bpmnFile.suggestedFilename()).toBe('complaint-triage.bpmn');
    expect(await readFile((await bpmnFile.path())!, 'utf8')).toContain('<bpmn:exclusiveGateway id="Gateway_severity"');
    const svg = page.waitForEvent('download');
    await page.click('[data-action="download-svg"]');
    expect(await readFile((await (await svg).path())!, 'utf8')).toMatch(/^<\?xml[\s\S]*<svg/);
  });
});
