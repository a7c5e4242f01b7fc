/**
 * Issue 14, "How we will know": the seeds' closed loop (受理 → 响应 → 处理 → 回访 → 关闭) through the pages alone.
 * agent1 opens a complaint through "New case", each task is worked through its form by the right user, the survey
 * e-mail arrives at a real SMTP server started here, its link is opened in the browser, a score of 2 reopens the case
 * through the callback, and after the second round a score of 5 closes it. Clicks and keys only; the API is read
 * only to find the e-mails and to check the outcome. Real server with the shipped processes, Debian's Chromium.
 */
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { browserMissing, launchBrowser, screenshot, signedInContext, watchErrors } from './web/browser.js';
import { FormDriver } from './web/form-driver.js';
import { api, ensureWebBuilt, signIn, startWebServer, type WebServer } from './web/web-server.js';

const missing = browserMissing();

describe.skipIf(missing)(
  'e2e/web: a complaint from New case to closed, through the pages',
  { timeout: 240_000 },
  () => {
    let web: WebServer;
    let browser: Browser;
    let smtp: SMTPServer;
    const mails: string[] = [];
    const watched: string[][] = [];
    let businessKey = '';

    beforeAll(async () => {
      ensureWebBuilt();
      smtp = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onData(stream, _session, done) {
          let raw = '';
          stream.on('data', (chunk: Buffer) => {
            raw += chunk.toString();
          });
          stream.on('end', () => {
            mails.push(unfold(raw));
            done();
          });
        },
      });
      await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
      const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
      [web, browser] = await Promise.all([startWebServer({ referenceProcesses: true, smtpUrl }), launchBrowser()]);
    }, 180_000);

    // one story: once a step fails, the later ones cannot run
    let failed = false;
    beforeEach((context) => {
      if (failed) context.skip();
      onTestFailed(() => {
        failed = true;
      });
    });

    afterAll(async () => {
      await browser?.close();
      await web?.close();
      await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
    });

    it('lets agent1 open the complaint through New case and give the first response', async () => {
      const page = await open('agent1', 'en');
      await page.click('[data-action="new-case"]');
      await page.click('[data-start="complaint-handling"]');
      const intake = new FormDriver(page, page.locator('[data-testid=start-form]'));
      await page.waitForSelector('[data-testid=start-form] .fjs-form');
      await intake.text('Customer ID / 客户编号', 'C-2001');
      await intake.text('Customer name / 客户姓名', 'Wang Fang');
      await intake.text('Description / 投诉内容', 'The router replacement promised last week never arrived.');
      await intake.choose('Channel / 渠道', 'Phone / 电话');
      await intake.choose('Preferred contact / 首选联系方式', 'E-mail / 电子邮件');
      await intake.choose('Category / 类别', 'Service / 服务');
      await intake.text('E-mail / 电子邮箱', 'wang.fang@example.com');
      await screenshot(page, 'loop-01-new-case-en');
      await page.click('[data-action="start"]');
      await page.waitForSelector('[data-task-id] #task-title:text("First response")');
      businessKey = (await page.locator('.toast-success').first().textContent())!.match(/CMP-\d{8}-\d{4}/)![0];
      await claim(page);
      // the task shows the case it belongs to
      expect(await page.locator('.task-detail .facts dd.case-fact').allTextContents()).toEqual([
        'Wang Fang · C-2001',
        'Phone',
        'General',
        'The router replacement promised last week never arrived.',
      ]);
      const form = new FormDriver(page, page.locator('[data-testid=task-form]'));
      await form.choose('Response channel / 响应方式', 'Phone / 电话');
      await form.now('Contacted at / 联系时间: date / 日期', 'Contacted at / 联系时间: time / 时间');
      await form.check('Customer reached / 已联系上客户');
      await form.text(
        'What was said and promised / 沟通内容与承诺',
        'Apologised and promised to trace the parcel today.',
      );
      await screenshot(page, 'loop-02-first-response-en');
      await complete(page, 'First response');
    });

    it('lets resolver1 investigate, in Chinese', async () => {
      const page = await openTask('resolver1', 'zh', '调查处理');
      const form = new FormDriver(page, page.locator('[data-testid=task-form]'));
      await form.text('Findings / 调查结论', 'The courier lost the parcel at the depot.');
      await form.radio('Outcome / 处理结果', 'Resolved / 已解决');
      await form.choose('Root cause / 根本原因', 'Supplier / 供应商');
      await form.choose('Remedy / 补救措施', 'Replacement / 更换');
      await form.text('Resolution given to the customer / 给客户的解决方案', 'A new router goes out by express today.');
      await screenshot(page, 'loop-03-investigate-zh');
      await complete(page, '调查处理');
    });

    it('lets agent1, the first responder, tell the customer', async () => {
      await communicate('loop-04-communicate-en');
    });

    it('mails the survey; a score of 2 on its page leads to the callback, which reopens the case', async () => {
      const page = await surveyPage(1);
      await screenshot(page, 'loop-05-survey-en');
      await page.getByRole('link', { name: '中文' }).click();
      await page.waitForSelector('html[lang=zh-CN]');
      await screenshot(page, 'loop-05-survey-zh');
      await page.getByLabel('2', { exact: true }).check();
      await page.fill('#comment', '还是没收到');
      await page.locator('button[type=submit]').click();
      await page.waitForLoadState('load');
      await screenshot(page, 'loop-06-survey-answered-zh');
      expect(await page.locator('body').textContent()).not.toMatch(/error|错误/i);
      const agent = await openTask('agent1', 'en', 'Call back dissatisfied customer');
      const form = new FormDriver(agent, agent.locator('[data-testid=task-form]'));
      await form.check('Customer reached / 已联系上客户');
      await form.choose('Reason for dissatisfaction / 不满意原因', 'Not resolved / 未解决');
      await form.check('Reopen the complaint / 重开投诉');
      await form.text(
        'What was told back to the customer / 向客户反馈的改进',
        'We reopen the case and look again today.',
      );
      await screenshot(agent, 'loop-07-callback-en');
      await complete(agent, 'Call back dissatisfied customer');
    });

    it('runs the reopened case again, now urgent: investigation, a supervisor approves, communication, and a score of 5 closes it', async () => {
      const resolver = await openTask('resolver1', 'en', 'Investigate');
      const form = new FormDriver(resolver, resolver.locator('[data-testid=task-form]'));
      await form.text('Findings / 调查结论', 'The replacement was sent to an old address.');
      await form.radio('Outcome / 处理结果', 'Resolved / 已解决');
      await form.choose('Root cause / 根本原因', 'Process / 流程');
      await form.choose('Remedy / 补救措施', 'Replacement / 更换');
      await form.text('Resolution given to the customer / 给客户的解决方案', 'Delivered by hand this afternoon.');
      await complete(resolver, 'Investigate');
      // the reopen raised the priority to urgent, so the resolution needs a supervisor's approval
      const supervisor = await openTask('supervisor1', 'zh', '审批解决方案');
      await new FormDriver(supervisor, supervisor.locator('[data-testid=task-form]')).radio(
        'Decision / 审批决定',
        'Approve / 批准',
      );
      await screenshot(supervisor, 'loop-08-approve-zh');
      await complete(supervisor, '审批解决方案');
      await communicate('loop-09-communicate-again-en');
      const page = await surveyPage(2, 'en');
      await page.getByLabel('5', { exact: true }).check();
      await page.locator('button[type=submit]').click();
      await page.waitForLoadState('load');
      await screenshot(page, 'loop-10-survey-answered-en');
      const closed = await expect.poll(async () => (await instanceOf(businessKey))?.status, { timeout: 20_000 });
      await closed.toBe('completed');
      expect((await instanceOf(businessKey))?.variables).toMatchObject({
        satisfactionScore: 5,
        surveyOutcome: 'satisfied',
        reopenCount: 1,
      });
      expect(watched.flat()).toEqual([]);
    });

    // helpers

    async function open(username: string, lang: 'en' | 'zh'): Promise<Page> {
      const context = await signedInContext(browser, web.baseUrl, await signIn(web.baseUrl, username), {
        lang,
        height: 1100,
      });
      const page = await context.newPage();
      watched.push(watchErrors(page));
      await page.goto('/tasks');
      return page;
    }

    /** Opens the user's tasklist, picks the task of this case by its name and claims it when it is not theirs yet. */
    async function openTask(username: string, lang: 'en' | 'zh', name: string): Promise<Page> {
      const page = await open(username, lang);
      const item = page.locator('.task-item', { hasText: businessKey }).filter({ hasText: name });
      await item.first().waitFor({ timeout: 20_000 });
      await item.first().click();
      await page.waitForSelector(`#task-title:has-text("${name}")`);
      await claim(page);
      return page;
    }

    async function claim(page: Page): Promise<void> {
      await page.locator('[data-action="claim"], [data-action="unclaim"]').first().waitFor();
      if ((await page.locator('[data-action="claim"]').count()) > 0) await page.click('[data-action="claim"]');
      await page.waitForSelector('[data-action="unclaim"]');
      await page.waitForSelector('[data-testid=task-form] .fjs-form');
    }

    async function complete(page: Page, name: string): Promise<void> {
      await page.click('[data-action="complete"]');
      await page.locator('.toast-success', { hasText: name }).waitFor();
      await page.context().close();
    }

    async function communicate(shot: string): Promise<void> {
      const page = await openTask('agent1', 'en', 'Communicate resolution');
      const form = new FormDriver(page, page.locator('[data-testid=task-form]'));
      await form.now('Communicated at / 告知时间: date / 日期', 'Communicated at / 告知时间: time / 时间');
      await form.choose('Channel / 告知方式', 'Phone / 电话');
      await form.radio('Customer response / 客户答复', 'Accepted / 接受');
      await screenshot(page, shot);
      await complete(page, 'Communicate resolution');
    }

    /** Waits for the n-th survey e-mail to the customer and opens its link in a fresh browser (no session). */
    async function surveyPage(n: number, lang?: 'en'): Promise<Page> {
      await expect.poll(() => surveyLinks().length, { timeout: 30_000 }).toBeGreaterThanOrEqual(n);
      const link = surveyLinks()[n - 1];
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      watched.push(watchErrors(page));
      await page.goto(lang ? `${link}?lang=${lang}` : link);
      return page;
    }

    function surveyLinks(): string[] {
      return mails
        .filter((mail) => mail.includes('wang.fang@example.com'))
        .flatMap((mail) => /https?:\/\/[^\s"<>]+\/survey\/[\w.-]+/.exec(mail) ?? []);
    }

    async function instanceOf(
      key: string,
    ): Promise<{ status: string; variables: Record<string, unknown> } | undefined> {
      const answer = await api<{
        items: Array<{ status: string; businessKey: string; variables: Record<string, unknown> }>;
      }>(web, 'owner1', 'GET', `/api/instances?businessKey=${key}`);
      return answer.items.find((item) => item.businessKey === key);
    }
  },
);

// helpers

/** A mail's text with quoted-printable soft breaks and escapes undone. */
function unfold(raw: string): string {
  return Buffer.from(
    raw.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');
}
