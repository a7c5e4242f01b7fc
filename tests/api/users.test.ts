import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { T0, testApp, type TestApp } from '../helpers/app.js';

describe('api/users', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
    await t.call('POST', '/api/groups', { id: 'cs-agents', name: 'CS agents' });
  });
  afterEach(async () => {
    await t.close();
  });

  const login = (username: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

  it('creates a user who can then sign in, and never shows the password hash', async () => {
    const res = await t.call('POST', '/api/users', {
      username: 'agent.lin',
      displayName: 'Lin',
      password: 'agent-password',
      roles: ['staff'],
      groups: ['cs-agents'],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      username: 'agent.lin',
      displayName: 'Lin',
      roles: ['staff'],
      groups: ['cs-agents'],
      disabled: false,
      createdAt: T0,
      updatedAt: T0,
    });
    expect((await login('agent.lin', 'agent-password')).json().user).toEqual({
      username: 'agent.lin',
      displayName: 'Lin',
      roles: ['staff'],
      groups: ['cs-agents'],
    });
    const listed = (await t.call('GET', '/api/users')).json();
    expect(listed.items.map((u: { username: string }) => u.username)).toEqual(['admin', 'agent.lin']);
    expect(JSON.stringify(listed)).not.toMatch(/scrypt|password/i);
  });

  it('refuses a taken username, unknown groups, unknown roles and short passwords', async () => {
    await t.call('POST', '/api/users', { username: 'ann', roles: ['staff'] });
    expect((await t.call('POST', '/api/users', { username: 'ann', roles: ['staff'] })).json()).toMatchObject({
      status: 409,
      code: 'USER_EXISTS',
    });
    expect(
      (await t.call('POST', '/api/users', { username: 'bob', roles: ['staff'], groups: ['ghosts'] })).json(),
    ).toMatchObject({ status: 400, code: 'USER_INVALID', fields: [{ name: 'groups.ghosts' }] });
    expect((await t.call('POST', '/api/users', { username: 'bob', roles: ['root'] })).json()).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(
      (await t.call('POST', '/api/users', { username: 'bob', roles: ['staff'], password: 'short' })).json(),
    ).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await t.call('POST', '/api/users', { username: '../bob', roles: ['staff'] })).json()).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('changes roles, groups and the password, and deletes a user', async () => {
    await t.call('POST', '/api/users', { username: 'ann', password: 'first-password', roles: ['staff'] });
    const changed = await t.call('PATCH', '/api/users/ann', {
      roles: ['supervisor'],
      groups: ['cs-agents'],
      password: 'second-password',
    });
    expect(changed.json()).toMatchObject({ roles: ['supervisor'], groups: ['cs-agents'] });
    expect((await login('ann', 'first-password')).statusCode).toBe(401);
    expect((await login('ann', 'second-password')).statusCode).toBe(200);
    expect((await t.call('PATCH', '/api/users/ann', {})).json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await t.call('DELETE', '/api/users/ann')).statusCode).toBe(204);
    expect((await t.call('GET', '/api/users/ann')).json()).toMatchObject({ status: 404, code: 'USER_NOT_FOUND' });
  });

  it('keeps the last admin', async () => {
    expect((await t.call('DELETE', '/api/users/admin')).json()).toMatchObject({ status: 400, code: 'USER_INVALID' });
    expect((await t.call('PATCH', '/api/users/admin', { roles: ['staff'] })).json()).toMatchObject({
      code: 'USER_INVALID',
    });
  });

  it('manages groups and their members', async () => {
    await t.call('POST', '/api/users', { username: 'ann', roles: ['staff'] });
    expect((await t.call('POST', '/api/groups', { id: 'billing', name: 'Billing', members: ['ann'] })).json()).toEqual({
      id: 'billing',
      name: 'Billing',
      members: ['ann'],
      createdAt: T0,
    });
    expect((await t.call('POST', '/api/groups', { id: 'billing' })).json()).toMatchObject({
      status: 409,
      code: 'GROUP_EXISTS',
    });
    expect(
      (await t.call('PUT', '/api/groups/cs-agents/members', { members: ['ann', 'admin'] })).json().members,
    ).toEqual(['admin', 'ann']);
    expect((await t.call('PUT', '/api/groups/cs-agents/members', { members: ['ghost'] })).json()).toMatchObject({
      code: 'USER_INVALID',
    });
    expect((await t.call('PUT', '/api/groups/nope/members', { members: [] })).json()).toMatchObject({
      status: 404,
      code: 'GROUP_NOT_FOUND',
    });
    expect((await t.call('GET', '/api/users/ann')).json().groups).toEqual(['billing', 'cs-agents']);
    expect((await t.call('GET', '/api/groups')).json().items.map((g: { id: string }) => g.id)).toEqual([
      'billing',
      'cs-agents',
    ]);
  });

  it('lists API tokens without the tokens and revokes them once', async () => {
    const created = (await t.call('POST', '/api/tokens', { name: 'deployer', roles: ['owner'] })).json();
    expect((await t.call('GET', '/api/tokens')).json().items).toEqual([
      { id: created.id, name: 'deployer', roles: ['owner'], createdBy: 'admin', createdAt: T0, revokedAt: null },
    ]);
    const asToken = await t.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: `Bearer ${created.token}` },
    });
    expect(asToken.json()).toEqual({
      username: 'token:deployer',
      displayName: 'deployer',
      roles: ['owner'],
      groups: [],
      kind: 'token',
    });
    expect((await t.call('DELETE', `/api/tokens/${created.id}`)).statusCode).toBe(204);
    expect((await t.call('DELETE', `/api/tokens/${created.id}`)).json()).toMatchObject({
      status: 404,
      code: 'TOKEN_NOT_FOUND',
    });
  });
});
