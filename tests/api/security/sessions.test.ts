import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../helpers/app.js';

describe('api/security: sign-in tokens are revoked when they should be', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
    expect(
      (await t.call('POST', '/api/users', { username: 'ann', password: 'first-password', roles: ['staff'] }))
        .statusCode,
    ).toBe(201);
  });
  afterEach(async () => {
    await t.close();
  });

  const login = async (username = 'ann', password = 'first-password', ip = '10.0.0.1') =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: ip, payload: { username, password } });
  const tokenOf = async (password = 'first-password') => ({
    authorization: `Bearer ${(await login('ann', password)).json().token}`,
  });
  const me = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url: '/api/me', headers });

  it('revokes every earlier token when the user changes their password', async () => {
    const headers = await tokenOf();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/me/password',
      headers,
      payload: { currentPassword: 'first-password', newPassword: 'second-password' },
    });
    expect(res.statusCode).toBe(204);
    expect((await me(headers)).statusCode).toBe(401);
    expect((await me(await tokenOf('second-password'))).statusCode).toBe(200);
  });

  it('refuses a password change with a wrong current password', async () => {
    const headers = await tokenOf();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/me/password',
      headers,
      payload: { currentPassword: 'wrong-password', newPassword: 'second-password' },
    });
    expect(res.statusCode).toBe(401);
    expect((await me(headers)).statusCode).toBe(200);
  });

  it('revokes tokens when an admin sets a new password or disables the user, and keeps them revoked when re-enabled', async () => {
    const before = await tokenOf();
    await t.call('PATCH', '/api/users/ann', { password: 'admin-set-password' });
    expect((await me(before)).statusCode).toBe(401);
    const again = await tokenOf('admin-set-password');
    await t.call('PATCH', '/api/users/ann', { disabled: true });
    await t.call('PATCH', '/api/users/ann', { disabled: false });
    expect((await me(again)).statusCode).toBe(401);
  });

  it('revokes the token at logout', async () => {
    const headers = await tokenOf();
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers })).statusCode).toBe(204);
    expect((await me(headers)).statusCode).toBe(401);
  });

  it("gives a new user with a deleted user's name none of the old tokens", async () => {
    const old = await tokenOf();
    expect((await t.call('DELETE', '/api/users/ann')).statusCode).toBe(204);
    await t.call('POST', '/api/users', { username: 'ann', password: 'first-password', roles: ['admin'] });
    expect((await me(old)).statusCode).toBe(401);
  });

  it('limits sign-ins per client address across usernames (password spraying)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await login(`user${i}`, 'Summer2026!', '10.9.9.9')).statusCode);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses[30]).toBe(429);
    expect((await login('ann', 'first-password', '10.0.0.2')).statusCode).toBe(200);
  });

  it('answers NUL bytes in Basic credentials with 400, not 500', async () => {
    const basic = Buffer.from('ann\0:x\0y').toString('base64');
    const res = await t.app.inject({
      method: 'GET',
      url: '/engine-rest/task',
      headers: { authorization: `Basic ${basic}` },
    });
    expect(res.statusCode).toBe(400);
  });
});
