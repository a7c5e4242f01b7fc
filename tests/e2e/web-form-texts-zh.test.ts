/**
 * Issue 14, "Forms": form-js's own texts in Chinese. agent1, with the app in Chinese, opens the first response of
 * a complaint and presses Complete on the empty form: the messages under the fields are Chinese ("此项为必填项。",
 * the minimum length); the select's placeholder, search box and "no match" text are Chinese, and so is the
 * date picker's calendar. owner1's form editor in Chinese shows the palette and the properties panel in
 * Chinese. Switching the app back to English brings form-js's English back. Screenshots of each.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing, launchBrowser, screenshot, signedInContext, watchErrors } from './web/browser.js';
import { DesignerDriver } from './web/designer-driver.js';
import { slaTaskModel } from './web/models.js';
import { api, ensureWebBuilt, signIn, startWebServer, type WebServer } from './web/web-server.js';

const missing = browserMissing();
const INTAKE = {
  channel: 'phone',
  customerId: 'C-4001',
  customerName: 'Qian Li',
  contactPhone: '13600136000',
  preferredContact: 'phone',
  customerTier: 'medium',
  category: 'billing',
  description: 'The invoice shows a fee that was never agreed.',
  priority: 'general',
};
/** form-js's English texts that must not appear on a Chinese page. */
const ENGLISH = /Field is required|Field must|minimum length|Search|Select|No results/;
/** …nor in the form editor's palette and group titles. */
const EDITOR_ENGLISH = /Components|Search components|Input|Selection|Presentation|Validation|General|Text field/;

