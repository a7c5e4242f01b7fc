/**
 * The admin page end to end: users (create, edit, disable and enable, delete), groups (create, set
 * members) and API tokens (create, copy the token shown once, revoke), checked against the API.
 * Real server (SQLite in a temp dir), Debian's headless Chromium; screenshots in test-output/screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserMissing, launchBrowser, screenshot, signedInContext, watchErrors } from './web/browser.js';
import { api, ensureWebBuilt, signIn, startWebServer, type WebServer } from './web/web-server.js';

const missing = browserMissing();
if (missing) console.warn(missing);

describe.skipIf(missing)('e2e/web: the admin page', { timeout: 60_000 }, () => {
  let web: WebServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ensureWebBuilt();
    [web, browser] = await Promise.all([startWebServer(), launchBrowser()]);
    context = await signedInContext(browser, web.baseUrl, await signIn(web.baseUrl, 'admin'));
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.baseUrl });
    page = await context.newPage();
    errors = watchErrors(page);
    await page.goto('/admin');
    await page.waitForSelector('[data-testid=users-table]');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  const row = (attr: string, value: string) => page.locator(`tr[data-${attr}="${value}"]`);
  const dialogButton = (testId: string, name: string) =>
    page.locator(`[data-testid=${testId}] .dialog-footer button.primary`, { hasText: name });
  // Success notices fade after 4 s; this suite is quicker, so it clears them before each screenshot.
  const snap = async (name: string) => {
    await page.evaluate(() =>
      document.querySelectorAll('.toast').forEach((toast) => {
        toast.remove();
      }),
    );
    await screenshot(page, name);
  };
  const login = (username: string, password: string) =>
    fetch(`${web.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    }).then((response) => response.status);

  it('lists the users with display name, roles, groups and state', async () => {
    await expect(page.locator('h1').textContent()).resolves.toBe('Administration');
    await expect(row('username', 'agent1').locator('td').allTextContents()).resolves.toEqual([
      'CS agent',
      'Staff',
      'cs-agents',
      'Enabled',
      expect.any(String),
    ]);
    // The admin cannot disable or delete their own account from here.
    await expect(row('username', 'admin').locator('[data-action=delete]').isDisabled()).resolves.toBe(true);
    await snap('admin-users-en');
  });

  it('creates a user who can then sign in, and says so when the username is taken', async () => {
    await page.click('[data-action=new-user]');
    await page.fill('#new-username', 'agent1');
    await page.fill('#new-password', 'correct-horse');
    await dialogButton('user-dialog', 'Create').click();
    await expect
      .poll(() => page.locator('[data-testid=user-dialog] .form-error').textContent())
      .toBe('This username is taken.');
    await page.fill('#new-username', 'li.na');
    await page.fill('#new-display-name', 'Li Na');
    await page.check('#new-roles-supervisor');
    await snap('admin-user-dialog-en');
    await dialogButton('user-dialog', 'Create').click();
    await row('username', 'li.na').waitFor();
    await expect(row('username', 'li.na').locator('td').first().textContent()).resolves.toBe('Li Na');
    expect(await api(web, 'admin', 'GET', '/api/users/li.na')).toMatchObject({
      displayName: 'Li Na',
      roles: ['staff', 'supervisor'],
      disabled: false,
    });
    expect(await login('li.na', 'correct-horse')).toBe(200);
  });

  it('edits the display name and roles, disables and enables the user', async () => {
    await row('username', 'li.na').locator('[data-action=edit]').click();
    await page.fill('#edit-display-name', 'Li Na (CS)');
    await page.uncheck('#edit-roles-supervisor');
    await dialogButton('user-dialog', 'Save').click();
    await expect.poll(() => row('username', 'li.na').locator('td').first().textContent()).toBe('Li Na (CS)');
    expect(await api(web, 'admin', 'GET', '/api/users/li.na')).toMatchObject({
      displayName: 'Li Na (CS)',
      roles: ['staff'],
    });
    await row('username', 'li.na').locator('[data-action=disable]').click();
    await row('username', 'li.na').locator('[data-action=enable]').waitFor();
    await expect(row('username', 'li.na').getAttribute('class')).resolves.toBe('is-disabled');
    expect(await login('li.na', 'correct-horse')).toBe(401);
    await row('username', 'li.na').locator('[data-action=enable]').click();
    await row('username', 'li.na').locator('[data-action=disable]').waitFor();
    expect(await login('li.na', 'correct-horse')).toBe(200);
  });

  it('lists the groups with their members, creates a group and sets its members', async () => {
    await page.click('[data-tab=groups]');
    await row('group-id', 'cs-agents').waitFor();
    await expect(row('group-id', 'cs-agents').locator('td.members').textContent()).resolves.toContain('agent1');
    await page.click('[data-action=new-group]');
    await page.fill('#new-group-id', 'vip-desk');
    await page.fill('#new-group-name', 'VIP desk');
    await page.check('#new-group-members-li\\.na');
    await dialogButton('group-dialog', 'Create').click();
    await row('group-id', 'vip-desk').waitFor();
    await row('group-id', 'vip-desk').locator('[data-action=members]').click();
    await page.check('#group-members-agent1');
    await dialogButton('group-dialog', 'Save').click();
    await expect
      .poll(async () => (await row('group-id', 'vip-desk').locator('td.members .tag').allTextContents()).sort())
      .toEqual(['agent1', 'li.na']);
    const { items } = await api<{ items: Array<{ id: string; name: string; members: string[] }> }>(
      web,
      'admin',
      'GET',
      '/api/groups',
    );
    expect(items.find((group) => group.id === 'vip-desk')).toMatchObject({
      name: 'VIP desk',
      members: expect.arrayContaining(['agent1', 'li.na']),
    });
    await row('group-id', 'vip-desk').scrollIntoViewIfNeeded();
    await snap('admin-groups-en');
  });

  it('deletes a user after asking, and the groups tab shows them gone', async () => {
    await page.click('[data-tab=users]');
    await row('username', 'li.na').locator('[data-action=delete]').click();
    await page.locator('[data-testid=confirm-dialog] .dialog-footer button.primary').click();
    await row('username', 'li.na').waitFor({ state: 'detached' });
    await expect(api(web, 'admin', 'GET', '/api/users/li.na')).rejects.toThrow(/404/);
    await page.click('[data-tab=groups]');
    await expect
      .poll(() => row('group-id', 'vip-desk').locator('td.members .tag').allTextContents())
      .toEqual(['agent1']);
  });

  it('creates an API token, shows it once with a copy button, and revokes it', async () => {
    await page.click('[data-tab=tokens]');
    await page.waitForSelector('[data-action=new-token]');
    await page.click('[data-action=new-token]');
    await page.fill('#new-token-name', 'mail-worker');
    await dialogButton('token-dialog', 'Create').click();
    const secret = page.locator('[data-testid=created-token]');
    await secret.waitFor();
    const token = await secret.inputValue();
    expect(token.length).toBeGreaterThan(20);
    await page.click('[data-action=copy-token]');
    await expect
      .poll(() => page.locator('[data-testid=token-created-dialog] [role=status]').textContent())
      .toBe('Copied to the clipboard.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await snap('admin-token-created-en');
    const me = (bearer: string) => fetch(`${web.baseUrl}/api/me`, { headers: { authorization: `Bearer ${bearer}` } });
    expect(await (await me(token)).json()).toMatchObject({
      displayName: 'mail-worker',
      roles: ['worker'],
      kind: 'token',
    });
    await page.locator('[data-testid=token-created-dialog] .dialog-footer button', { hasText: 'Close' }).click();
    await page.locator('[data-testid=token-created-dialog]').waitFor({ state: 'detached' });
    const { items } = await api<{ items: Array<{ id: string; name: string; revokedAt: string | null }> }>(
      web,
      'admin',
      'GET',
      '/api/tokens',
    );
    const created = items.find((item) => item.name === 'mail-worker')!;
    expect(created.revokedAt).toBeNull();
    await row('token-id', created.id).locator('[data-action=revoke]').click();
    await page.locator('[data-testid=confirm-dialog] .dialog-footer button.primary').click();
    await expect.poll(() => row('token-id', created.id).locator('td .status').textContent()).toMatch(/^Revoked /);
    expect((await me(token)).status).toBe(401);
    await snap('admin-tokens-en');
  });

  it('speaks Chinese too, and keeps non-admins out', async () => {
    await page.click('[data-testid=lang-switch]');
    await page.waitForSelector('h1:text("管理")');
    await page.click('[data-tab=users]');
    await expect.poll(() => row('username', 'agent1').locator('td').nth(1).textContent()).toBe('员工');
    await snap('admin-users-zh');
    await page.click('[data-action=new-user]');
    await page.waitForSelector('[data-testid=user-dialog]');
    await snap('admin-user-dialog-zh');
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
    const staff = await (await signedInContext(browser, web.baseUrl, await signIn(web.baseUrl, 'agent1'))).newPage();
    await staff.goto('/admin');
    await expect(staff.locator('.notice-page p').textContent()).resolves.toBe(
      'Your role does not give access to this page.',
    );
  });
});