describe.skipIf(missing)('e2e/web: form-js texts in Chinese', { timeout: 150_000 }, () => {
  let web: WebServer;
  let browser: Browser;
  let businessKey: string;

  beforeAll(async () => {
    ensureWebBuilt();
    [web, browser] = await Promise.all([startWebServer({ referenceProcesses: true }), launchBrowser()]);
    const instance = await api<{ id: string; businessKey: string }>(web, 'agent1', 'POST', '/api/instances', {
      definitionKey: 'complaint-handling',
      variables: INTAKE,
    });
    const tasks = await api<{ items: Array<{ id: string; elementId: string }> }>(
      web,
      'agent1',
      'GET',
      `/api/tasks?instanceId=${instance.id}`,
    );
    businessKey = instance.businessKey;
    const first = tasks.items.find((task) => task.elementId === 'firstResponse')!;
    await api(web, 'agent1', 'POST', `/api/tasks/${first.id}/claim`, { userId: 'agent1' });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  async function openFirstResponse(lang: 'en' | 'zh'): Promise<{ page: Page; errors: string[] }> {
    const context = await signedInContext(browser, web.baseUrl, await signIn(web.baseUrl, 'agent1'), {
      lang,
      height: 1400,
    });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto('/tasks');
    await page.locator('.task-item', { hasText: businessKey }).first().click();
    await page.waitForSelector('[data-testid=task-form] .fjs-form');
    return { page, errors };
  }

  it('shows the validation messages, the select and the date picker of a task form in Chinese', async () => {
    const { page, errors } = await openFirstResponse('zh');
    const form = page.locator('[data-testid=task-form]');
    await form.getByLabel('What was said and promised / 沟通内容与承诺').fill('短');
    await page.click('[data-action="complete"]');
    const messages = form.locator('.fjs-form-field-error');
    await messages.first().waitFor();
    const texts = await messages.allTextContents();
    expect(texts).toContain('此项为必填项。');
    expect(texts).toContain('长度不能少于 10 个字符。');
    expect(texts.join(' ')).not.toMatch(/[A-Za-z]{3}/);
    await screenshot(page, 'form-texts-zh-validation');

    // the select: its placeholder, the search box of a searchable one, and the empty list
    const channel = form.locator('.fjs-form-field', { hasText: 'Response channel / 响应方式' });
    expect(await channel.textContent()).toContain('请选择');
    await channel.locator('.fjs-input-group').click();
    await channel.locator('.fjs-dropdownlist').waitFor();
    const searchable = form.locator('.fjs-form-field-select input[placeholder]');
    if ((await searchable.count()) > 0) expect(await searchable.first().getAttribute('placeholder')).toBe('搜索');
    await screenshot(page, 'form-texts-zh-select');
    await channel.locator('.fjs-dropdownlist-item').first().click();

    // the date picker: flatpickr's Chinese months and weekdays
    const date = form.locator('.fjs-form-field-datetime input').first();
    await date.click();
    const calendar = form.locator('.flatpickr-calendar.open');
    await calendar.waitFor();
    expect(await calendar.locator('.flatpickr-weekday').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('周一')]),
    );
    expect(await calendar.locator('.flatpickr-monthDropdown-months, .cur-month').first().textContent()).toMatch(/月/);
    await screenshot(page, 'form-texts-zh-datepicker');
    // the date is written as the app writes Chinese dates: 2026-12-04
    expect(await date.getAttribute('placeholder')).toBe('yyyy-mm-dd');
    await calendar.locator('.flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)', { hasText: /^15$/ }).click();
    expect(await date.inputValue()).toMatch(/^\d{4}-\d{2}-15$/);
    expect(await form.textContent()).not.toMatch(ENGLISH);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('writes the search box, the empty list and the tag list of searchable fields in Chinese', async () => {
    const { token } = await signIn(web.baseUrl, 'owner1');
    const body = new FormData();
    const xml = slaTaskModel('picker-check', 'PT4H').replace(
      'name="Call back" camunda:candidateGroups="cs-agents"',
      'name="Pick" camunda:candidateGroups="cs-agents" camunda:formKey="picker-check"',
    );
    body.append('picker-check.bpmn', new Blob([xml], { type: 'application/xml' }), 'picker-check.bpmn');
    const form = {
      type: 'default',
      id: 'picker-check',
      components: [
        { type: 'select', key: 'city', label: 'City', searchable: true, values: [{ label: 'Beijing', value: 'bj' }] },
        { type: 'taglist', key: 'tags', label: 'Tags', values: [{ label: 'Urgent', value: 'u' }] },
      ],
    };
    body.append(
      'picker-check.form',
      new Blob([JSON.stringify(form)], { type: 'application/json' }),
      'picker-check.form',
    );
    const response = await fetch(`${web.baseUrl}/api/definitions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body,
    });
    expect(response.ok, await response.clone().text()).toBe(true);
    const instance = await api<{ id: string }>(web, 'agent1', 'POST', '/api/instances', {
      definitionKey: 'picker-check',
    });
    const tasks = await api<{ items: Array<{ id: string }> }>(
      web,
      'agent1',
      'GET',
      `/api/tasks?instanceId=${instance.id}`,
    );
    await api(web, 'agent1', 'POST', `/api/tasks/${tasks.items[0].id}/claim`, { userId: 'agent1' });

    const context = await signedInContext(browser, web.baseUrl, await signIn(web.baseUrl, 'agent1'), { lang: 'zh' });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto('/tasks');
    await page.locator('.task-item', { hasText: 'Pick' }).first().click();
    await page.waitForSelector('[data-testid=task-form] .fjs-form');
    const root = page.locator('[data-testid=task-form]');
    const city = root.getByLabel('City');
    expect(await city.getAttribute('placeholder')).toBe('搜索');
    await city.fill('Shanghai');
    await root.locator('.fjs-dropdownlist', { hasText: '无匹配项' }).waitFor();
    await screenshot(page, 'form-texts-zh-search');
    const tags = root.getByLabel('Tags');
    expect(await tags.getAttribute('placeholder')).toBe('搜索');
    await tags.click();
    await root.locator('.fjs-dropdownlist-item', { hasText: 'Urgent' }).click();
    await root.locator('.fjs-taglist-tag', { hasText: 'Urgent' }).waitFor();
    expect(await root.locator('.fjs-taglist-tag button, .fjs-taglist-tag [title]').first().getAttribute('title')).toBe(
      '移除标签',
    );
    await tags.click();
    await root.locator('.fjs-dropdownlist', { hasText: '已选择全部选项' }).waitFor();
    await screenshot(page, 'form-texts-zh-taglist');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('keeps form-js in English when the app is in English, and follows a switch to Chinese', async () => {
    const { page, errors } = await openFirstResponse('en');
    const form = page.locator('[data-testid=task-form]');
    await page.click('[data-action="complete"]');
    await form.locator('.fjs-form-field-error').first().waitFor();
    expect(await form.locator('.fjs-form-field-error').allTextContents()).toContain('Field is required.');
    await page.click('[data-testid=lang-switch]');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    await page.waitForSelector('[data-testid=task-form] .fjs-form');
    await page.click('[data-action="complete"]');
    await form.locator('.fjs-form-field-error').first().waitFor();
    expect(await form.locator('.fjs-form-field-error').allTextContents()).toContain('此项为必填项。');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('writes the case facts of the task detail and the case page in Chinese', async () => {
    const { page, errors } = await openFirstResponse('zh');
    const facts = await page.locator('.task-detail .facts dd.case-fact').allTextContents();
    expect(facts).toEqual(expect.arrayContaining(['电话', '一般']));
    await page.click('[data-tab="history"]');
    await page.locator('[role=tabpanel]:visible').first().waitFor();
    await screenshot(page, 'form-texts-zh-task-history');
    await page.locator('.task-detail a', { hasText: businessKey }).first().click();
    await page.waitForSelector('[data-testid=case-detail]');
    await page.locator('[data-testid=instance-diagram] svg').first().waitFor();
    const caseFacts = page.locator('.case-facts');
    const text = (await caseFacts.textContent()) ?? '';
    expect(text).toContain('流程Complaint handling');
    expect(text).toContain('渠道电话');
    expect(text).toContain('优先级一般');
    expect(text).toMatch(/剩余工作时间 \d+小时\d+分钟/);
    expect(text).not.toMatch(/\d+h \d+m|complaint-handling/);
    // the attachment control is the app's button, not the browser's English file control
    expect(await page.locator('[data-action="choose-attachment"]').textContent()).toBe('选择文件…');
    expect(await page.locator('[data-testid=attachment-file]').isVisible()).toBe(false);
    await screenshot(page, 'form-texts-zh-case-page');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows the form editor palette and properties panel in Chinese', async () => {
    const context = await signedInContext(browser, web.baseUrl, await signIn(web.baseUrl, 'owner1'), {
      lang: 'zh',
      height: 1000,
      width: 1440,
    });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto('/designer');
    await page.waitForSelector('.djs-palette');
    await page.click('[data-action="open-deployed"]');
    await page.locator('[data-testid=open-deployed] .choice', { hasText: 'Complaint handling' }).click();
    await page.waitForSelector('.djs-shape[data-element-id="firstResponse"]');
    await new DesignerDriver(page).find('First response', 'firstResponse');
    await page.click('[data-action="edit-form"]');
    const dialog = page.locator('[data-testid=form-editor-dialog]');
    await dialog.locator('.fjs-palette').waitFor();
    const palette = dialog.locator('.fjs-palette');
    expect(await palette.textContent()).toContain('组件');
    expect(await palette.locator('input').first().getAttribute('placeholder')).toBe('搜索组件');
    for (const name of ['文本框', '多行文本框', '下拉选择', '复选框', '日期时间', '按钮']) {
      expect(await palette.textContent()).toContain(name);
    }
    await dialog.locator('.fjs-editor-container [data-id="Field_rootCause"]').click();
    const panel = dialog.locator('.fjs-properties-panel');
    await panel.locator('.bio-properties-panel-group').first().waitFor();
    const groups = await panel.locator('.bio-properties-panel-group-header-title').allTextContents();
    expect(groups).toEqual(expect.arrayContaining(['常规', '校验']));
    expect(await panel.textContent()).toContain('字段标签');
    await panel.locator('.bio-properties-panel-group-header', { hasText: '校验' }).click();
    expect(await panel.textContent()).toContain('必填');
    // the translated panel still shows the field's settings: the root cause is required
    expect(await panel.getByLabel('必填', { exact: true }).isChecked()).toBe(true);
    await screenshot(page, 'form-texts-zh-editor');
    await panel.locator('.bio-properties-panel-group-header', { hasText: '常规' }).click();
    for (const label of ['字段标签', '字段说明', '键', '默认值']) expect(await panel.textContent()).toContain(label);
    await screenshot(page, 'form-texts-zh-editor-general');
    expect(`${await palette.textContent()} ${groups.join(' ')}`).not.toMatch(EDITOR_ENGLISH);
    expect(errors).toEqual([]);
    await context.close();
  });
});
